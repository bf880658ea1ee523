#!/usr/bin/env bash
# Where the time of a filesystem push goes, request by request: one Berth (or two: BENCH_BEFORE_DLL),
# pushing fresh random blobs monolithically (POST, PUT ?digest= with the body) and docker's way (POST,
# PATCH with the whole body, PUT ?digest= without one), alternated. For every request it prints the
# client's seconds, the server's user and system CPU seconds (/proc/PID/stat) and what the server read
# and wrote (/proc/PID/io: rchar/wchar are syscalls, read_bytes/write_bytes what reached the disk or was
# submitted for it). A profile, not a benchmark: bench/datapath.sh has the ratios.
#
#   BENCH_BERTH_DLL=/tmp/new/berth.dll bench/datapath-profile.sh
#   BENCH_SIZE=1g BENCH_REPS=3 BENCH_BERTH_DLL=… BENCH_BEFORE_DLL=… bench/datapath-profile.sh
#   BENCH_STRACE=1 …   # also `strace -c -f` over the server for each push (slows it: counts, not time)
#   BENCH_PERF=1 …     # also `perf record -g` of the server for each push (perf maps on), top symbols
#   BENCH_LOGS=DIR …   # copy the servers' logs there at the end
#   BENCH_NO_SYNC=1 …  # skip the `sync` before each push (by default nothing else is being written back)
#   BENCH_RECYCLE=1 …  # after each push, delete the blob it stored (untimed), so the next push's page
#                      # cache comes from just-freed memory rather than never-touched memory: on this VM
#                      # the first touch of a page costs ~0.4 s of system CPU per 256 MiB, more than
#                      # anything Berth does, and which push gets fresh pages is chance
set -euo pipefail

cd "$(dirname "$0")/.."
repo=$(pwd)
reps=${BENCH_REPS:-2}
size=${BENCH_SIZE:-256m}
declare -A bytes=([16m]=$((16 * 1048576)) [256m]=$((256 * 1048576)) [1g]=$((1024 * 1048576)))
[ -n "${bytes[$size]:-}" ] || { echo "bench: BENCH_SIZE is one of ${!bytes[*]}" >&2; exit 1; }
berth_dll=${BENCH_BERTH_DLL:-$repo/src/Berth/bin/Release/net10.0/berth.dll}
before_dll=${BENCH_BEFORE_DLL:-}
for tool in curl sha256sum dotnet awk; do
  command -v "$tool" >/dev/null || { echo "bench: missing $tool" >&2; exit 1; }
done
[ -z "${BENCH_STRACE:-}" ] || command -v strace >/dev/null || { echo "bench: missing strace" >&2; exit 1; }
[ -z "${BENCH_PERF:-}" ] || command -v perf >/dev/null || { echo "bench: missing perf" >&2; exit 1; }
# perf resolves JIT-compiled .NET frames through /tmp/perf-PID.map.
[ -z "${BENCH_PERF:-}" ] || export DOTNET_PerfMapEnabled=1

source "$repo/bench/lib.sh"
bench_workdir berth-datapath-profile
hz=$(getconf CLK_TCK)

declare -A base=() pid=()
start_berth() { # NAME DLL
  local port; port=$(free_port)
  mkdir -p "$work/$1-data"
  dotnet "$2" serve --listen "127.0.0.1:$port" --data "$work/$1-data" >"$work/$1.log" 2>&1 &
  pid[$1]=$!; started+=("$!"); base[$1]=http://127.0.0.1:$port
  wait_ready "${base[$1]}/healthz" "${pid[$1]}" "$work/$1.log"
}
start_berth new "$berth_dll"
names=(new)
if [ -n "$before_dll" ]; then start_berth before "$before_dll"; names=(before new); fi

# snapshot PID: "utime stime rchar wchar read_bytes write_bytes"
snapshot() {
  local stat; stat=$(cut -d' ' -f14,15 "/proc/$1/stat")
  echo "$stat $(awk '$1 ~ /^(rchar|wchar|read_bytes|write_bytes):$/ {printf "%s ", $2}' "/proc/$1/io")"
}
# report LABEL SECONDS BEFORE AFTER
report() {
  awk -v label="$1" -v s="$2" -v hz="$hz" -v a="$3" -v b="$4" 'BEGIN {
    split(a, x, " "); split(b, y, " ")
    printf "| %s | %.3f | %.2f | %.2f | %.0f | %.0f | %.0f | %.0f |\n", label, s, (y[1]-x[1])/hz, (y[2]-x[2])/hz,
      (y[3]-x[3])/1048576, (y[4]-x[4])/1048576, (y[5]-x[5])/1048576, (y[6]-x[6])/1048576 }'
}
# request NAME LABEL CURL-ARGS…: times one request, reports it, leaves its headers in $work/headers
request() {
  local name=$1 label=$2 a b s; shift 2
  a=$(snapshot "${pid[$name]}")
  s=$(curl -fsS --max-time 600 -o /dev/null -D "$work/headers" -w '%{time_total}' "$@")
  b=$(snapshot "${pid[$name]}")
  report "$name $label" "$s" "$a" "$b"
}
location() { # NAME
  local l; l=$(tr -d '\r' <"$work/headers" | awk 'tolower($1) == "location:" {print $2}')
  case $l in http*) echo "$l" ;; *) echo "${base[$1]}$l" ;; esac
}
with_digest() { case $1 in *\?*) echo "$1&digest=$2" ;; *) echo "$1?digest=$2" ;; esac; }

push() { # NAME WAY FILE DIGEST
  local name=$1 way=$2 file=$3 digest=$4 url
  request "$name" "$way POST" -X POST "${base[$name]}/v2/bench/blobs/blobs/uploads/"
  url=$(location "$name")
  if [ "$way" = monolithic ]; then
    request "$name" "$way PUT+body" -H 'Expect:' -H 'Content-Type: application/octet-stream' -T "$file" "$(with_digest "$url" "$digest")"
  else
    request "$name" "$way PATCH" -X PATCH -H 'Expect:' -H 'Content-Type: application/octet-stream' -T "$file" "$url"
    url=$(location "$name")
    request "$name" "$way PUT" -X PUT -H 'Content-Length: 0' "$(with_digest "$url" "$digest")"
  fi
}

traced_push() { # NAME WAY FILE DIGEST
  local trace=$work/trace-$1-$2 tracer
  if [ -n "${BENCH_STRACE:-}" ]; then
    strace -c -f -p "${pid[$1]}" -o "$trace.strace" 2>/dev/null &
  elif [ -n "${BENCH_PERF:-}" ]; then
    perf record -q -F 999 -g -p "${pid[$1]}" -o "$trace.perf" >/dev/null 2>&1 &
  else
    push "$@"; return
  fi
  tracer=$!
  sleep 1
  push "$@"
  kill -INT "$tracer"; wait "$tracer" || true
  if [ -n "${BENCH_STRACE:-}" ]; then
    echo "strace -c -f, $1 $2:" >&2
    head -n 22 "$trace.strace" >&2
  else
    echo "perf, $1 $2, by shared object then by symbol (self):" >&2
    perf report -q -i "$trace.perf" --no-children --sort dso --percent-limit 1 -g none 2>/dev/null | grep . | head -n 12 >&2
    perf report -q -i "$trace.perf" --no-children --sort dso,sym --percent-limit 0.7 -g none 2>/dev/null | grep . | head -n 40 >&2
  fi
}

fresh_blob() { head -c "${bytes[$size]}" /dev/urandom >"$work/blob"; echo "sha256:$(sha256sum "$work/blob" | cut -d' ' -f1)"; }

# Warm-up, untimed: a small push both ways on every server (JIT).
size_was=$size; size=16m
for name in "${names[@]}"; do
  for way in monolithic chunked; do digest=$(fresh_blob); push "$name" "$way" "$work/blob" "$digest" >/dev/null; done
done
size=$size_was

echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC'); size $size; load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "- new: $berth_dll${before_dll:+; before: $before_dll}"
echo
echo "| server, request | seconds | user CPU s | system CPU s | rchar MiB | wchar MiB | read_bytes MiB | write_bytes MiB |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|"
for ((i = 1; i <= reps; i++)); do
  for way in monolithic chunked; do
    for name in "${names[@]}"; do
      digest=$(fresh_blob)
      [ -n "${BENCH_NO_SYNC:-}" ] || sync
      traced_push "$name" "$way" "$work/blob" "$digest"
      [ -z "${BENCH_RECYCLE:-}" ] || rm -f "$work/$name-data/blobs/sha256/${digest:7:2}/${digest:7}"
    done
  done
done
echo "- load average at end $(cut -d' ' -f1-3 /proc/loadavg)"
# BENCH_LOGS=DIR keeps the servers' output (e.g. of a build instrumented to print its own timings).
[ -z "${BENCH_LOGS:-}" ] || { mkdir -p "$BENCH_LOGS"; for name in "${names[@]}"; do cp "$work/$name.log" "$BENCH_LOGS/"; done; }
