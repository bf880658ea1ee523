#!/usr/bin/env bash
# The blob data path (issue 15 items 1 and 2) against its floors, in one run, round after round
# (every contender once per round, so the neighbours' load on these shared cores hits all alike):
#
#   push  dd          dd if=BLOB of=FILE bs=1M conv=fdatasync (the disk's durable write speed)
#         hash-fsync  bench/datapath-floor.py: read 1 MiB, SHA-256 it, write it, fsync, rename, one
#                     thread, the way a perfect registry would handle the bytes it receives
#         berth       monolithic POST + PUT ?digest= (curl -T), and chunked: POST + PATCH (the whole
#                     body, as docker sends it) + PUT ?digest=
#         distribution the same two on Debian's docker-registry
#   pull  berth, distribution, and the floor (bench/floor, bare Kestrel) serving the same file through
#         SendFileAsync and through 1 MiB reads into the response pipe
#
#   bench/datapath.sh                        # 256 MiB and 1 GiB, 3 rounds
#   BENCH_SIZES="256m" BENCH_REPS=2 bench/datapath.sh
#   BENCH_BERTH_DLL=/tmp/old/berth.dll bench/datapath.sh   # another build
#   BENCH_BEFORE_DLL=/tmp/main/berth.dll bench/datapath.sh # also that build ("before"), in the same rounds
#
# Prints MiB/s medians and the server's CPU seconds per GiB (utime+stime from /proc/PID/stat), with
# the load average; writes nothing in the repository.
#
# Every push writes into recycled memory: after each one the page cache of what it stored is dropped
# (untimed; the floors delete their files), and the pulled blobs are read into the cache again before
# the pulls. On this VM the first touch of a page costs ~0.4 s of system CPU per 256 MiB written, more
# than anything a registry does with the bytes, and without this which contender got never-touched pages
# depended on the order (bench/RESULTS.md, "Issue 15 target 1: …"). BENCH_KEEP_CACHE=1 keeps the old way.
set -euo pipefail

cd "$(dirname "$0")/.."
repo=$(pwd)
reps=${BENCH_REPS:-3}
sizes=${BENCH_SIZES:-"256m 1g"}
berth_dll=${BENCH_BERTH_DLL:-$repo/src/Berth/bin/Release/net10.0/berth.dll}
for tool in curl dd python3 docker-registry sha256sum dotnet awk; do
  command -v "$tool" >/dev/null || { echo "bench: missing $tool" >&2; exit 1; }
done

load_start=$(cut -d' ' -f1-3 /proc/loadavg)
source "$repo/bench/lib.sh"
bench_workdir berth-datapath
declare -A bytes=([256m]=$((256 * 1048576)) [1g]=$((1024 * 1048576)))
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
hz=$(getconf CLK_TCK)

# --- servers ---------------------------------------------------------------------------------
port=$(free_port); berth=http://127.0.0.1:$port
mkdir -p "$work/berth-data"
dotnet "$berth_dll" serve --listen "127.0.0.1:$port" --data "$work/berth-data" >"$work/berth.log" 2>&1 &
berth_pid=$!; started+=("$berth_pid")
wait_ready "$berth/healthz" "$berth_pid" "$work/berth.log"

before_dll=${BENCH_BEFORE_DLL:-}
if [ -n "$before_dll" ]; then
  port=$(free_port); before=http://127.0.0.1:$port
  mkdir -p "$work/before-data"
  dotnet "$before_dll" serve --listen "127.0.0.1:$port" --data "$work/before-data" >"$work/before.log" 2>&1 &
  before_pid=$!; started+=("$before_pid")
  wait_ready "$before/healthz" "$before_pid" "$work/before.log"
fi

port=$(free_port); distribution=http://127.0.0.1:$port
mkdir -p "$work/distribution-data"
cat >"$work/distribution.yml" <<EOF
version: 0.1
log: {level: warn, accesslog: {disabled: true}}
storage: {cache: {blobdescriptor: inmemory}, filesystem: {rootdirectory: $work/distribution-data}, delete: {enabled: true}}
http: {addr: 127.0.0.1:$port}
EOF
docker-registry serve "$work/distribution.yml" >"$work/distribution.log" 2>&1 &
distribution_pid=$!; started+=("$distribution_pid")
wait_ready "$distribution/v2/" "$distribution_pid" "$work/distribution.log"

mkdir -p "$work/blobs"
port=$(free_port); floor=http://127.0.0.1:$port
dotnet "$repo/bench/floor/bin/Release/net10.0/floor.dll" --urls "$floor" --files "$work/blobs" >"$work/floor.log" 2>&1 &
floor_pid=$!; started+=("$floor_pid")
wait_ready "$floor/" "$floor_pid" "$work/floor.log"

# --- operations: each prints seconds -----------------------------------------------------------
upload_location() { # BASE
  local location
  location=$(curl -fsS --max-time 30 -X POST -o /dev/null -D - "$1/v2/bench/blobs/blobs/uploads/" \
    | tr -d '\r' | awk 'tolower($1) == "location:" {print $2}')
  case $location in http*) ;; *) location="$1$location" ;; esac
  echo "$location"
}
with_digest() { case $1 in *\?*) echo "$1&digest=$2" ;; *) echo "$1?digest=$2" ;; esac; }

push_monolithic() { # BASE FILE DIGEST
  local location; location=$(upload_location "$1")
  curl -fsS --max-time 600 -o /dev/null -w '%{time_total}\n' -H 'Expect:' -H 'Content-Type: application/octet-stream' \
    -T "$2" "$(with_digest "$location" "$3")"
}

# Seconds of the two requests as curl timed them, as push_monolithic reports its one: the time between them is
# this script starting the second curl (~10 ms quiet, 100+ under load), which docker, reusing its connection,
# does not spend; timing the whole function added it to the chunked push (bench/RESULTS.md, branch fspush).
push_chunked() { # BASE FILE DIGEST: PATCH with the whole body, then PUT ?digest= without one
  local location patch put
  location=$(upload_location "$1")
  patch=$(curl -fsS --max-time 600 -o /dev/null -D "$work/patch-headers" -w '%{time_total}' -X PATCH -H 'Expect:' \
    -H 'Content-Type: application/octet-stream' -T "$2" "$location")
  location=$(tr -d '\r' <"$work/patch-headers" | awk 'tolower($1) == "location:" {print $2}')
  case $location in http*) ;; *) location="$1$location" ;; esac
  put=$(curl -fsS --max-time 600 -o /dev/null -w '%{time_total}' -X PUT -H 'Content-Length: 0' "$(with_digest "$location" "$3")")
  awk -v a="$patch" -v b="$put" 'BEGIN {print a + b}'
}

pull() { curl -fsS --max-time 600 -o /dev/null -w '%{time_total}\n' "$1"; }

floor_dd() { # FILE
  local start end
  start=$(date +%s.%N)
  dd if="$1" of="$work/floor-dd.out" bs=1M conv=fdatasync status=none
  end=$(date +%s.%N)
  rm -f "$work/floor-dd.out"
  awk -v a="$start" -v b="$end" 'BEGIN {print b - a}'
}

floor_hash() { python3 "$repo/bench/datapath-floor.py" "$1" "$work/floor-hash"; rm -rf "$work/floor-hash"; }

# drop_cache DIR...: the files under DIR leave the page cache (they are flushed, so their pages are clean).
drop_cache() {
  [ -z "${BENCH_KEEP_CACHE:-}" ] || return 0
  python3 - "$@" <<'PY'
import os, sys
for top in sys.argv[1:]:
    for folder, _, files in os.walk(top):
        for name in files:
            fd = os.open(os.path.join(folder, name), os.O_RDONLY)
            os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
            os.close(fd)
PY
}
# warm_cache BASE DIGEST: the blob a pull is about to read is read into the page cache first, untimed,
# as the floor's file is (curl read it for the pushes).
warm_cache() { curl -fsS --max-time 600 -o /dev/null "$1/v2/bench/blobs/blobs/$2"; }

# --- run ---------------------------------------------------------------------------------------
declare -A seconds=() ticks=()
# timed NAME PID COMMAND...: appends the seconds COMMAND prints to NAME, and PID's CPU ticks
timed() {
  local name=$1 pid=$2 t0 s; shift 2
  [ "$pid" = - ] || t0=$(cpu_ticks "$pid")
  s=$("$@")
  seconds[$name]+="$s "
  [ "$pid" = - ] || ticks[$name]=$(( ${ticks[$name]:-0} + $(cpu_ticks "$pid") - t0 ))
}

# Warm-up, untimed: BENCH_WARMUP (64) small pushes each way and pulls on every server, so no timed run carries
# JIT compilation. .NET compiles a method again, optimised, after 30 calls (twice with dynamic PGO), and each
# request runs many methods once: after one warm-up push per way the JIT still took 7 % of Berth's CPU samples
# during the timed 256 MiB pushes (bench/RESULTS.md, branch fspush), a cost a running registry paid long before.
warm=$work/blobs/warm-up.bin
for ((w = 1; w <= ${BENCH_WARMUP:-64}; w++)); do
  head -c 1024 /dev/urandom >"$warm"
  warm_digest=sha256:$(sha256sum "$warm" | cut -d' ' -f1)
  for server in "$berth" ${before:+"$before"} "$distribution"; do
    push_monolithic "$server" "$warm" "$warm_digest" >/dev/null
    pull "$server/v2/bench/blobs/blobs/$warm_digest" >/dev/null
  done
  head -c 1024 /dev/urandom >"$warm"
  warm_digest=sha256:$(sha256sum "$warm" | cut -d' ' -f1)
  for server in "$berth" ${before:+"$before"} "$distribution"; do
    push_chunked "$server" "$warm" "$warm_digest" >/dev/null
  done
  pull "$floor/sendfile/warm-up.bin" >/dev/null
  pull "$floor/pipe/warm-up.bin" >/dev/null
done
rm -f "$warm"

for size in $sizes; do
  for ((i = 1; i <= reps; i++)); do
    blob=$work/blobs/blob-$size-$i.bin
    head -c "${bytes[$size]}" /dev/urandom >"$blob"
    digest=sha256:$(sha256sum "$blob" | cut -d' ' -f1)
    # Written back now rather than by the flusher 30 s later, in the middle of some contender's push.
    sync "$blob"
    timed "$size push dd" - floor_dd "$blob"
    timed "$size push hash-fsync" - floor_hash "$blob"
    timed "$size push berth monolithic" "$berth_pid" push_monolithic "$berth" "$blob" "$digest"
    drop_cache "$work/berth-data/blobs"
    if [ -n "$before_dll" ]; then
      timed "$size push before monolithic" "$before_pid" push_monolithic "$before" "$blob" "$digest"
      drop_cache "$work/before-data/blobs"
    fi
    timed "$size push distribution monolithic" "$distribution_pid" push_monolithic "$distribution" "$blob" "$digest"
    drop_cache "$work/distribution-data"
    # A fresh blob for the chunked pushes: the same digest again would be a re-upload.
    head -c "${bytes[$size]}" /dev/urandom >"$blob.2"
    digest2=sha256:$(sha256sum "$blob.2" | cut -d' ' -f1)
    sync "$blob.2"
    timed "$size push berth chunked" "$berth_pid" push_chunked "$berth" "$blob.2" "$digest2"
    drop_cache "$work/berth-data/blobs"
    if [ -n "$before_dll" ]; then
      timed "$size push before chunked" "$before_pid" push_chunked "$before" "$blob.2" "$digest2"
      drop_cache "$work/before-data/blobs"
    fi
    timed "$size push distribution chunked" "$distribution_pid" push_chunked "$distribution" "$blob.2" "$digest2"
    drop_cache "$work/distribution-data"
    rm -f "$blob.2"
    if [ -z "${BENCH_KEEP_CACHE:-}" ]; then
      for server in "$berth" ${before:+"$before"} "$distribution"; do warm_cache "$server" "$digest"; done
    fi
    timed "$size pull berth" "$berth_pid" pull "$berth/v2/bench/blobs/blobs/$digest"
    [ -z "$before_dll" ] || timed "$size pull before" "$before_pid" pull "$before/v2/bench/blobs/blobs/$digest"
    timed "$size pull distribution" "$distribution_pid" pull "$distribution/v2/bench/blobs/blobs/$digest"
    timed "$size pull floor sendfile" "$floor_pid" pull "$floor/sendfile/blob-$size-$i.bin"
    timed "$size pull floor pipe" "$floor_pid" pull "$floor/pipe/blob-$size-$i.bin"
    rm -f "$blob"
    log "$size round $i done (load $(cut -d' ' -f1 /proc/loadavg))"
  done
done

# --- report ------------------------------------------------------------------------------------
median() { tr ' ' '\n' | grep . | sort -g | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2}'; }
echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC'); Berth: $berth_dll${before_dll:+; before: $before_dll}"
echo "- load average at start: $load_start, at end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "- command: \`bench/datapath.sh\` (BENCH_REPS=$reps, BENCH_SIZES=\"$sizes\")"
echo
echo "| size | operation | median MiB/s | server CPU s/GiB | all runs (s) |"
echo "|---|---|---:|---:|---|"
for size in $sizes; do
  for op in "push dd" "push hash-fsync" "push berth monolithic" "push before monolithic" "push distribution monolithic" \
    "push berth chunked" "push before chunked" "push distribution chunked" "pull berth" "pull before" "pull distribution" \
    "pull floor sendfile" "pull floor pipe"; do
    key="$size $op"
    [ -n "${seconds[$key]:-}" ] || continue
    s=$(median <<<"${seconds[$key]}")
    cpu=n/a
    if [ -n "${ticks[$key]:-}" ]; then
      cpu=$(awk -v t="${ticks[$key]}" -v hz="$hz" -v n="$reps" -v b="${bytes[$size]}" 'BEGIN {printf "%.2f", t / hz / n / (b / 1073741824)}')
    fi
    printf '| %s | %s | %.0f | %s | %s|\n' "$size" "$op" "$(awk -v b="${bytes[$size]}" -v s="$s" 'BEGIN {print b / 1048576 / s}')" "$cpu" "${seconds[$key]}"
  done
done
