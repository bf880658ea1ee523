#!/usr/bin/env bash
# Benchmarks Berth against Debian's CNCF distribution (docker-registry 2.8) and a bare
# Kestrel endpoint (the HTTP floor), all on this machine, one after another, each on its
# own loopback port, and writes bench/RESULTS.md.
#
#   bench/run.sh                      # everything (builds Berth and the floor in Release)
#   BENCH_SERVERS="distribution floor" bench/run.sh   # a subset
#   BENCH_BERTH_DLL=/tmp/new/berth.dll BENCH_BEFORE_DLL=/tmp/old/berth.dll bench/run.sh
#                                     # given builds (no build step), old and new side by side
#   BENCH_DIRTY_MB=3000 bench/run.sh  # each manifest GET run starts with that much unsynced data in the
#                                     # page cache, so it runs during the kernel's writeback of it
#
# Measured per registry: monolithic push (POST + PUT ?digest=, body streamed by curl -T)
# and pull (curl -o /dev/null) of a 256 MiB and a 1 GiB random blob, median of
# BENCH_REPS runs, in MiB/s; manifest GET by tag with wrk at 16 and 64 connections for
# BENCH_DURATION (requests/s and p99); VmRSS at the end; VmHWM growth over VmRSS while
# pushing 1 GiB. The floor gets the same wrk runs. Every step is bounded by a timeout.
set -euo pipefail

cd "$(dirname "$0")/.."
repo=$(pwd)
command_line="bench/run.sh${*:+ $*}"
for var in BENCH_SERVERS BENCH_REPS BENCH_DURATION BENCH_WRK_THREADS BENCH_BERTH_DLL BENCH_BEFORE_DLL BENCH_DIRTY_MB; do
  if [ -n "${!var:-}" ]; then command_line="$var=\"${!var}\" $command_line"; fi
done

berth_dll=${BENCH_BERTH_DLL:-$repo/src/Berth/bin/Release/net10.0/berth.dll}
before_dll=${BENCH_BEFORE_DLL:-}
servers=${BENCH_SERVERS:-"berth${before_dll:+ before} distribution floor"}
reps=${BENCH_REPS:-3}
duration=${BENCH_DURATION:-10s}
wrk_threads=${BENCH_WRK_THREADS:-2}
dirty_mb=${BENCH_DIRTY_MB:-0}
results_file=${BENCH_RESULTS:-$repo/bench/RESULTS.md}   # - prints the section only
begin_mark='<!-- bench/run.sh writes from here -->'
end_mark='<!-- bench/run.sh writes up to here -->'
accept="application/vnd.oci.image.manifest.v1+json, application/vnd.oci.image.index.v1+json, application/vnd.docker.distribution.manifest.v2+json, application/vnd.docker.distribution.manifest.list.v2+json"

for tool in curl wrk docker-registry sha256sum dotnet awk; do
  command -v "$tool" >/dev/null || { echo "bench: missing $tool" >&2; exit 1; }
done

load_start=$(cut -d' ' -f1-3 /proc/loadavg)
source "$repo/bench/lib.sh"
bench_workdir berth-bench

rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }
hwm_kib() { awk '/^VmHWM:/ {print $2}' "/proc/$1/status"; }

# --- servers -----------------------------------------------------------------------------

# start_berth PORT [DLL NAME]: Berth from DLL (default: this checkout's Release build).
start_berth() {
  local port=$1 dll=${2:-$berth_dll} name=${3:-berth}
  local data=$work/$name-data
  mkdir -p "$data"
  # Berth logs no line per request (ASP.NET Core categories are filtered to Warning).
  dotnet "$dll" serve --listen "127.0.0.1:$port" --data "$data" >"$work/$name.log" 2>&1 &
  server_pid=$!
  started+=("$server_pid")
  wait_ready "http://127.0.0.1:$port/healthz" "$server_pid" "$work/$name.log"
}

# The build named by BENCH_BEFORE_DLL, measured the same way as Berth.
start_before() { start_berth "$1" "$before_dll" before; }

# Debian's shipped configuration (filesystem storage, in-memory blob descriptor cache,
# deletes enabled) without htpasswd auth, with request logging off as for Berth.
start_distribution() {
  local port=$1 data=$work/distribution-data
  mkdir -p "$data"
  cat >"$work/distribution.yml" <<EOF
version: 0.1
log:
  level: warn
  accesslog:
    disabled: true
storage:
  cache:
    blobdescriptor: inmemory
  filesystem:
    rootdirectory: $data
  delete:
    enabled: true
http:
  addr: 127.0.0.1:$port
EOF
  docker-registry serve "$work/distribution.yml" >"$work/distribution.log" 2>&1 &
  server_pid=$!
  started+=("$server_pid")
  wait_ready "http://127.0.0.1:$port/v2/" "$server_pid" "$work/distribution.log"
}

# --- measurements ------------------------------------------------------------------------

# push BASE REPO FILE DIGEST: monolithic upload; prints seconds of the PUT carrying the bytes.
push_seconds() {
  local base=$1 repo_name=$2 file=$3 digest=$4 location sep
  location=$(curl -fsS --max-time 30 -X POST -o /dev/null -D - "$base/v2/$repo_name/blobs/uploads/" \
    | tr -d '\r' | awk 'tolower($1) == "location:" {print $2}')
  [ -n "$location" ] || { log "no upload location from $base"; return 1; }
  case $location in http*) ;; *) location="$base$location" ;; esac
  case $location in *\?*) sep='&' ;; *) sep='?' ;; esac
  curl -fsS --max-time 600 -o /dev/null -w '%{time_total}\n' -H 'Expect:' \
    -H 'Content-Type: application/octet-stream' -T "$file" "$location${sep}digest=$digest"
}

pull_seconds() {
  local base=$1 repo_name=$2 digest=$3
  curl -fsS --max-time 600 -o /dev/null -w '%{time_total}\n' "$base/v2/$repo_name/blobs/$digest"
}

median() { sort -g | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2}'; }
mib_per_s() { awk -v bytes="$1" -v s="$2" 'BEGIN {printf "%.0f", bytes / 1048576 / s}'; }

# wrk_run URL CONNECTIONS: prints "requests/s p99_ms".
wrk_run() {
  local url=$1 connections=$2 out
  out=$(timeout 120 wrk -t"$wrk_threads" -c"$connections" -d"$duration" --latency -H "Accept: $accept" "$url")
  echo "$out" >>"$work/wrk.log"
  wrk_summary <<<"$out"
}

# Pushes a tiny image (config, one layer, manifest tagged v1) into REPO; prints nothing.
push_manifest() {
  local base=$1 repo_name=$2 config_digest layer_digest
  printf '{"architecture":"amd64","os":"linux"}' >"$work/config.json"
  head -c 4096 /dev/urandom >"$work/layer.bin"
  config_digest=sha256:$(sha256sum "$work/config.json" | cut -d' ' -f1)
  layer_digest=sha256:$(sha256sum "$work/layer.bin" | cut -d' ' -f1)
  push_seconds "$base" "$repo_name" "$work/config.json" "$config_digest" >/dev/null
  push_seconds "$base" "$repo_name" "$work/layer.bin" "$layer_digest" >/dev/null
  cat >"$work/manifest.json" <<EOF
{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"$config_digest","size":$(stat -c %s "$work/config.json")},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"$layer_digest","size":4096}]}
EOF
  curl -fsS --max-time 30 -o /dev/null -X PUT -H 'Content-Type: application/vnd.oci.image.manifest.v1+json' \
    --data-binary @"$work/manifest.json" "$base/v2/$repo_name/manifests/v1"
}

declare -A result=()

bench_registry() {
  local name=$1 port base rss_before
  port=$(free_port)
  base="http://127.0.0.1:$port"
  log "starting $name on $base"
  "start_$name" "$port"
  local pid=$server_pid
  result[$name,rss_start]=$(( $(rss_kib "$pid") / 1024 ))

  for size in 256m 1g; do
    local bytes=${blob_bytes[$size]} pushes=() pulls=()
    for ((i = 1; i <= reps; i++)); do
      local file=$work/blob-$size-$i.bin digest=${blob_digest[$size-$i]}
      if [ "$size" = 1g ] && [ "$i" = 1 ]; then
        rss_before=$(rss_kib "$pid")
        echo 5 >"/proc/$pid/clear_refs"   # resets VmHWM to the current RSS
      fi
      pushes+=("$(push_seconds "$base" bench/blobs "$file" "$digest")")
      if [ "$size" = 1g ] && [ "$i" = 1 ]; then
        result[$name,rss_growth]=$(( ($(hwm_kib "$pid") - rss_before) / 1024 ))
      fi
      pulls+=("$(pull_seconds "$base" bench/blobs "$digest")")
      log "$name $size #$i: push ${pushes[-1]} s, pull ${pulls[-1]} s"
    done
    result[$name,push_$size]=$(mib_per_s "$bytes" "$(printf '%s\n' "${pushes[@]}" | median)")
    result[$name,pull_$size]=$(mib_per_s "$bytes" "$(printf '%s\n' "${pulls[@]}" | median)")
  done

  push_manifest "$base" bench/app
  bench_get "$name" "$base/v2/bench/app/manifests/v1"
  result[$name,rss_end]=$(( $(rss_kib "$pid") / 1024 ))
  stop_server "$pid"
}

bench_get() {
  local name=$1 url=$2 c rps p99
  curl -fsS --max-time 10 -o /dev/null -H "Accept: $accept" "$url"
  for c in 16 64; do
    local measured
    if [ "$dirty_mb" -gt 0 ]; then
      # Written, not synced: the kernel writes it back while wrk runs, as a busy host's other work would.
      timeout 120 dd if=/dev/zero of="$work/dirty" bs=1M count="$dirty_mb" status=none
    fi
    measured=$(wrk_run "$url" "$c")
    if [ "$dirty_mb" -gt 0 ]; then rm -f "$work/dirty"; sync; fi
    read -r rps p99 <<<"$measured"
    result[$name,get_rps_$c]=$rps
    result[$name,get_p99_$c]=$p99
    log "$name GET c=$c: $rps req/s, p99 $p99 ms"
  done
}

bench_floor() {
  local port pid
  port=$(free_port)
  log "starting floor on 127.0.0.1:$port"
  start_floor "$port"
  pid=$server_pid
  result[floor,rss_start]=$(( $(rss_kib "$pid") / 1024 ))
  bench_get floor "http://127.0.0.1:$port/"
  result[floor,rss_end]=$(( $(rss_kib "$pid") / 1024 ))
  stop_server "$pid"
}

# --- run -----------------------------------------------------------------------------------

wants() { [[ " $servers " == *" $1 "* ]]; }

if wants berth && [ -z "${BENCH_BERTH_DLL:-}" ]; then
  log "building Berth (Release)"
  dotnet build -c Release -v q -nologo src/Berth/Berth.csproj >"$work/build-berth.log" 2>&1 \
    || { cat "$work/build-berth.log" >&2; exit 1; }
fi
if wants floor; then
  log "building the floor (Release)"
  dotnet build -c Release -v q -nologo bench/floor/Floor.csproj >"$work/build-floor.log" 2>&1 \
    || { cat "$work/build-floor.log" >&2; exit 1; }
fi

declare -A blob_bytes=([256m]=$((256 * 1048576)) [1g]=$((1024 * 1048576)))
declare -A blob_digest=()
if wants berth || wants before || wants distribution; then
  log "generating random blobs ($reps × 256 MiB + $reps × 1 GiB)"
  for size in 256m 1g; do
    for ((i = 1; i <= reps; i++)); do
      head -c "${blob_bytes[$size]}" /dev/urandom >"$work/blob-$size-$i.bin"
      blob_digest[$size-$i]=sha256:$(sha256sum "$work/blob-$size-$i.bin" | cut -d' ' -f1)
    done
  done
  # The inputs are 3.8 GiB of dirty page cache: unsynced, the kernel writes them back during the
  # registries' runs, and the manifest GET's p99 measured that writeback rather than the registry.
  sync
fi

for name in berth before distribution; do
  if wants "$name"; then bench_registry "$name"; fi
done
if wants floor; then bench_floor; fi

# --- report ----------------------------------------------------------------------------------

value() { echo "${result[$1,$2]:-n/a}"; }
ratio() {
  local a=${result[$1,$3]:-} b=${result[$2,$3]:-}
  if [ -n "$a" ] && [ -n "$b" ] && [ "$b" != 0 ]; then
    awk -v a="$a" -v b="$b" -v inv="${4:-0}" 'BEGIN {printf "%.2f×", inv ? b / a : a / b}'
  else echo "n/a"; fi
}
row() { # label key target [inverse]
  if [ -n "$before_dll" ]; then
    printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$1" "$(value berth "$2")" "$(value before "$2")" \
      "$(value distribution "$2")" "$(value floor "$2")" "$(ratio berth before "$2" "${4:-0}")" \
      "$(ratio berth distribution "$2" "${4:-0}")" "$(ratio berth floor "$2" "${4:-0}")" "$3"
  else
    printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$1" "$(value berth "$2")" "$(value distribution "$2")" \
      "$(value floor "$2")" "$(ratio berth distribution "$2" "${4:-0}")" "$(ratio berth floor "$2" "${4:-0}")" "$3"
  fi
}

section=$work/section.md
{
  echo "$begin_mark"
  echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "- machine: $(nproc) cores ($(awk -F': *' '/^model name/ {print $2; exit}' /proc/cpuinfo)), $(awk '/^MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo) RAM, $(uname -sr)"
  echo "- servers: Berth ${BENCH_BERTH_DLL:-$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo '?') (Release)}${before_dll:+, before = $before_dll}, $(docker-registry --version 2>/dev/null | awk '{print $2, $3}'), floor = bench/floor (Kestrel, 1 KiB body); all on 127.0.0.1, load generator on the same cores"
  echo "- load average (1/5/15 min) at start: $load_start, at end: $(cut -d' ' -f1-3 /proc/loadavg) — other work on these cores skews every number"
  echo "- command: \`$command_line\`"
  echo "- method: push = monolithic POST + PUT ?digest= with \`curl -T\`, pull = \`curl -o /dev/null\`, median of $reps runs (MiB/s; each run a fresh random blob);"
  echo "  GET = \`wrk -t$wrk_threads -c16|64 -d$duration --latency\` on a manifest by tag with an OCI Accept header (floor: \`GET /\`);"
  echo "  RSS growth = VmHWM − VmRSS around the first 1 GiB push (VmHWM reset through /proc/PID/clear_refs); request logging off on every server"
  if [ "$dirty_mb" -gt 0 ]; then echo "- each GET run started with $dirty_mb MiB of unsynced data in the page cache (BENCH_DIRTY_MB)"; fi
  echo
  if [ -n "$before_dll" ]; then
    echo "| measure | Berth | before | distribution | floor | Berth/before | Berth/distribution | Berth/floor | target |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|---|"
  else
    echo "| measure | Berth | distribution | floor | Berth/distribution | Berth/floor | target |"
    echo "|---|---:|---:|---:|---:|---:|---|"
  fi
  row "push 256 MiB (MiB/s)" push_256m "≥ 2× distribution"
  row "push 1 GiB (MiB/s)" push_1g "≥ 2× distribution"
  row "pull 256 MiB (MiB/s)" pull_256m "≥ 1.2× distribution"
  row "pull 1 GiB (MiB/s)" pull_1g "≥ 1.2× distribution"
  row "manifest GET, 16 conn (req/s)" get_rps_16 "≥ 10× distribution, ≥ 0.5× floor"
  row "manifest GET, 16 conn, p99 (ms)" get_p99_16 "lower is better (ratio inverted)" 1
  row "manifest GET, 64 conn (req/s)" get_rps_64 "≥ 10× distribution, ≥ 0.5× floor"
  row "manifest GET, 64 conn, p99 (ms)" get_p99_64 "lower is better (ratio inverted)" 1
  row "RSS after start (MiB)" rss_start "-"
  row "RSS at end (MiB)" rss_end "-"
  row "RSS growth pushing 1 GiB (MiB)" rss_growth "≤ 64 MiB"
  echo
  echo "Ratios are Berth ÷ other (for p99 other ÷ Berth, so above 1 means Berth is faster)."
  echo "$end_mark"
} >"$section"

# The run's section replaces the previous one between the marks; notes written by hand around it stay.
if [ "$results_file" = - ]; then
  cat "$section"
elif [ -f "$results_file" ] && grep -qxF "$begin_mark" "$results_file"; then
  awk -v begin="$begin_mark" -v end="$end_mark" -v section="$section" '
    $0 == begin { while ((getline line < section) > 0) print line; skipping = 1; next }
    $0 == end { skipping = 0; next }
    !skipping { print }' "$results_file" >"$work/results.md"
  cp "$work/results.md" "$results_file"
  log "updated the bench/run.sh section of $results_file"
else
  { echo "# Benchmark results"; echo; cat "$section"; [ ! -f "$results_file" ] || { echo; cat "$results_file"; }; } >"$work/results.md"
  cp "$work/results.md" "$results_file"
  log "wrote $results_file"
fi
cat "$section"
