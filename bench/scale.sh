#!/usr/bin/env bash
# Cost as the registry grows (issue 15 item 5). For each size (SCALE_SIZES, image manifests) and each
# metadata provider (SCALE_PROVIDERS: sqlite, postgres), on this machine:
#   1. Berth starts once on an empty store (the migrations create the schema) and stops;
#   2. bench/scale (scale-fill) fills that store DIRECTLY, in bulk (not through HTTP): N image
#      manifests (N/10 in scale/big, the rest over clamp(N/100, 10, 10000) repositories), one tag
#      each, a config and a layer referenced and linked per manifest, 1,000 referrers of one
#      subject, orphan blobs; the blob files themselves (real content, real digests, 30 days old) are
#      written once per size and shared by both providers;
#   3. Berth starts on every filled store at once (start-up time until /healthz answers, RSS), and each
#      operation is measured on every store back to back, BENCH_ROUNDS times in alternating order (the
#      best round counts), so drift in the shared machine's load hits all sizes alike:
#      manifest GET by tag and by digest (wrk over 1,000 manifests spread over the store, so the
#      1-second tag cache rarely answers), tag list (first page, a page 100 tags before the end of
#      scale/big), catalog (first page, a page 100 names before the end), referrers of the subject,
#      garbage collection dry run (with untagged manifests, durationMs of POST /api/v1/gc), push of
#      a new manifest (median of SCALE_PUSHES sequential PUTs with curl), RSS at the end.
# A section is appended to bench/RESULTS.md (BENCH_RESULTS=FILE elsewhere, BENCH_RESULTS=- stdout only).
#
#   bench/scale.sh                                     # 1k, 100k, 1M on SQLite and PostgreSQL
#   SCALE_SIZES="1000 100000" SCALE_PROVIDERS=sqlite BENCH_DURATION=3s bench/scale.sh
#   SCALE_SIZES="1000 1000000" SCALE_OPS="get_tag push" BENCH_LOCK=/work/wt/_bench.lock bench/scale.sh
#
# SCALE_OPS picks the operations (default all: get_tag get_digest tags_first tags_deep catalog_first
# catalog_deep referrers gc push), for a second look at one figure. BENCH_LOCK=FILE takes flock on
# FILE only while measuring: the fill (minutes at 1M) and the clean-up (removing 2 million blob files
# took over 10 minutes) are no measurement and need not hold other benches off.
#
# PostgreSQL is a throwaway cluster on 127.0.0.1 started from Debian's package the way test.sh starts
# it (fsync off: the cluster lives for one run). Needs curl, wrk, jq, dotnet and, for postgres, psql.
set -euo pipefail

cd "$(dirname "$0")/.."
repo=$(pwd)
command_line="bench/scale.sh${*:+ $*}"
for var in SCALE_SIZES SCALE_PROVIDERS SCALE_OPS SCALE_PUSHES BENCH_ROUNDS BENCH_DURATION BENCH_CONNECTIONS BENCH_WRK_THREADS BENCH_NO_BUILD BENCH_RESULTS BENCH_LOCK; do
  if [ -n "${!var:-}" ]; then command_line="$var=\"${!var}\" $command_line"; fi
done

sizes=${SCALE_SIZES:-"1000 100000 1000000"}
providers=${SCALE_PROVIDERS:-"sqlite postgres"}
all_ops="get_tag get_digest tags_first tags_deep catalog_first catalog_deep referrers gc push"
ops=${SCALE_OPS:-$all_ops}
for op in $ops; do
  [[ " $all_ops " == *" $op "* ]] || { echo "bench: SCALE_OPS: unknown operation $op (one of: $all_ops)" >&2; exit 2; }
done
pushes=${SCALE_PUSHES:-100}
rounds=${BENCH_ROUNDS:-2}
duration=${BENCH_DURATION:-5s}
connections=${BENCH_CONNECTIONS:-16}
wrk_threads=${BENCH_WRK_THREADS:-2}
results_file=${BENCH_RESULTS:-$repo/bench/RESULTS.md}
accept="application/vnd.oci.image.manifest.v1+json, application/vnd.oci.image.index.v1+json"
admin_password=scale-bench-$RANDOM$RANDOM

for tool in curl wrk jq dotnet awk; do
  command -v "$tool" >/dev/null || { echo "bench: missing $tool" >&2; exit 1; }
done
if [[ " $providers " == *" postgres "* ]]; then command -v psql >/dev/null || { echo "bench: missing psql" >&2; exit 1; }; fi

load_start=$(cut -d' ' -f1-3 /proc/loadavg)
source "$repo/bench/lib.sh"
bench_workdir berth-scale
trap 'stop_postgres; bench_cleanup' EXIT

rss_mib() { awk '/^VmRSS:/ {printf "%.0f", $2 / 1024}' "/proc/$1/status"; }
now_ms() { date +%s%3N; }

# --- PostgreSQL (as test.sh: Debian's binaries, an unprivileged owner, loopback, a free port) ----

pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }
pg_dir="" pg_run=() pg_port="" pg_password=""
stop_postgres() {
  if [ -n "$pg_dir" ]; then
    (cd / && "${pg_run[@]}" "$(pg_bin)/pg_ctl" -D "$pg_dir/data" -m immediate stop >/dev/null 2>&1) || true
    rm -rf "$pg_dir"
  fi
}
start_postgres() {
  local bin attempt
  bin=$(pg_bin)
  [ -x "$bin/initdb" ] || { log "PostgreSQL: no initdb under /usr/lib/postgresql (apt-get install postgresql)"; return 1; }
  pg_dir=$(mktemp -d /tmp/berth-scale-pg.XXXXXX)
  if [ "$(id -u)" = 0 ]; then
    id -u postgres >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin postgres
    chown postgres: "$pg_dir"
    pg_run=(runuser -u postgres --)
  fi
  pg_password=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
  (umask 077 && printf '%s\n' "$pg_password" >"$pg_dir/password")
  if [ "$(id -u)" = 0 ]; then chown postgres: "$pg_dir/password"; fi
  (cd / && "${pg_run[@]}" "$bin/initdb" -D "$pg_dir/data" -U berth --pwfile="$pg_dir/password" \
    --auth=scram-sha-256 -E UTF8 --locale=C.UTF-8 >"$pg_dir/initdb.log" 2>&1) || { cat "$pg_dir/initdb.log" >&2; return 1; }
  rm -f "$pg_dir/password"
  for attempt in 1 2 3 4 5 6 7 8; do
    pg_port=$(free_port)
    if (cd / && "${pg_run[@]}" "$bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w -t 60 -o \
      "-c listen_addresses=127.0.0.1 -p $pg_port -k $pg_dir -c max_connections=300 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c shared_buffers=256MB -c maintenance_work_mem=256MB" \
      start >/dev/null); then
      log "PostgreSQL $("$bin/postgres" --version | grep -o '[0-9][0-9.]*' | head -n 1) on 127.0.0.1:$pg_port"
      return 0
    fi
    tail -n 5 "$pg_dir/server.log" >&2 || true
  done
  log "PostgreSQL: could not start a throwaway cluster"
  return 1
}
pg_connection() { echo "Host=127.0.0.1;Port=$pg_port;Username=berth;Password=$pg_password;Database=$1"; }
pg_sql() { PGPASSWORD=$pg_password timeout 600 psql -h 127.0.0.1 -p "$pg_port" -U berth -d postgres -v ON_ERROR_STOP=1 -qAt -c "$1"; }

# --- Berth ---------------------------------------------------------------------------------------

# start_berth PROVIDER DATADIR DATABASE: sets server_pid, base and startup_ms (launch until /healthz answers).
start_berth() {
  local provider=$1 data=$2 database=$3 port started_ms
  port=$(free_port)
  base="http://127.0.0.1:$port"
  local -a env=(BERTH_ADMIN_PASSWORD="$admin_password")
  if [ "$provider" = postgres ]; then
    env+=(BERTH_STORAGE__METADATA=postgres BERTH_STORAGE__POSTGRES__CONNECTIONSTRING="$(pg_connection "$database")")
  fi
  started_ms=$(now_ms)
  env "${env[@]}" dotnet "$repo/src/Berth/bin/Release/net10.0/berth.dll" serve --listen "127.0.0.1:$port" --data "$data" \
    >>"$work/berth-$provider.log" 2>&1 &
  server_pid=$!
  started+=("$server_pid")
  wait_ready "$base/healthz" "$server_pid" "$work/berth-$provider.log"
  startup_ms=$(( $(now_ms) - started_ms ))
}

# --- measurements ----------------------------------------------------------------------------------

declare -A result=() pid_of=() base_of=()

# wrk_rate RUN NAME URL [PATHS]: requests/s and p99 (ms); the round with the most requests/s is kept in
# result[RUN,NAME_rps|_p99]. PATHS (a file, one path a line) picks the path at random per request.
wrk_rate() {
  local run=$1 key=$2 url=$3 paths=${4:-} out rps p99
  local -a script=()
  if [ -n "$paths" ]; then script=(-s "$repo/bench/wrk/paths.lua"); fi
  curl -fsS --max-time 30 -o /dev/null -H "Accept: $accept" "$url" || { log "$run $key: $url does not answer 2xx"; return 1; }
  out=$(BENCH_PATHS=$paths timeout 120 wrk -t"$wrk_threads" -c"$connections" -d"$duration" --latency "${script[@]}" -H "Accept: $accept" "$url")
  echo "$out" >>"$work/wrk.log"
  read -r rps p99 < <(wrk_summary <<<"$out")
  log "$run $key: $rps req/s, p99 $p99 ms"
  if [ -z "${result[$run,${key}_rps]:-}" ] || [ "$rps" -gt "${result[$run,${key}_rps]}" ]; then
    result[$run,${key}_rps]=$rps
    result[$run,${key}_p99]=$p99
  fi
}

median() { sort -g | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2}'; }

# push_ms RUN FACTS: median milliseconds of sequential manifest PUTs (new digests, new tags) into one repository.
push_ms() {
  local run=$1 facts=$2 k times=()
  for ((k = 0; k < pushes && k < SCALE_PUSH_FILES; k++)); do
    times+=("$(curl -fsS --max-time 30 -o /dev/null -w '%{time_total}\n' -X PUT \
      -H 'Content-Type: application/vnd.oci.image.manifest.v1+json' --data-binary @"$facts/push/$k.json" \
      "${base_of[$run]}/v2/$SCALE_PUSH_REPOSITORY/manifests/push-${run/,/-}-$k")")
  done
  printf '%s\n' "${times[@]}" | median | awk '{printf "%.2f", $1 * 1000}'
}

# gc_seconds RUN: a dry run with untagged manifests; its own durationMs, in seconds.
gc_seconds() {
  local run=$1 answer
  answer=$(curl -fsS --max-time 1800 -X POST -u "admin:$admin_password" "${base_of[$run]}/api/v1/gc?dryRun=true&deleteUntagged=true")
  echo "$answer" >>"$work/gc.log"
  log "$run gc: $answer"
  jq -r '.durationMs / 1000 | . * 100 | round / 100' <<<"$answer"
}

# warm_up RUN: manifest GETs by tag and by digest for BENCH_DURATION each, not recorded. Right after
# start a store answers at a fraction of its rate (JIT tiers, cold caches), and GET by tag, measured
# first, had not settled in two rounds: 1M ÷ 1k came out 1.74 (SQLite) and 4.05 (PostgreSQL), where
# rounds 3–4 of a second look gave 1.01 and 1.11 (bench/RESULTS.md, issue 15 item 5 run 2).
warm_up() {
  local run=$1 size=${1#*,} paths
  for paths in "$work/facts-$size/tags.txt" "$work/facts-$size/digests.txt"; do
    BENCH_PATHS=$paths timeout 120 wrk -t"$wrk_threads" -c"$connections" -d"$duration" -s "$repo/bench/wrk/paths.lua" \
      -H "Accept: $accept" "${base_of[$run]}/v2/" >>"$work/wrk.log"
  done
  log "$run: warmed up"
}

# measure_op RUN OP: one wrk measurement of one operation on one store (its facts sourced first).
measure_op() {
  local run=$1 op=$2 size=${1#*,} base facts
  base=${base_of[$run]}
  facts=$work/facts-$size
  # shellcheck disable=SC1091
  source "$facts/facts.env"
  case $op in
    get_tag) wrk_rate "$run" "$op" "$base/v2/" "$facts/tags.txt" ;;
    get_digest) wrk_rate "$run" "$op" "$base/v2/" "$facts/digests.txt" ;;
    tags_first) wrk_rate "$run" "$op" "$base/v2/$SCALE_BIG_REPOSITORY/tags/list?n=100" ;;
    tags_deep) wrk_rate "$run" "$op" "$base/v2/$SCALE_BIG_REPOSITORY/tags/list?n=100&last=$SCALE_DEEP_TAG" ;;
    catalog_first) wrk_rate "$run" "$op" "$base/v2/_catalog?n=100" ;;
    catalog_deep) wrk_rate "$run" "$op" "$base/v2/_catalog?n=100&last=$SCALE_DEEP_REPOSITORY" ;;
    referrers) wrk_rate "$run" "$op" "$base/v2/$SCALE_REFERRERS_REPOSITORY/referrers/$SCALE_SUBJECT" ;;
  esac
}

# --- run ---------------------------------------------------------------------------------------------

if [ -z "${BENCH_NO_BUILD:-}" ]; then
  log "building Berth and scale-fill (Release)"
  dotnet build -c Release -v q -nologo src/Berth/Berth.csproj >"$work/build-berth.log" 2>&1 \
    || { cat "$work/build-berth.log" >&2; exit 1; }
fi
dotnet build -c Release -v q -nologo bench/scale/ScaleFill.csproj >"$work/build-fill.log" 2>&1 \
  || { cat "$work/build-fill.log" >&2; exit 1; }
fill() { dotnet "$repo/bench/scale/bin/Release/net10.0/scale-fill.dll" "$@"; }

if [[ " $providers " == *" postgres "* ]]; then start_postgres; fi

declare -A fill_s=() blob_files=()
runs=()
for size in $sizes; do
  blobs=$work/blobs-$size
  facts=$work/facts-$size
  mkdir -p "$blobs/blobs"
  t0=$(now_ms)
  fill --manifests "$size" --blobs "$blobs" --facts "$facts" >>"$work/fill.log"
  blob_files[$size]=$(find "$blobs/blobs" -type f | wc -l)
  log "size $size: ${blob_files[$size]} blob files in $(( ($(now_ms) - t0) / 1000 )) s"
  for provider in $providers; do
    run=$provider,$size
    data=$work/data-$provider-$size
    mkdir -p "$data"
    ln -s "$blobs/blobs" "$data/blobs"
    database=""
    if [ "$provider" = postgres ]; then
      database=scale_$size
      pg_sql "CREATE DATABASE $database"
    fi
    start_berth "$provider" "$data" "$database"   # applies the migrations to the empty store
    stop_server "$server_pid"
    t0=$(now_ms)
    if [ "$provider" = sqlite ]; then
      fill --manifests "$size" --sqlite "$data/metadata.db" >>"$work/fill.log"
    else
      fill --manifests "$size" --postgres "$(pg_connection "$database")" >>"$work/fill.log"
    fi
    fill_s[$run]=$(( ($(now_ms) - t0) / 1000 ))
    log "$run: filled in ${fill_s[$run]} s"
    runs+=("$run")
  done
done

if [ -n "${BENCH_LOCK:-}" ]; then
  log "waiting for $BENCH_LOCK"
  exec 9>"$BENCH_LOCK"
  flock 9
  load_start=$(cut -d' ' -f1-3 /proc/loadavg)
fi

# Every store is served at once, so each operation is measured on every size back to back (rounds
# alternate the order; the best round counts), and drift in the machine's load hits all sizes alike.
for run in "${runs[@]}"; do
  provider=${run%,*} size=${run#*,}
  database=""
  if [ "$provider" = postgres ]; then database=scale_$size; fi
  start_berth "$provider" "$work/data-$provider-$size" "$database"
  pid_of[$run]=$server_pid base_of[$run]=$base
  result[$run,startup_ms]=$startup_ms
  result[$run,rss_start]=$(rss_mib "$server_pid")
  log "$run: started in $startup_ms ms, RSS ${result[$run,rss_start]} MiB"
done

for run in "${runs[@]}"; do warm_up "$run"; done
reversed=()
for ((i = ${#runs[@]} - 1; i >= 0; i--)); do reversed+=("${runs[$i]}"); done
for op in $ops; do
  if [ "$op" = gc ] || [ "$op" = push ]; then continue; fi
  for ((round = 1; round <= rounds; round++)); do
    if ((round % 2)); then order=("${runs[@]}"); else order=("${reversed[@]}"); fi
    for run in "${order[@]}"; do measure_op "$run" "$op"; done
  done
done
for run in "${runs[@]}"; do
  [[ " $ops " == *" gc "* ]] || break
  size=${run#*,}
  result[$run,gc_s]=$(gc_seconds "$run")
  result[$run,gc_us_blob]=$(awk -v s="${result[$run,gc_s]}" -v n="${blob_files[$size]}" 'BEGIN {printf "%.1f", s * 1e6 / n}')
done
for run in "${runs[@]}"; do
  [[ " $ops " == *" push "* ]] || break
  size=${run#*,}
  # shellcheck disable=SC1091
  source "$work/facts-$size/facts.env"
  result[$run,push_ms]=$(push_ms "$run" "$work/facts-$size")
  log "$run push: ${result[$run,push_ms]} ms (median of $pushes)"
done
for run in "${runs[@]}"; do
  result[$run,rss_end]=$(rss_mib "${pid_of[$run]}")
  stop_server "${pid_of[$run]}"
done
if [ -n "${BENCH_LOCK:-}" ]; then exec 9>&-; fi   # every server that inherited it has stopped

# --- report ------------------------------------------------------------------------------------------

first_size=${sizes%% *}
last_size=${sizes##* }
label() { awk -v n="$1" 'BEGIN { if (n >= 1000000 && n % 1000000 == 0) printf "%dM", n / 1000000; else if (n >= 1000 && n % 1000 == 0) printf "%dk", n / 1000; else print n }'; }
# cost ratio last/first: for a rate (higher is better) first ÷ last, for a time last ÷ first; above 1 = costlier when larger.
cost_ratio() {
  local provider=$1 key=$2 rate=$3 a b
  a=${result[$provider,$first_size,$key]:-} b=${result[$provider,$last_size,$key]:-}
  if [ -n "$a" ] && [ -n "$b" ] && [ "$a" != 0 ] && [ "$b" != 0 ]; then
    awk -v a="$a" -v b="$b" -v rate="$rate" 'BEGIN {printf "%.2f", rate ? a / b : b / a}'
  else echo "n/a"; fi
}
row() { # label key rate(1|0) target
  local provider size line
  line="| $1 |"
  for provider in $providers; do
    for size in $sizes; do line+=" ${result[$provider,$size,$2]:-n/a} |"; done
    line+=" $(cost_ratio "$provider" "$2" "$3") |"
  done
  echo "$line $4 |"
}

{
  header="| measure |" rule="|---|"
  for provider in $providers; do
    for size in $sizes; do header+=" $provider $(label "$size") |"; rule+="---:|"; done
    header+=" $provider $(label "$last_size")/$(label "$first_size") |"; rule+="---:|"
  done
  header+=" target |" rule+="---|"
  echo
  echo "## Cost as the registry grows (issue 15 item 5, bench/scale.sh)"
  echo
  echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC'); Berth $(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo '?') (Release); $(nproc) cores, $(awk '/^MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo) RAM"
  echo "- load average (1/5/15 min) at start: $load_start, at end: $(cut -d' ' -f1-3 /proc/loadavg) — shared machine, other work skews every number"
  echo "- command: \`$command_line\`"
  for size in $sizes; do
    echo "- $(label "$size"): $size image manifests + 1,001 (subject and referrers), $((size + 1)) tags, $(( $(awk -v n="$size" 'BEGIN {r = int(n / 100); if (r < 10) r = 10; if (r > 10000) r = 10000; print r}') + 2 )) repositories, ${blob_files[$size]} blob files; fill time (s):$(for p in $providers; do printf ' %s %s' "$p" "${fill_s[$p,$size]:-n/a}"; done)"
  done
  echo "- method: every store served at once and warmed up (GET by tag and by digest, -d$duration each, not recorded); per operation wrk -t$wrk_threads -c$connections -d$duration on each store back to back, $rounds rounds in alternating order, best round kept; GET by tag/digest pick one of 1,000 manifests spread over the store at random per request;"
  echo "  pages are n=100, deep = 100 entries before the end (keyset \`last=\`); push = median of $pushes sequential curl PUTs of a new manifest (existing blobs);"
  echo "  GC = \`POST /api/v1/gc?dryRun=true&deleteUntagged=true\` durationMs; start-up = launch until /healthz answers. PostgreSQL: throwaway cluster, fsync off"
  echo "- ratio column: cost at the largest size ÷ cost at the smallest (rates inverted), so 1.00 = flat and above 1 = costlier as the registry grows"
  echo
  echo "$header"
  echo "$rule"
  row "manifest GET by tag (req/s)" get_tag_rps 1 "≤ 1.5"
  row "manifest GET by digest (req/s)" get_digest_rps 1 "≤ 1.5"
  row "manifest GET by tag p99 (ms)" get_tag_p99 0 "-"
  row "tag list, first page (req/s)" tags_first_rps 1 "flat"
  row "tag list, deep page (req/s)" tags_deep_rps 1 "= first page"
  row "catalog, first page (req/s)" catalog_first_rps 1 "flat"
  row "catalog, deep page (req/s)" catalog_deep_rps 1 "= first page"
  row "referrers, 1,000 (req/s)" referrers_rps 1 "-"
  row "push a manifest, median (ms)" push_ms 0 "≤ 1.5"
  row "GC dry run (s)" gc_s 0 "linear in blobs"
  row "GC dry run per blob file (µs)" gc_us_blob 0 "flat"
  row "start-up (ms)" startup_ms 0 "-"
  row "RSS after start (MiB)" rss_start 0 "-"
  row "RSS at end (MiB)" rss_end 0 "-"
} >"$work/section.md"

cat "$work/section.md"
if [ "$results_file" != - ]; then
  cat "$work/section.md" >>"$results_file"
  log "appended to $results_file"
fi
