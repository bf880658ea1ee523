#!/usr/bin/env bash
# Where the time of a Berth push to S3 goes: s3rver 3.7.1 (as bench/s3.sh starts it) with a require hook
# (bench/s3-trace/s3rver-trace.js) that logs every S3 request's start, end and duration, and Berth pushing
# one blob both ways (monolithic: POST + PUT with the body; docker's: POST + PATCH + PUT). For each push
# it prints the client's phases and, under them, the S3 calls Berth made, in seconds from the push's start
# (the UploadPart calls of one multipart upload folded into one line). A profile, not a benchmark: one
# run, no medians; bench/s3.sh has the ratios.
#
#   bench/s3-profile.sh                          # 256 MiB, this build (Release, built first)
#   BENCH_SIZE=1g BENCH_NO_BUILD=1 bench/s3-profile.sh
#   BENCH_BEFORE=/tmp/before bench/s3-profile.sh # the same pushes with an older published build too
set -euo pipefail
shopt -s inherit_errexit

cd "$(dirname "$0")/.."
repo=$(pwd)
size=${BENCH_SIZE:-256m}
before_dir=${BENCH_BEFORE:-}
declare -A blob_bytes=([16m]=$((16 * 1048576)) [64m]=$((64 * 1048576)) [256m]=$((256 * 1048576)) [1g]=$((1024 * 1048576)))
[ -n "${blob_bytes[$size]:-}" ] || { echo "bench: BENCH_SIZE is one of ${!blob_bytes[*]}" >&2; exit 1; }
for tool in curl node npm sha256sum dotnet awk; do
  command -v "$tool" >/dev/null || { echo "bench: missing $tool" >&2; exit 1; }
done

source "$repo/bench/lib.sh"
bench_workdir berth-s3-profile

s3rver_tools
s3_port=$(free_port)
s3="http://127.0.0.1:$s3_port"
mkdir -p "$work/s3"
trace=$work/s3rver.trace
S3RVER_TRACE=$trace node -r "$repo/bench/s3-trace/s3rver-trace.js" "$tools/node_modules/s3rver/bin/s3rver.js" \
  -d "$work/s3" -a 127.0.0.1 -p "$s3_port" --silent --no-vhost-buckets --configure-bucket bench >"$work/s3rver.log" 2>&1 &
started+=("$!")
wait_tcp "$s3_port" "$!" "$work/s3rver.log"

if [ -z "${BENCH_NO_BUILD:-}" ]; then
  log "building Berth (Release)"
  dotnet build -c Release -v q -nologo src/Berth/Berth.csproj >"$work/build-berth.log" 2>&1 \
    || { cat "$work/build-berth.log" >&2; exit 1; }
fi

# start_berth NAME DLL: prints the base URL.
start_berth() {
  local name=$1 dll=$2 port
  port=$(free_port)
  mkdir -p "$work/$name-data"
  BERTH_STORAGE__BLOBS=s3 BERTH_STORAGE__S3__BUCKET=bench BERTH_STORAGE__S3__ENDPOINT=$s3 \
    BERTH_STORAGE__S3__FORCEPATHSTYLE=true BERTH_STORAGE__S3__PREFIX="$name/" BERTH_STORAGE__S3__REGION=us-east-1 \
    BERTH_STORAGE__S3__ACCESSKEYID=S3RVER BERTH_STORAGE__S3__SECRETACCESSKEY=S3RVER \
    dotnet "$dll" serve --listen "127.0.0.1:$port" --data "$work/$name-data" >"$work/$name.log" 2>&1 &
  started+=("$!")
  wait_ready "http://127.0.0.1:$port/healthz" "$!" "$work/$name.log"
  echo "http://127.0.0.1:$port"
}

now() { date +%s.%N; }
absolute() { case $2 in http*) echo "$2" ;; *) echo "$1$2" ;; esac; }
location_of() { tr -d '\r' | awk 'tolower($1) == "location:" {print $2}'; }
with_digest() { case $1 in *\?*) echo "$1&digest=$2" ;; *) echo "$1?digest=$2" ;; esac; }

# push KIND BASE FILE DIGEST: pushes, and prints the phases as "NAME START END" lines.
push() {
  local kind=$1 base=$2 file=$3 digest=$4 t0 t1 t2 t3 location
  t0=$(now)
  location=$(absolute "$base" "$(curl -fsS --max-time 30 -X POST -o /dev/null -D - "$base/v2/bench/blobs/blobs/uploads/" | location_of)")
  t1=$(now)
  echo "POST $t0 $t1"
  if [ "$kind" = monolithic ]; then
    curl -fsS --max-time 600 -o /dev/null -H 'Expect:' -H 'Content-Type: application/octet-stream' -T "$file" "$(with_digest "$location" "$digest")"
    t2=$(now)
    echo "PUT(body) $t1 $t2"
  else
    location=$(absolute "$base" "$(curl -fsS --max-time 600 -o /dev/null -D - -X PATCH -H 'Expect:' -H 'Content-Type: application/octet-stream' -T "$file" "$location" | location_of)")
    t2=$(now)
    curl -fsS --max-time 600 -o /dev/null -X PUT "$(with_digest "$location" "$digest")"
    t3=$(now)
    echo "PATCH $t1 $t2"
    echo "PUT $t2 $t3"
  fi
}

# report TITLE PHASES: the phases, then the S3 requests that started in the push's window.
report() {
  local title=$1 phases=$2 from to
  from=$(awk 'NR == 1 {print $2}' <<<"$phases")
  to=$(awk 'END {print $3}' <<<"$phases")
  sleep 1 # the trace stream flushes asynchronously
  awk -v from="$from" -v to="$to" -v title="$title" -v phases="$phases" '
    BEGIN {
      printf "== %s: %.2f s\n", title, to - from
      n = split(phases, lines, "\n")
      for (i = 1; i <= n; i++) { split(lines[i], f, " "); printf "   client %-10s %7.3f – %7.3f  (%.3f s)\n", f[1], f[2] - from, f[3] - from, f[3] - f[2] }
      print "   S3 calls (start – end in s from the push start, ms, status, bytes sent, request):"
    }
    function flush() {
      if (parts > 0) printf "   %7.3f – %7.3f  %8.1f  UploadPart ×%d (%.1f ms each on average, %d bytes)\n", pstart - from, pend - from, (pend - pstart) * 1000, parts, psum / parts, pbytes
      parts = 0; psum = 0; pbytes = 0
    }
    $1 >= from - 0.001 && $1 <= to + 0.001 {
      if ($7 ~ /partNumber=/) {
        if (parts == 0) pstart = $1
        parts++; psum += $3; pend = $2; pbytes += ($5 == "-" ? 0 : $5)
        next
      }
      flush()
      printf "   %7.3f – %7.3f  %8.1f  %s %s %s %s\n", $1 - from, $2 - from, $3, $4, $5, $6, $7
    }
    END { flush() }' "$trace"
}

bases=("new=$(start_berth new "$repo/src/Berth/bin/Release/net10.0/berth.dll")")
if [ -n "$before_dir" ]; then bases+=("before=$(start_berth before "$before_dir/berth.dll")"); fi

for entry in "${bases[@]}"; do
  name=${entry%%=*} base=${entry#*=}
  for kind in monolithic patch; do
    # A warm-up push of 16 MiB (JIT, connections), then the profiled one.
    for bytes in $((16 * 1048576)) "${blob_bytes[$size]}"; do
      head -c "$bytes" /dev/urandom >"$work/blob.bin"
      digest=sha256:$(sha256sum "$work/blob.bin" | cut -d' ' -f1)
      phases=$(push "$kind" "$base" "$work/blob.bin" "$digest")
    done
    report "$name build, $kind push of $size" "$phases"
    rm -f "$work/blob.bin"
  done
done
echo "(load average at the end: $(cut -d' ' -f1-3 /proc/loadavg))"
