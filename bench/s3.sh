#!/usr/bin/env bash
# Benchmarks Berth on the S3 blob store against the same S3 server used directly, side by side in
# one run: an S3 server on 127.0.0.1, Berth (Release) with `storage.blobs: s3` on it, and the same bytes
# sent straight to that server. The server is s3rver 3.7.1 (npm, as ./test.sh starts it: one node.js
# thread writing to disk) or, with BENCH_S3_SERVER=radosgw, Ceph's radosgw (multi-threaded, Ceph 16.2 from
# Debian) on a throwaway one-machine cluster whose OSD keeps objects in memory (memstore), started by
# tests/Berth.Storage.S3.Radosgw.Tests/ceph-cluster.sh as radosgw.sh starts it.
#
#   bench/s3.sh                       # builds Berth in Release, prints the table (append it to bench/RESULTS.md)
#   BENCH_S3_SERVER=radosgw bench/s3.sh   # the same rows against Ceph radosgw (installs its Debian packages when missing)
#   BENCH_REPS=1 BENCH_SIZES=256m bench/s3.sh
#   BENCH_NO_BUILD=1 bench/s3.sh      # use the Release build already there
#   BENCH_S3_TLS=1 bench/s3.sh        # the S3 server over HTTPS (throwaway certificate), as S3 is reached in production
#   BENCH_LOGS=/tmp/s3-logs bench/s3.sh   # keep the servers' logs there (radosgw's has every S3 request, its start and latency)
#   BENCH_BEFORE=/tmp/before bench/s3.sh   # also push and pull with an older build (`dotnet publish src/Berth -c Release -o DIR`
#                                     # from the commit to compare with): "before" rows from the same run
#
# Measured for a 256 MiB and a 1 GiB random blob, median of BENCH_REPS runs, in seconds:
# - direct multipart PUT: initiate, 8 MiB parts (pre-split, one curl with --next so the connection is
#   reused, UNSIGNED-PAYLOAD), complete; the AWS SDK for .NET's TransferUtility (bench/s3-transfer: the same
#   SDK version and client settings as Berth, 8 MiB parts, its default 10 in flight, payloads signed over plain
#   HTTP as Berth's are; one warm process for the whole run); and `aws s3 cp` (the AWS CLI's multipart,
#   parallel parts) when the aws command is on PATH;
# - Berth push, monolithic (POST, then PUT ?digest= with the body: containerd's way, and bench/run.sh's)
#   and docker's (POST, PATCH with the whole body, PUT ?digest=: docker, podman, skopeo);
# - direct GET from the S3 server and Berth's streamed pull;
# - the 307 of a Berth started with storage.s3.redirect: true, with wrk (req/s, the registry's part only);
# - RSS growth of Berth (VmHWM − VmRSS, VmHWM reset through /proc/PID/clear_refs) around each 1 GiB push.
# - CPU seconds per GiB that the S3 server's processes and Berth spent on each of these (user + system time
#   from /proc), steadier than wall-clock seconds when other work shares the cores.
# Before the measured runs, each Berth takes two 128 MiB pushes of both kinds (JIT, connection pool: the
# first measured rows were otherwise slower). With BENCH_BEFORE, the older build runs beside the new one on the
# same S3 server (its own key prefix and data folder) and gets the same blobs right after (or, every other
# run, right before) the new one, so before/after come from the same minutes of the same machine.
# After each run the bench deletes that run's objects (direct and Berth's blobs; not timed), and on radosgw
# lets its garbage collection free their data, so the memstore OSD holds one run's blobs at a time.
set -euo pipefail
shopt -s inherit_errexit

cd "$(dirname "$0")/.."
repo=$(pwd)
command_line="bench/s3.sh${*:+ $*}"
for var in BENCH_S3_SERVER BENCH_S3_TLS BENCH_REPS BENCH_SIZES BENCH_DURATION BENCH_BEFORE; do
  if [ -n "${!var:-}" ]; then command_line="$var=\"${!var}\" $command_line"; fi
done
reps=${BENCH_REPS:-3}
sizes=${BENCH_SIZES:-"256m 1g"}
duration=${BENCH_DURATION:-10s}
part=$((8 * 1048576))
before_dir=${BENCH_BEFORE:-}
server=${BENCH_S3_SERVER:-s3rver}
case $server in s3rver | radosgw) ;; *) echo "bench: BENCH_S3_SERVER=$server: s3rver or radosgw" >&2; exit 1 ;; esac
if [ -n "$before_dir" ] && [ ! -f "$before_dir/berth.dll" ]; then
  echo "bench: BENCH_BEFORE=$before_dir has no berth.dll (publish the older build there first)" >&2
  exit 1
fi

server_tools=(node npm)
[ "$server" = s3rver ] || server_tools=()
for tool in curl wrk sha256sum dotnet awk split "${server_tools[@]}"; do
  command -v "$tool" >/dev/null || { echo "bench: missing $tool" >&2; exit 1; }
done

load_start=$(cut -d' ' -f1-3 /proc/loadavg)
source "$repo/bench/lib.sh"
bench_workdir berth-s3-bench

rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }
hwm_kib() { awk '/^VmHWM:/ {print $2}' "/proc/$1/status"; }
median() { sort -g | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2}'; }

# CPU time (user + system, clock ticks) the processes PID… have used so far; on a loaded machine the seconds
# of CPU each side spends per GiB are steadier than wall-clock times.
ticks() { local pid sum=0; for pid in "$@"; do sum=$((sum + $(awk '{print $14 + $15}' "/proc/$pid/stat"))); done; echo "$sum"; }
declare -A cpu_server=() cpu_berth=()
# timed KEY BERTH_PID COMMAND…: runs COMMAND (which prints seconds) and sets $last to what it printed; adds the
# CPU ticks the S3 server's processes and that Berth used meanwhile to cpu_server[KEY] and cpu_berth[KEY].
# Fails (recording nothing) when COMMAND fails.
timed() {
  local key=$1 pid=$2 server0 berth0
  shift 2
  server0=$(ticks "${server_pids[@]}")
  berth0=$(ticks "$pid")
  last=$("$@") || return
  cpu_server[$key]+="$(($(ticks "${server_pids[@]}") - server0)) "
  cpu_berth[$key]+="$(($(ticks "$pid") - berth0)) "
}

# --- the S3 server: s3rver as ./test.sh starts it, or radosgw as radosgw.sh does ----------------

bucket=bench
# BENCH_S3_TLS=1: the S3 server over HTTPS with a throwaway certificate for 127.0.0.1, trusted by curl (--cacert),
# the AWS CLI (AWS_CA_BUNDLE) and Berth (SSL_CERT_FILE), as S3 is reached in production. Over HTTPS the SDK
# sends UNSIGNED-PAYLOAD as the direct curl does; over plain HTTP it must hash every part for its signature.
tls=${BENCH_S3_TLS:-0}
transport="plain HTTP"
if [ "$tls" = 1 ]; then
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 -subj /CN=127.0.0.1 \
    -addext subjectAltName=IP:127.0.0.1 -keyout "$work/s3.key" -out "$work/s3.crt" 2>/dev/null
  # Only this bench's processes see these: Berth (.NET reads SSL_CERT_FILE on Linux) and the AWS CLI.
  export SSL_CERT_FILE=$work/s3.crt AWS_CA_BUNDLE=$work/s3.crt
  transport="HTTPS (TLS 1.3 on loopback, BENCH_S3_TLS=1)"
fi
if [ "$server" = s3rver ]; then
  s3rver_tools
  s3_port=$(free_port)
  s3="http://127.0.0.1:$s3_port"
  mkdir -p "$work/s3"
  tls_args=()
  if [ "$tls" = 1 ]; then
    tls_args=(--key "$work/s3.key" --cert "$work/s3.crt")
    s3="https://127.0.0.1:$s3_port"
  fi
  "$tools/node_modules/.bin/s3rver" -d "$work/s3" -a 127.0.0.1 -p "$s3_port" --silent --no-vhost-buckets \
    "${tls_args[@]}" --configure-bucket "$bucket" >"$work/s3rver.log" 2>&1 &
  s3_pid=$!
  started+=("$s3_pid")
  wait_tcp "$s3_port" "$s3_pid" "$work/s3rver.log"
  server_pids=("$s3_pid")
  s3_access=S3RVER s3_secret=S3RVER
  server_label="s3rver 3.7.1"
  server_pids_label="s3rver's node process"
else
  source "$repo/tests/Berth.Storage.S3.Radosgw.Tests/ceph-cluster.sh"
  ceph_install
  # Memstore keeps every object in memory: a run's blobs (4 × 1 GiB, 6 with BENCH_BEFORE, plus a staged chunk)
  # fit with room to spare; deleted data waits for garbage collection, which the bench runs after each run.
  ceph_memstore_bytes=$((12 * 1024 * 1048576))
  ceph_extra_conf="rgw gc obj min wait = 0"
  if [ "$tls" = 1 ]; then ceph_tls_cert=$work/s3.crt ceph_tls_key=$work/s3.key; fi
  trap 'ceph_stop; bench_cleanup' EXIT
  ceph_start "$work/ceph"
  ceph_create_bucket "$bucket"
  server_pids=()
  for daemon in client.rgw.berth osd.0 mon.a; do server_pids+=("$(cat "$work/ceph/run/$daemon.pid")"); done
  s3=$rgw_endpoint
  s3_access=$rgw_access s3_secret=$rgw_secret
  server_pids_label="radosgw + the OSD + the monitor"
  server_label="Ceph radosgw $(radosgw --version | grep -o '[0-9][0-9.]*' | head -n 1) (beast, one memstore OSD)"
fi
log "$server_label on $s3"

sig=(--aws-sigv4 "aws:amz:us-east-1:s3" --user "$s3_access:$s3_secret" -H "x-amz-content-sha256: UNSIGNED-PAYLOAD")
if [ "$tls" = 1 ]; then sig+=(--cacert "$work/s3.crt"); fi
# The parts go without `Expect: 100-continue` (no wait for the server's go-ahead) where the server allows it:
# curl 7.88 signs the header even when told not to send it, which radosgw then refuses (SignatureDoesNotMatch).
no_expect=(-H 'Expect:')
[ "$server" = s3rver ] || no_expect=()

# direct_multipart KEY FILE: initiate, the FILE's pre-split parts (FILE.parts/*) in one curl, complete; prints seconds.
direct_multipart() {
  local key=$1 file=$2 start upload_id args=() n=0 etags complete
  start=$(date +%s.%N)
  # `?uploads=`, not `?uploads`: curl signs the query as written, and radosgw refuses a canonical query without the "=".
  upload_id=$(curl -fsS --max-time 30 "${sig[@]}" -X POST "$s3/$bucket/$key?uploads=" | grep -o '<UploadId>[^<]*' | cut -d'>' -f2)
  for piece in "$file".parts/*; do
    n=$((n + 1))
    [ $n = 1 ] || args+=(--next)
    args+=(-fsS --max-time 600 "${sig[@]}" "${no_expect[@]}" -o /dev/null -w '%header{etag}\n' -T "$piece" "$s3/$bucket/$key?partNumber=$n&uploadId=$upload_id")
  done
  etags=$(curl "${args[@]}") || return 1
  complete="<CompleteMultipartUpload>$(awk '{printf "<Part><PartNumber>%d</PartNumber><ETag>%s</ETag></Part>", NR, $0}' <<<"$etags")</CompleteMultipartUpload>"
  curl -fsS --max-time 600 "${sig[@]}" -o /dev/null -X POST --data-binary "$complete" "$s3/$bucket/$key?uploadId=$upload_id" || return 1
  awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN {printf "%.3f\n", e - s}'
}

# aws_cp KEY FILE: prints seconds; fails, showing the AWS CLI's complaint, when the copy fails.
aws_cp() {
  local key=$1 file=$2 out
  out=$(AWS_ACCESS_KEY_ID=$s3_access AWS_SECRET_ACCESS_KEY=$s3_secret AWS_DEFAULT_REGION=us-east-1 \
    timeout 600 bash -c 'TIMEFORMAT=%R; time aws --endpoint-url "$0" s3 cp --only-show-errors "$1" "s3://$2/$3" >/dev/null' \
    "$s3" "$file" "$bucket" "$key" 2>&1) || { log "aws s3 cp failed: $out"; return 1; }
  tail -n 1 <<<"$out"
}

# transfer_put KEY FILE: FILE to KEY through the warm s3-transfer process (started below); prints seconds.
transfer_put() {
  local answer
  echo "$1 $2" >&"${transfer[1]}"
  read -r -t 600 answer <&"${transfer[0]}" || { log "s3-transfer gave no answer (see $work/s3-transfer.log)"; return 1; }
  case $answer in [0-9]*) echo "$answer" ;; *) log "s3-transfer: $answer"; return 1 ;; esac
}

direct_get() {
  curl -fsS --max-time 600 "${sig[@]}" -o /dev/null -w '%{time_total}\n' "$s3/$bucket/$1"
}

# delete_objects KEY…: deletes these objects (missing ones are no error), then on radosgw frees their data.
delete_objects() {
  local key
  for key in "$@"; do curl -fsS --max-time 60 "${sig[@]}" -o /dev/null -X DELETE "$s3/$bucket/$key"; done
  if [ "$server" = radosgw ]; then ceph_gc; fi
}

# blob_key PREFIX DIGEST: where Berth under PREFIX stores the blob DIGEST (src/Berth.Storage.S3/S3Layout.cs).
blob_key() {
  local hex=${2#sha256:}
  echo "$1blobs/sha256/${hex:0:2}/$hex"
}

# --- Berth on the bucket -------------------------------------------------------------------

if [ -z "${BENCH_NO_BUILD:-}" ]; then
  log "building Berth (Release)"
  dotnet build -c Release -v q -nologo src/Berth/Berth.csproj >"$work/build-berth.log" 2>&1 \
    || { cat "$work/build-berth.log" >&2; exit 1; }
fi

# The TransferUtility baseline: one process for the whole run, warmed up (one 24 MiB upload) before it answers "ready".
dotnet build -c Release -v q -nologo bench/s3-transfer/S3Transfer.csproj >"$work/build-s3-transfer.log" 2>&1 \
  || { cat "$work/build-s3-transfer.log" >&2; exit 1; }
coproc transfer {
  BENCH_S3_ENDPOINT=$s3 BENCH_S3_BUCKET=$bucket BENCH_S3_ACCESS_KEY=$s3_access BENCH_S3_SECRET_KEY=$s3_secret BENCH_S3_PART_SIZE=$part \
    exec dotnet "$repo/bench/s3-transfer/bin/Release/net10.0/s3-transfer.dll" 2>"$work/s3-transfer.log"
}
started+=("$transfer_PID")
read -r -t 120 transfer_ready <&"${transfer[0]}" && [ "$transfer_ready" = ready ] \
  || { log "s3-transfer did not start:"; cat "$work/s3-transfer.log" >&2; exit 1; }

# start_berth NAME PORT REDIRECT [DLL]: Berth (this build, or DLL) with storage.blobs s3 on the bench bucket,
# under the prefix NAME/.
start_berth() {
  local name=$1 port=$2 redirect=$3 dll=${4:-$repo/src/Berth/bin/Release/net10.0/berth.dll}
  mkdir -p "$work/$name-data"
  BERTH_STORAGE__BLOBS=s3 BERTH_STORAGE__S3__BUCKET=$bucket BERTH_STORAGE__S3__ENDPOINT=$s3 \
    BERTH_STORAGE__S3__FORCEPATHSTYLE=true BERTH_STORAGE__S3__PREFIX="$name/" BERTH_STORAGE__S3__REGION=us-east-1 \
    BERTH_STORAGE__S3__ACCESSKEYID=$s3_access BERTH_STORAGE__S3__SECRETACCESSKEY=$s3_secret BERTH_STORAGE__S3__REDIRECT=$redirect \
    dotnet "$dll" serve --listen "127.0.0.1:$port" --data "$work/$name-data" \
    >"$work/$name.log" 2>&1 &
  server_pid=$!
  started+=("$server_pid")
  wait_ready "http://127.0.0.1:$port/healthz" "$server_pid" "$work/$name.log"
}

upload_location() {
  local base=$1 location
  location=$(curl -fsS --max-time 30 -X POST -o /dev/null -D - "$base/v2/bench/blobs/blobs/uploads/" \
    | tr -d '\r' | awk 'tolower($1) == "location:" {print $2}')
  [ -n "$location" ] || { log "no upload location from $base"; return 1; }
  case $location in http*) echo "$location" ;; *) echo "$base$location" ;; esac
}

# push_monolithic BASE FILE DIGEST: POST, then PUT ?digest= with the body; prints seconds for both.
push_monolithic() {
  local base=$1 file=$2 digest=$3 start location sep
  start=$(date +%s.%N)
  location=$(upload_location "$base")
  case $location in *\?*) sep='&' ;; *) sep='?' ;; esac
  curl -fsS --max-time 600 -o /dev/null -H 'Expect:' -H 'Content-Type: application/octet-stream' \
    -T "$file" "$location${sep}digest=$digest" || return 1
  awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN {printf "%.3f\n", e - s}'
}

# push_patch BASE FILE DIGEST: POST, PATCH with the whole body, PUT ?digest=; prints seconds for all three.
push_patch() {
  local base=$1 file=$2 digest=$3 start location sep
  start=$(date +%s.%N)
  location=$(upload_location "$base")
  location=$(curl -fsS --max-time 600 -o /dev/null -D - -X PATCH -H 'Expect:' -H 'Content-Type: application/octet-stream' -T "$file" \
    "$location" | tr -d '\r' | awk 'tolower($1) == "location:" {print $2}')
  [ -n "$location" ] || { log "PATCH to $base failed"; return 1; }
  case $location in http*) ;; *) location="$base$location" ;; esac
  case $location in *\?*) sep='&' ;; *) sep='?' ;; esac
  curl -fsS --max-time 600 -o /dev/null -X PUT "$location${sep}digest=$digest" || return 1
  awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN {printf "%.3f\n", e - s}'
}

pull_seconds() {
  curl -fsS --max-time 600 -o /dev/null -w '%{time_total}\n' "$1/v2/bench/blobs/blobs/$2"
}

declare -A blob_bytes=([256m]=$((256 * 1048576)) [1g]=$((1024 * 1048576)))
declare -A result=()

port=$(free_port)
base="http://127.0.0.1:$port"
start_berth streamed "$port" false
berth_pid=$server_pid
result[rss_start]=$(( $(rss_kib "$berth_pid") / 1024 ))
bases=("$base")
if [ -n "$before_dir" ]; then
  before_port=$(free_port)
  before_base="http://127.0.0.1:$before_port"
  start_berth before "$before_port" false "$before_dir/berth.dll"
  before_pid=$server_pid
  bases+=("$before_base")
fi

# Warm-up, not measured: two 128 MiB pushes of each kind to each Berth. With one 16 MiB push of each kind
# (the warm-up until 2026-12-06), the first two measured 256 MiB pushes of a fresh Berth still cost it 2.2–2.7 s
# of CPU instead of 0.8–1.0 s: the JIT recompiling the hot paths (libclrjit was a third of a perf profile).
prefixes=(streamed/)
[ -z "$before_dir" ] || prefixes+=(before/)
for _ in 1 2; do
  for kind in monolithic patch; do
    head -c $((128 * 1048576)) /dev/urandom >"$work/warm.bin"
    warm_digest=sha256:$(sha256sum "$work/warm.bin" | cut -d' ' -f1)
    for b in "${bases[@]}"; do "push_$kind" "$b" "$work/warm.bin" "$warm_digest" >/dev/null; done
    delete_objects $(for p in "${prefixes[@]}"; do blob_key "$p" "$warm_digest"; done)
  done
done
rm -f "$work/warm.bin"

for size in $sizes; do
  declare -a direct=() sdk=() awscli=() mono=() patch=() get=() pull=() bmono=() bpatch=() bpull=()
  for ((i = 1; i <= reps; i++)); do
    # One fresh random blob per run and way, so no run finds its digest already stored.
    for way in direct aws mono patch; do
      head -c "${blob_bytes[$size]}" /dev/urandom >"$work/$way.bin"
    done
    mkdir -p "$work/direct.bin.parts"
    rm -f "$work/direct.bin.parts/"*
    split -b "$part" -a 4 -d "$work/direct.bin" "$work/direct.bin.parts/"
    mono_digest=sha256:$(sha256sum "$work/mono.bin" | cut -d' ' -f1)
    patch_digest=sha256:$(sha256sum "$work/patch.bin" | cut -d' ' -f1)

    timed "direct_$size" "$berth_pid" direct_multipart "direct/$size-$i" "$work/direct.bin"; direct+=("$last")
    # The SDK's upload reads the file the AWS CLI gets next: direct uploads need no fresh bytes, only their own key.
    timed "sdk_$size" "$berth_pid" transfer_put "sdk/$size-$i" "$work/aws.bin"; sdk+=("$last")
    # The AWS CLI is a reference only: when it fails (it is not part of what is measured) the run goes on without it.
    if command -v aws >/dev/null && timed "aws_$size" "$berth_pid" aws_cp "aws/$size-$i" "$work/aws.bin"; then awscli+=("$last"); fi

    if [ "$size" = 1g ] && [ "$i" = 1 ]; then rss_before=$(rss_kib "$berth_pid"); echo 5 >"/proc/$berth_pid/clear_refs"; fi
    # With a "before" build, it pushes the same blob (under its own prefix) first on even runs, last on odd.
    if [ -n "$before_dir" ] && [ $((i % 2)) = 0 ]; then timed "bmono_$size" "$before_pid" push_monolithic "$before_base" "$work/mono.bin" "$mono_digest"; bmono+=("$last"); fi
    timed "mono_$size" "$berth_pid" push_monolithic "$base" "$work/mono.bin" "$mono_digest"; mono+=("$last")
    if [ -n "$before_dir" ] && [ $((i % 2)) = 1 ]; then timed "bmono_$size" "$before_pid" push_monolithic "$before_base" "$work/mono.bin" "$mono_digest"; bmono+=("$last"); fi
    if [ "$size" = 1g ] && [ "$i" = 1 ]; then
      result[rss_mono]=$(( ($(hwm_kib "$berth_pid") - rss_before) / 1024 ))
      rss_before=$(rss_kib "$berth_pid"); echo 5 >"/proc/$berth_pid/clear_refs"
    fi
    if [ -n "$before_dir" ] && [ $((i % 2)) = 0 ]; then timed "bpatch_$size" "$before_pid" push_patch "$before_base" "$work/patch.bin" "$patch_digest"; bpatch+=("$last"); fi
    timed "patch_$size" "$berth_pid" push_patch "$base" "$work/patch.bin" "$patch_digest"; patch+=("$last")
    if [ "$size" = 1g ] && [ "$i" = 1 ]; then result[rss_patch]=$(( ($(hwm_kib "$berth_pid") - rss_before) / 1024 )); fi
    if [ -n "$before_dir" ] && [ $((i % 2)) = 1 ]; then timed "bpatch_$size" "$before_pid" push_patch "$before_base" "$work/patch.bin" "$patch_digest"; bpatch+=("$last"); fi

    timed "get_$size" "$berth_pid" direct_get "direct/$size-$i"; get+=("$last")
    if [ -n "$before_dir" ] && [ $((i % 2)) = 0 ]; then timed "bpull_$size" "$before_pid" pull_seconds "$before_base" "$mono_digest"; bpull+=("$last"); fi
    timed "pull_$size" "$berth_pid" pull_seconds "$base" "$mono_digest"; pull+=("$last")
    if [ -n "$before_dir" ] && [ $((i % 2)) = 1 ]; then timed "bpull_$size" "$before_pid" pull_seconds "$before_base" "$mono_digest"; bpull+=("$last"); fi
    log "$size #$i: direct multipart ${direct[-1]} s, TransferUtility ${sdk[-1]} s${awscli:+, aws s3 cp ${awscli[-1]} s}, Berth monolithic ${mono[-1]} s, Berth PATCH ${patch[-1]} s${bmono:+ (before: ${bmono[-1]} s, ${bpatch[-1]} s)}; direct GET ${get[-1]} s, Berth pull ${pull[-1]} s${bpull:+ (before: ${bpull[-1]} s)}"
    rm -rf "$work"/*.bin "$work/direct.bin.parts"
    delete_objects "direct/$size-$i" "sdk/$size-$i" "aws/$size-$i" "$(blob_key streamed/ "$mono_digest")" "$(blob_key streamed/ "$patch_digest")" \
      $([ -z "$before_dir" ] || echo "$(blob_key before/ "$mono_digest") $(blob_key before/ "$patch_digest")")
  done
  result[direct_$size]=$(printf '%s\n' "${direct[@]}" | median)
  result[sdk_$size]=$(printf '%s\n' "${sdk[@]}" | median)
  if [ ${#awscli[@]} -gt 0 ]; then result[aws_$size]=$(printf '%s\n' "${awscli[@]}" | median); fi
  result[mono_$size]=$(printf '%s\n' "${mono[@]}" | median)
  result[patch_$size]=$(printf '%s\n' "${patch[@]}" | median)
  if [ ${#bmono[@]} -gt 0 ]; then
    result[bmono_$size]=$(printf '%s\n' "${bmono[@]}" | median)
    result[bpatch_$size]=$(printf '%s\n' "${bpatch[@]}" | median)
    result[bpull_$size]=$(printf '%s\n' "${bpull[@]}" | median)
  fi
  result[get_$size]=$(printf '%s\n' "${get[@]}" | median)
  result[pull_$size]=$(printf '%s\n' "${pull[@]}" | median)
done
stop_server "$berth_pid"
if [ -n "$before_dir" ]; then stop_server "$before_pid"; fi

# --- the 307 -------------------------------------------------------------------------------
port=$(free_port)
base="http://127.0.0.1:$port"
start_berth redirect "$port" true
head -c 4096 /dev/urandom >"$work/small.bin"
small_digest=sha256:$(sha256sum "$work/small.bin" | cut -d' ' -f1)
push_monolithic "$base" "$work/small.bin" "$small_digest" >/dev/null
code=$(curl -s -o /dev/null -w '%{http_code}' "$base/v2/bench/blobs/blobs/$small_digest")
[ "$code" = 307 ] || { log "redirect Berth answered $code, not 307"; exit 1; }
for c in 16 64; do
  out=$(timeout 120 wrk -t2 -c"$c" -d"$duration" --latency "$base/v2/bench/blobs/blobs/$small_digest")
  echo "$out" >>"$work/wrk.log"
  result[rps_$c]=$(awk '/^Requests\/sec:/ {printf "%.0f", $2}' <<<"$out")
  result[p99_$c]=$(awk '$1 == "99%" {print $2}' <<<"$out")
  if grep -q 'Non-2xx or 3xx' <<<"$out"; then log "wrk saw non-2xx/3xx answers:"; echo "$out" >&2; exit 1; fi
  log "307 c=$c: ${result[rps_$c]} req/s, p99 ${result[p99_$c]}"
done
stop_server "$server_pid"
if [ -n "${BENCH_LOGS:-}" ]; then
  mkdir -p "$BENCH_LOGS"
  cp "$work"/*.log "$BENCH_LOGS/"
  if [ "$server" = radosgw ]; then cp "$work/ceph/log/client.rgw.berth.log" "$BENCH_LOGS/radosgw.log"; fi
fi

# --- table ---------------------------------------------------------------------------------
ratio() { awk -v d="$1" -v b="$2" 'BEGIN {printf "%.2f×", d / b}'; }
# cpu_per_gib ARRAY KEY SIZE: the median of ARRAY[KEY]'s ticks, in CPU seconds per GiB of SIZE.
cpu_per_gib() {
  local -n ticks_of=$1
  [ -n "${ticks_of[$2]:-}" ] || { echo n/a; return; }
  tr ' ' '\n' <<<"${ticks_of[$2]}" | grep . | median \
    | awk -v hz="$(getconf CLK_TCK)" -v bytes="${blob_bytes[$3]}" '{printf "%.2f", $1 / hz / (bytes / 1073741824)}'
}
{
  echo "## S3 blob store: bench/s3.sh ($(date -u '+%Y-%m-%d %H:%M UTC'))"
  echo
  echo "- command: \`$command_line\`; Berth $(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo '?') (Release), $server_label, SQLite metadata, all on 127.0.0.1 over $transport"
  echo "- machine: $(nproc) cores, load average (1/5/15 min) at start: $load_start, at end: $(cut -d' ' -f1-3 /proc/loadavg) — other work on these cores skews every number"
  echo "- seconds are medians of $reps runs, each run a fresh random blob; ratio = direct seconds / Berth seconds (1.00× = as fast as direct); each Berth warmed up with two 128 MiB pushes of each kind first"
  if [ -n "$before_dir" ]; then
    echo "- \"before\" rows: the build in $before_dir, run beside this one on the same $server, pushing the same blobs alternately before and after it"
  fi
  echo
  echo "| measure | 256 MiB (s) | 1 GiB (s) | ratio 256 MiB | ratio 1 GiB | target |"
  echo "|---|---:|---:|---:|---:|---|"
  ratio_cell() { # key base-key size: base seconds ÷ key seconds, or n/a when the key was not measured
    if [ -n "${result[$1_$3]:-}" ]; then ratio "${result[$2_$3]}" "${result[$1_$3]}"; else echo n/a; fi
  }
  row() { # label key base-key target
    printf '| %s | %s | %s | %s | %s | %s |\n' "$1" "${result[$2_256m]:-n/a}" "${result[$2_1g]:-n/a}" \
      "$(ratio_cell "$2" "$3" 256m)" "$(ratio_cell "$2" "$3" 1g)" "$4"
  }
  row "direct multipart PUT to $server (curl, 8 MiB parts)" direct direct "baseline"
  row "direct upload with the AWS SDK for .NET's TransferUtility (8 MiB parts, 10 in flight, signed payloads)" sdk direct "for reference"
  if [ -n "${result[aws_256m]:-}${result[aws_1g]:-}" ]; then row "direct \`aws s3 cp\` (AWS CLI multipart)" aws direct "for reference"; fi
  row "Berth push: POST + PUT ?digest= with the body" mono direct "≥ 0.8×"
  row "Berth push: POST + PATCH (whole body) + PUT ?digest=" patch direct "≥ 0.8×"
  if [ -n "$before_dir" ]; then
    row "before ($before_dir): POST + PUT ?digest= with the body" bmono direct "for comparison"
    row "before ($before_dir): POST + PATCH (whole body) + PUT ?digest=" bpatch direct "for comparison"
  fi
  row "direct GET from $server" get get "baseline"
  row "Berth pull, streamed" pull get "≥ 0.8×"
  if [ -n "$before_dir" ]; then row "before ($before_dir): pull, streamed" bpull get "for comparison"; fi
  echo
  echo "The pushes against the SDK's TransferUtility, which signs its parts' payloads as Berth does (ratio = TransferUtility seconds / Berth seconds):"
  echo
  echo "| measure | ratio 256 MiB | ratio 1 GiB | target |"
  echo "|---|---:|---:|---|"
  sdk_row() { # label key target
    printf '| %s | %s | %s | %s |\n' "$1" "$(ratio_cell "$2" sdk 256m)" "$(ratio_cell "$2" sdk 1g)" "$3"
  }
  sdk_row "Berth push: POST + PUT ?digest= with the body" mono "≥ 0.8×"
  sdk_row "Berth push: POST + PATCH (whole body) + PUT ?digest=" patch "≥ 0.8×"
  if [ -n "$before_dir" ]; then
    sdk_row "before ($before_dir): POST + PUT ?digest= with the body" bmono "for comparison"
    sdk_row "before ($before_dir): POST + PATCH (whole body) + PUT ?digest=" bpatch "for comparison"
  fi
  echo
  echo "- redirect (\`storage.s3.redirect: true\`), the 307 alone with \`wrk -t2 -d$duration\`: ${result[rps_16]:-n/a} req/s (p99 ${result[p99_16]:-n/a}) at 16 connections, ${result[rps_64]:-n/a} req/s (p99 ${result[p99_64]:-n/a}) at 64; target ≥ 10,000 req/s"
  echo
  echo "CPU seconds per GiB moved (medians; user + system time from /proc; the S3 server is ${server_pids_label}; the client's curl, s3-transfer or aws is not counted):"
  echo
  echo "| measure | S3 server 256 MiB | S3 server 1 GiB | Berth 256 MiB | Berth 1 GiB |"
  echo "|---|---:|---:|---:|---:|"
  cpu_row() { # label key
    printf '| %s | %s | %s | %s | %s |\n' "$1" "$(cpu_per_gib cpu_server "$2_256m" 256m)" "$(cpu_per_gib cpu_server "$2_1g" 1g)" \
      "$(cpu_per_gib cpu_berth "$2_256m" 256m)" "$(cpu_per_gib cpu_berth "$2_1g" 1g)"
  }
  cpu_row "direct multipart PUT (curl)" direct
  cpu_row "direct TransferUtility upload" sdk
  if [ -n "${cpu_server[aws_256m]:-}${cpu_server[aws_1g]:-}" ]; then cpu_row "direct \`aws s3 cp\`" aws; fi
  cpu_row "Berth push, monolithic" mono
  cpu_row "Berth push, PATCH" patch
  if [ -n "$before_dir" ]; then
    cpu_row "before: push, monolithic" bmono
    cpu_row "before: push, PATCH" bpatch
  fi
  cpu_row "direct GET" get
  cpu_row "Berth pull, streamed" pull
  if [ -n "$before_dir" ]; then cpu_row "before: pull, streamed" bpull; fi
  echo
  if [ "$server" = radosgw ]; then
    echo "- radosgw's OSD (memstore: the objects live in its memory) peaked at $(( $(awk '/^VmHWM:/ {print $2}' "/proc/${server_pids[1]}/status") / 1024 )) MiB RSS over the whole run"
  fi
  echo "- RSS: ${result[rss_start]} MiB at start; growth while pushing 1 GiB: ${result[rss_mono]:-n/a} MiB monolithic, ${result[rss_patch]:-n/a} MiB with PATCH; target ≤ 64 MiB"
}
