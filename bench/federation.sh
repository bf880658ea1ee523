#!/usr/bin/env bash
# Federation benchmark (issue 3): in one run, on this machine, one after another:
#   token    GET /service/token?service=…&scope=repository:library/app/web:pull with
#            Basic not-relevant:$JWT (a federated workload JWT → an ES256 registry token)
#   auth     GET /v2/library/app/web/manifests/v1 with Bearer <registry token>
#   anon     GET /v2/public-images/web/manifests/v1 without credentials (public project)
#   floor    GET / on bench/floor (bare Kestrel, 1 KiB body)
# each with wrk (BENCH_CONNECTIONS connections, BENCH_DURATION, after a BENCH_WARMUP warm-up),
# the Authorization header set by bench/wrk/authorization.lua. Reports req/s and p99, the
# ratios token/floor (target ≥ 0.5) and auth/anon (target ≥ 0.8), and appends a section to
# bench/RESULTS.md (BENCH_RESULTS=FILE to write elsewhere, BENCH_RESULTS=- for stdout only).
#
#   bench/federation.sh
#   BENCH_DURATION=5s BENCH_NO_BUILD=1 bench/federation.sh
#
# The identity provider is a static JWKS made here with openssl (RSA 2048, RS256); the JWT is
# signed with openssl too, valid for one hour, with GitHub Actions' claim names.
set -euo pipefail

cd "$(dirname "$0")/.."
repo=$(pwd)
command_line="bench/federation.sh${*:+ $*}"
for var in BENCH_DURATION BENCH_WARMUP BENCH_CONNECTIONS BENCH_WRK_THREADS BENCH_NO_BUILD BENCH_RESULTS BENCH_BERTH_DLL BENCH_HOSTING_LOG; do
  if [ -n "${!var:-}" ]; then command_line="$var=\"${!var}\" $command_line"; fi
done

duration=${BENCH_DURATION:-10s}
# 10 s, not 3: on these shared cores tiered compilation (and dynamic PGO) may finish the token path
# after a 3 s warm-up, so the measured run would include some of it.
warmup=${BENCH_WARMUP:-10s}
connections=${BENCH_CONNECTIONS:-16}
wrk_threads=${BENCH_WRK_THREADS:-2}
results_file=${BENCH_RESULTS:-$repo/bench/RESULTS.md}
# Another build to measure (e.g. a copy of main's bin/Release for a before/after in one session).
berth_dll=${BENCH_BERTH_DLL:-$repo/src/Berth/bin/Release/net10.0/berth.dll}
# BENCH_HOSTING_LOG=None|Warning|…: the level of ASP.NET Core's per-request hosting log
# (Microsoft.AspNetCore.Hosting.Diagnostics). Berth writes nothing from it at the bench's warnings-only
# level, but with any level on the host still opens a logging scope and an Activity per request; the floor
# has no logging at all. Unset: Berth as it ships (Warning, BerthApp.ConfigureLogging).
hosting_log=${BENCH_HOSTING_LOG:-}
accept="application/vnd.oci.image.manifest.v1+json, application/vnd.oci.image.index.v1+json, application/vnd.docker.distribution.manifest.v2+json, application/vnd.docker.distribution.manifest.list.v2+json"
lua=$repo/bench/wrk/authorization.lua

for tool in curl wrk openssl xxd jq sha256sum dotnet awk; do
  command -v "$tool" >/dev/null || { echo "bench: missing $tool" >&2; exit 1; }
done

load_start=$(cut -d' ' -f1-3 /proc/loadavg)
source "$repo/bench/lib.sh"
bench_workdir berth-fedbench

bench_github_identity bench 3600

cat >"$work/berth.yaml" <<EOF
tokens:
  # The bench measures the exchange itself: one client on one IP asks thousands of times a second.
  rateLimitPerClientIp: 0
  rateLimitPerSubject: 0
identityProviders:
  - name: github
    issuer: $issuer
    audiences: [$audience]
    jwks: '$jwks'
projects:
  - name: library
  - name: public-images
    public: true
robots:
  - name: ci-push
    identityProvider: github
    rules:
      - { claim: repository_owner_id, equals: "46576199" }
      - { claim: repository, equals: acme/app }
      - { claim: ref, glob: "refs/heads/*" }
      - { claim: event_name, in: [push, workflow_dispatch] }
    permissions:
      - { project: library, repositories: "app/**", actions: [pull, push] }
      - { project: public-images, repositories: "**", actions: [pull, push] }
EOF

# --- servers -----------------------------------------------------------------------------

start_berth() {
  local port=$1
  mkdir -p "$work/berth-data"
  env ${hosting_log:+"Logging__LogLevel__Microsoft.AspNetCore.Hosting.Diagnostics=$hosting_log"} dotnet "$berth_dll" serve --listen "127.0.0.1:$port" \
    --data "$work/berth-data" --config "$work/berth.yaml" >"$work/berth.log" 2>&1 &
  server_pid=$!
  started+=("$server_pid")
  wait_ready "http://127.0.0.1:$port/healthz" "$server_pid" "$work/berth.log"
}

# --- registry calls with curl ------------------------------------------------------------------

# registry_token BASE SCOPE: a registry token for SCOPE bought with the workload JWT.
registry_token() {
  curl -fsS --max-time 30 -u "not-relevant:$jwt" \
    "$1/service/token?service=$(jq -rn --arg s "$service" '$s|@uri')&scope=$(jq -rn --arg s "$2" '$s|@uri')" | jq -er .token
}

# push_blob BASE REPO FILE AUTH: monolithic upload (POST, PUT ?digest=).
push_blob() {
  local base=$1 name=$2 file=$3 auth=$4 digest location sep
  digest=sha256:$(sha256sum "$file" | cut -d' ' -f1)
  location=$(curl -fsS --max-time 30 -X POST -H "Authorization: $auth" -o /dev/null -D - "$base/v2/$name/blobs/uploads/" \
    | tr -d '\r' | awk 'tolower($1) == "location:" {print $2}')
  [ -n "$location" ] || { log "no upload location for $name"; return 1; }
  case $location in http*) ;; *) location="$base$location" ;; esac
  case $location in *\?*) sep='&' ;; *) sep='?' ;; esac
  curl -fsS --max-time 60 -o /dev/null -X PUT -H "Authorization: $auth" -H 'Content-Type: application/octet-stream' \
    --data-binary @"$file" "$location${sep}digest=$digest"
}

# push_image BASE REPO: config + one 4 KiB layer + manifest tagged v1, with a push token.
push_image() {
  local base=$1 name=$2 token auth config_digest layer_digest
  token=$(registry_token "$base" "repository:$name:pull,push")
  auth="Bearer $token"
  printf '{"architecture":"amd64","os":"linux"}' >"$work/config.json"
  head -c 4096 /dev/urandom >"$work/layer.bin"
  config_digest=sha256:$(sha256sum "$work/config.json" | cut -d' ' -f1)
  layer_digest=sha256:$(sha256sum "$work/layer.bin" | cut -d' ' -f1)
  push_blob "$base" "$name" "$work/config.json" "$auth"
  push_blob "$base" "$name" "$work/layer.bin" "$auth"
  cat >"$work/manifest.json" <<EOF
{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"$config_digest","size":$(stat -c %s "$work/config.json")},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"$layer_digest","size":4096}]}
EOF
  curl -fsS --max-time 30 -o /dev/null -X PUT -H "Authorization: $auth" \
    -H 'Content-Type: application/vnd.oci.image.manifest.v1+json' \
    --data-binary @"$work/manifest.json" "$base/v2/$name/manifests/v1"
}

# --- measurements ------------------------------------------------------------------------------

# measure NAME URL AUTHORIZATION PID: warm-up, then wrk; records req/s and p99 (ms) of NAME, and the
# server's CPU time per request (utime+stime of PID over the measured run ÷ requests, in µs): on these
# shared cores it moves far less with the neighbours' load than req/s does.
declare -A rps=() p99=() cpu=()
measure() {
  local name=$1 url=$2 pid=$4 out parsed ticks
  local -a headers=(-H "Accept: $accept")
  [ -z "$3" ] || headers+=(-H "Authorization: $3")
  export BENCH_AUTHORIZATION=$3 BENCH_ACCEPT=$accept
  curl -fsS --max-time 10 -o /dev/null "${headers[@]}" "$url" \
    || { log "$name: $url does not answer 2xx"; return 1; }
  timeout 120 wrk -t"$wrk_threads" -c"$connections" -d"$warmup" -s "$lua" "$url" >/dev/null
  ticks=$(awk '{print $14 + $15}' "/proc/$pid/stat")
  out=$(timeout 120 wrk -t"$wrk_threads" -c"$connections" -d"$duration" --latency -s "$lua" "$url")
  ticks=$(( $(awk '{print $14 + $15}' "/proc/$pid/stat") - ticks ))
  cpu[$name]=$(awk -v t="$ticks" -v hz="$(getconf CLK_TCK)" -v n="$(awk '/requests in/ {print $1}' <<<"$out")" 'BEGIN {printf "%.0f", t / hz * 1e6 / n}')
  printf '=== %s %s\n%s\n' "$name" "$url" "$out" >>"$work/wrk.log"
  parsed=$(wrk_summary <<<"$out")
  rps[$name]=${parsed% *}
  p99[$name]=${parsed#* }
  log "$name: ${rps[$name]} req/s, p99 ${p99[$name]} ms, ${cpu[$name]} µs CPU/request (load $(cut -d' ' -f1 /proc/loadavg))"
}

# --- run -----------------------------------------------------------------------------------

if [ -z "${BENCH_NO_BUILD:-}" ]; then
  log "building Berth and the floor (Release)"
  dotnet build -c Release -v q -nologo src/Berth/Berth.csproj >"$work/build-berth.log" 2>&1 \
    || { cat "$work/build-berth.log" >&2; exit 1; }
  dotnet build -c Release -v q -nologo bench/floor/Floor.csproj >"$work/build-floor.log" 2>&1 \
    || { cat "$work/build-floor.log" >&2; exit 1; }
fi

port=$(free_port)
base="http://127.0.0.1:$port"
log "starting Berth on $base"
start_berth "$port"
berth_pid=$server_pid
challenge=$(curl -s --max-time 10 -o /dev/null -D - "$base/v2/" | tr -d '\r' | awk 'tolower($1) == "www-authenticate:"')
service=$(sed -E 's/.*service="([^"]*)".*/\1/' <<<"$challenge")
[ -n "$service" ] || { log "no service in the /v2/ challenge: $challenge"; exit 1; }
push_image "$base" library/app/web
push_image "$base" public-images/web
token_scope=$(jq -rn --arg s "repository:library/app/web:pull" '$s|@uri')
basic="Basic $(printf 'not-relevant:%s' "$jwt" | base64 -w0)"
expires_in=$(curl -fsS --max-time 10 -H "Authorization: $basic" "$base/service/token?service=$service&scope=$token_scope" | jq -r .expires_in)

measure token "$base/service/token?service=$service&scope=$token_scope" "$basic" "$berth_pid"
measure auth "$base/v2/library/app/web/manifests/v1" "Bearer $(registry_token "$base" repository:library/app/web:pull)" "$berth_pid"
measure anon "$base/v2/public-images/web/manifests/v1" "" "$berth_pid"
berth_rss=$(( $(awk '/^VmRSS:/ {print $2}' "/proc/$berth_pid/status") / 1024 ))
stop_server "$berth_pid"

port=$(free_port)
log "starting the floor on 127.0.0.1:$port"
start_floor "$port"
floor_pid=$server_pid
measure floor "http://127.0.0.1:$port/" "" "$floor_pid"
stop_server "$floor_pid"

# --- report ------------------------------------------------------------------------------------

ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }
verdict() { awk -v r="$1" -v t="$2" 'BEGIN {print (r >= t) ? "met" : "not met"}'; }
token_floor=$(ratio "${rps[token]}" "${rps[floor]}")
auth_anon=$(ratio "${rps[auth]}" "${rps[anon]}")
report=$(
  echo
  echo "## Federation: token exchange and authenticated manifest GET (bench/federation.sh)"
  echo
  echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "- machine: $(nproc) cores ($(awk -F': *' '/^model name/ {print $2; exit}' /proc/cpuinfo)), $(awk '/^MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo) RAM, $(uname -sr)"
  echo "- Berth $(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo '?') (Release) with a federated config: one IdP (static JWKS, RS256 2048), one robot with 4 claim rules, projects \`library\` (private) and \`public-images\` (public); registry tokens live ${expires_in} s; RSS after the run ${berth_rss} MiB"
  echo "- logging: warnings only (bench/lib.sh), \`Microsoft.AspNetCore.Hosting.Diagnostics\` at ${hosting_log:-Warning (as shipped)} (BENCH_HOSTING_LOG)"
  echo "- load average (1/5/15 min) at start: $load_start, at end: $(cut -d' ' -f1-3 /proc/loadavg) — other engineers' builds share these 2 cores with server and load generator"
  echo "- command: \`$command_line\`"
  echo "- method: \`wrk -t$wrk_threads -c$connections -d$duration --latency -s bench/wrk/authorization.lua\` after a $warmup warm-up, one endpoint after another:"
  echo "  token = \`GET /service/token?service=$service&scope=repository:library/app/web:pull\` with \`Basic not-relevant:\$JWT\` (validation, 4 rules, ES256 signing, audit row);"
  echo "  auth = manifest GET by tag with \`Bearer <registry token>\`; anon = manifest GET by tag on the public project, no credentials; floor = \`GET /\` on bench/floor"
  echo
  echo "| measure | req/s | p99 (ms) | server CPU µs/request |"
  echo "|---|---:|---:|---:|"
  echo "| token exchange (JWT → registry token) | ${rps[token]} | ${p99[token]} | ${cpu[token]} |"
  echo "| manifest GET, Bearer registry token | ${rps[auth]} | ${p99[auth]} | ${cpu[auth]} |"
  echo "| manifest GET, anonymous (public project) | ${rps[anon]} | ${p99[anon]} | ${cpu[anon]} |"
  echo "| HTTP floor (\`GET /\`) | ${rps[floor]} | ${p99[floor]} | ${cpu[floor]} |"
  echo
  echo "| ratio | value | target | |"
  echo "|---|---:|---|---|"
  echo "| token exchange ÷ floor | $token_floor | ≥ 0.5 | $(verdict "$token_floor" 0.5) |"
  echo "| authenticated ÷ anonymous manifest GET | $auth_anon | ≥ 0.8 | $(verdict "$auth_anon" 0.8) |"
)
if [ "$results_file" = - ]; then
  echo "$report"
else
  echo "$report" >>"$results_file"
  log "appended to $results_file"
  echo "$report"
fi
