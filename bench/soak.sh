#!/usr/bin/env bash
# Soak (issue 12 item 13): one Release Berth (SQLite, filesystem, a federated config) under
# BENCH_CONNECTIONS (64) connections for BENCH_SOAK_SECONDS (600) seconds of a mix, per 10 calls:
# 4 manifest GETs, 3 blob pulls (64 KiB), 2 token exchanges (workload JWT → registry token) and 1 push of
# a fresh 4 KiB blob. The driver is bench/soak (C#: wrk cannot hash fresh blobs). Reports errors (target 0),
# the server's RSS at start/middle/end (target: spread ≤ 64 MiB after the first minute) and p99 per
# minute, and appends a section to bench/RESULTS.md (BENCH_RESULTS=FILE to write elsewhere, - for stdout).
# Exits 1 when a target is not met.
#
#   bench/soak.sh
#   BENCH_SOAK_SECONDS=60 BENCH_RESULTS=- bench/soak.sh
#
# The identity provider is a static JWKS made here with openssl (RSA 2048, RS256), as in bench/federation.sh.
set -euo pipefail

cd "$(dirname "$0")/.."
repo=$(pwd)
command_line="bench/soak.sh${*:+ $*}"
for var in BENCH_SOAK_SECONDS BENCH_CONNECTIONS BENCH_NO_BUILD BENCH_RESULTS; do
  if [ -n "${!var:-}" ]; then command_line="$var=\"${!var}\" $command_line"; fi
done

seconds=${BENCH_SOAK_SECONDS:-600}
connections=${BENCH_CONNECTIONS:-64}
results_file=${BENCH_RESULTS:-$repo/bench/RESULTS.md}

for tool in curl openssl xxd jq dotnet; do
  command -v "$tool" >/dev/null || { echo "bench: missing $tool" >&2; exit 1; }
done

load_start=$(cut -d' ' -f1-3 /proc/loadavg)
source "$repo/bench/lib.sh"
bench_workdir berth-soak

# Valid for the whole soak plus margin (within the default 24 h maxTokenLifetime).
bench_github_identity soak $((seconds + 3600))
printf '%s\n' "$jwt" >"$work/jwt"

cat >"$work/berth.yaml" <<YAML
tokens:
  # One client on one IP exchanges hundreds of tokens a second.
  rateLimitPerClientIp: 0
  rateLimitPerSubject: 0
identityProviders:
  - name: github
    issuer: $issuer
    audiences: [$audience]
    jwks: '$jwks'
projects:
  - name: library
robots:
  - name: ci-push
    identityProvider: github
    rules:
      - { claim: repository_owner_id, equals: "46576199" }
      - { claim: repository, equals: acme/app }
    permissions:
      - { project: library, repositories: "app/**", actions: [pull, push] }
YAML

if [ -z "${BENCH_NO_BUILD:-}" ]; then
  log "building Berth and the soak driver (Release)"
  dotnet build -c Release -v q -nologo src/Berth/Berth.csproj >"$work/build-berth.log" 2>&1 \
    || { cat "$work/build-berth.log" >&2; exit 1; }
  dotnet build -c Release -v q -nologo bench/soak/Soak.csproj >"$work/build-soak.log" 2>&1 \
    || { cat "$work/build-soak.log" >&2; exit 1; }
fi

port=$(free_port)
base="http://127.0.0.1:$port"
mkdir -p "$work/data"
dotnet "$repo/src/Berth/bin/Release/net10.0/berth.dll" serve --listen "127.0.0.1:$port" \
  --data "$work/data" --config "$work/berth.yaml" >"$work/berth.log" 2>&1 &
berth_pid=$!
started+=("$berth_pid")
wait_ready "$base/healthz" "$berth_pid" "$work/berth.log"
challenge=$(curl -s --max-time 10 -o /dev/null -D - "$base/v2/" | tr -d '\r' | awk 'tolower($1) == "www-authenticate:"')
service=$(sed -E 's/.*service="([^"]*)".*/\1/' <<<"$challenge")
[ -n "$service" ] || { log "no service in the /v2/ challenge: $challenge"; exit 1; }

log "soaking $base for $seconds s on $connections connections (load $(cut -d' ' -f1 /proc/loadavg))"
status=0
soak_report=$(timeout $((seconds + 300)) dotnet "$repo/bench/soak/bin/Release/net10.0/soak.dll" --base "$base" --pid "$berth_pid" \
  --duration "$seconds" --connections "$connections" --jwt-file "$work/jwt" --service "$service") || status=$?
kill -0 "$berth_pid" 2>/dev/null || { log "Berth died during the soak:"; tail -n 20 "$work/berth.log" >&2; status=1; }
data_size=$(du -sh "$work/data" | cut -f1)
stop_server "$berth_pid"

report=$(
  echo
  echo "## Soak: $seconds s, $connections connections, mixed calls (bench/soak.sh)"
  echo
  echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "- machine: $(nproc) cores ($(awk -F': *' '/^model name/ {print $2; exit}' /proc/cpuinfo)), $(awk '/^MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo) RAM, $(uname -sr)"
  echo "- Berth $(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo '?') (Release), SQLite + filesystem, one IdP (static JWKS, RS256), one robot, default logging (a line per request into a file); data folder at the end: $data_size"
  echo "- load average (1/5/15 min) at start: $load_start, at end: $(cut -d' ' -f1-3 /proc/loadavg) — other work shares these cores with server and driver"
  echo "- command: \`$command_line\`"
  echo "- mix per 10 calls: 4 manifest GET by tag, 3 blob GET (64 KiB), 2 token exchanges (\`GET /service/token\`, Basic JWT), 1 push of a fresh 4 KiB blob (\`POST ?digest=\`); registry token renewed every minute; driver exit status $status"
  echo
  echo "$soak_report"
)
if [ "$results_file" = - ]; then
  echo "$report"
else
  echo "$report" >>"$results_file"
  log "appended to $results_file"
  echo "$report"
fi
exit "$status"
