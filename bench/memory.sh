#!/usr/bin/env bash
# Memory of Berth (issue 15 item 4): RSS right after start-up and at the end of the manifest GET
# load of bench/run.sh, for one or more variants side by side in one run, round after round
# (variants interleaved, so neighbours' load on these shared cores hits every variant alike).
#
#   bench/memory.sh                                   # the Release build as it is
#   bench/memory.sh base: wks:DOTNET_gcServer=0       # variants: LABEL[@PROGRAM]:VAR=value,VAR=value
#   BENCH_ROUNDS=3 bench/memory.sh old@/tmp/old/berth.dll: new:
#   bench/memory.sh fdd@/tmp/fdd/berth.dll: trimmed@/tmp/trimmed/berth:   # an executable runs as it is
#
# PROGRAM is a berth.dll (run with `dotnet`) or an executable, such as the self-contained, trimmed
# `berth` of docs/operations.md ("Memory"), which carries its own runtime.
#
# Per variant and round: RSS when /healthz first answers, RSS 3 s later, then a tiny image is
# pushed and wrk loads a manifest GET by tag (16 then 64 connections, BENCH_DURATION each, as in
# bench/run.sh), then RSS at the end, req/s and server CPU µs per request (/proc/PID/stat
# utime+stime over the two wrk runs ÷ requests). Prints a table; writes nothing in the repository.
set -euo pipefail

cd "$(dirname "$0")/.."
repo=$(pwd)
duration=${BENCH_DURATION:-10s}
rounds=${BENCH_ROUNDS:-2}
accept="application/vnd.oci.image.manifest.v1+json, application/vnd.oci.image.index.v1+json"
default_dll=$repo/src/Berth/bin/Release/net10.0/berth.dll
[ $# -gt 0 ] || set -- "release:"

for tool in curl wrk sha256sum dotnet awk; do
  command -v "$tool" >/dev/null || { echo "bench: missing $tool" >&2; exit 1; }
done

load_start=$(cut -d' ' -f1-3 /proc/loadavg)
source "$repo/bench/lib.sh"
bench_workdir berth-membench

rss_mib() { awk '/^VmRSS:/ {printf "%.0f", $2 / 1024}' "/proc/$1/status"; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

push_blob() { # BASE FILE
  local digest location sep
  digest=sha256:$(sha256sum "$2" | cut -d' ' -f1)
  location=$(curl -fsS --max-time 30 -X POST -o /dev/null -D - "$1/v2/bench/app/blobs/uploads/" \
    | tr -d '\r' | awk 'tolower($1) == "location:" {print $2}')
  case $location in http*) ;; *) location="$1$location" ;; esac
  case $location in *\?*) sep='&' ;; *) sep='?' ;; esac
  curl -fsS --max-time 30 -o /dev/null -X PUT -H 'Content-Type: application/octet-stream' \
    --data-binary @"$2" "$location${sep}digest=$digest"
  echo "$digest"
}

push_image() { # BASE
  local config layer
  printf '{"architecture":"amd64","os":"linux"}' >"$work/config.json"
  head -c 4096 /dev/urandom >"$work/layer.bin"
  config=$(push_blob "$1" "$work/config.json")
  layer=$(push_blob "$1" "$work/layer.bin")
  printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"%s","size":%s},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"%s","size":4096}]}' \
    "$config" "$(stat -c %s "$work/config.json")" "$layer" >"$work/manifest.json"
  curl -fsS --max-time 30 -o /dev/null -X PUT -H 'Content-Type: application/vnd.oci.image.manifest.v1+json' \
    --data-binary @"$work/manifest.json" "$1/v2/bench/app/manifests/v1"
}

wrk_requests() { # URL CONNECTIONS: prints the number of requests completed
  timeout 120 wrk -t2 -c"$2" -d"$duration" -H "Accept: $accept" "$1" \
    | awk '/requests in/ {print $1} /Non-2xx/ {print "wrk: non-2xx" > "/dev/stderr"; exit 1}'
}

run_variant() { # SPEC ROUND
  local spec=$1 label program vars port base pid data start settled end t0 t1 n16 n64 secs
  label=${spec%%:*}
  vars=${spec#*:}
  program=$default_dll
  if [[ $label == *@* ]]; then program=${label#*@}; label=${label%%@*}; fi
  local -a run=("$program")
  if [[ $program == *.dll ]]; then run=(dotnet "$program"); fi
  local -a env_args=()
  if [ -n "$vars" ]; then IFS=, read -ra env_args <<<"$vars"; fi
  port=$(free_port)
  base="http://127.0.0.1:$port"
  data=$work/data-$label-$2
  mkdir -p "$data"
  env ${env_args[@]+"${env_args[@]}"} "${run[@]}" serve --listen "127.0.0.1:$port" --data "$data" \
    >"$work/berth-$label.log" 2>&1 &
  pid=$!
  started+=("$pid")
  wait_ready "$base/healthz" "$pid" "$work/berth-$label.log"
  start=$(rss_mib "$pid")
  sleep 3
  settled=$(rss_mib "$pid")
  push_image "$base"
  curl -fsS --max-time 10 -o /dev/null -H "Accept: $accept" "$base/v2/bench/app/manifests/v1"
  t0=$(cpu_ticks "$pid")
  n16=$(wrk_requests "$base/v2/bench/app/manifests/v1" 16)
  n64=$(wrk_requests "$base/v2/bench/app/manifests/v1" 64)
  t1=$(cpu_ticks "$pid")
  end=$(rss_mib "$pid")
  stop_server "$pid"
  secs=${duration%s}
  printf '| %s | %s | %s | %s | %s | %.0f | %.0f | %.1f |\n' "$label" "$2" "$start" "$settled" "$end" \
    "$(awk -v n="$n16" -v s="$secs" 'BEGIN {print n / s}')" "$(awk -v n="$n64" -v s="$secs" 'BEGIN {print n / s}')" \
    "$(awk -v t=$((t1 - t0)) -v n=$((n16 + n64)) -v hz="$(getconf CLK_TCK)" 'BEGIN {print t / hz * 1e6 / n}')"
}

echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC'), load at start: $load_start"
echo "- command: \`bench/memory.sh $*\` (BENCH_DURATION=$duration, BENCH_ROUNDS=$rounds)"
echo
echo "| variant | round | RSS at ready (MiB) | RSS 3 s later (MiB) | RSS at end of GET load (MiB) | GET req/s c16 | GET req/s c64 | CPU µs/GET |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|"
for ((round = 1; round <= rounds; round++)); do
  for spec in "$@"; do run_variant "$spec" "$round"; done
done
echo
echo "- load at end: $(cut -d' ' -f1-3 /proc/loadavg)"
