#!/usr/bin/env bash
# Runs Berth's S3 tests against Ceph's radosgw, the S3 server of a throwaway one-machine Ceph cluster,
# to prove what s3rver (./test.sh's S3 server) cannot: that the commit copy's ETag condition is refused
# by the server when the staged chunk changed, and that AbortMultipartUpload removes the parts of a
# refused or failed multipart write. Not part of ./test.sh: it needs Ceph's packages and daemons.
#
#   tests/Berth.Storage.S3.Radosgw.Tests/radosgw.sh          # this project's tests, then every S3 test (./test.sh --filter S3)
#   RADOSGW_ONLY=1 tests/Berth.Storage.S3.Radosgw.Tests/radosgw.sh   # this project's tests only
#
# The cluster lives in a temporary folder, on 127.0.0.1 only: one monitor, one OSD on memstore (in
# memory, 2 GiB at most), no manager, cephx keys generated for this run, and radosgw (beast) on a free
# port, path-style. Its daemons are stopped and the folder deleted on exit. Installs the Debian packages
# radosgw, ceph-mon and ceph-osd (Ceph 16.2 on Debian 12) when they are missing.
set -euo pipefail
cd "$(dirname "$0")/../.."

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
seconds() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(seconds)" 'BEGIN { printf "%.1f", b - a }'; }

if ! command -v radosgw >/dev/null || ! command -v ceph-mon >/dev/null || ! command -v ceph-osd >/dev/null; then
  started=$(seconds)
  echo "installing radosgw ceph-mon ceph-osd (Debian packages)"
  as_root env DEBIAN_FRONTEND=noninteractive timeout 900 apt-get install -y -qq --no-install-recommends radosgw ceph-mon ceph-osd >/dev/null
  echo "installed in $(elapsed "$started") s"
fi
for tool in ceph ceph-authtool monmaptool radosgw-admin curl dotnet; do
  command -v "$tool" >/dev/null || { echo "radosgw.sh: missing $tool" >&2; exit 1; }
done

dir=$(mktemp -d "${TMPDIR:-/tmp}/berth-radosgw.XXXXXX")
stop_cluster() {
  local name pid
  # Only the daemons this script started, by the pid each wrote; the gateway first, the monitor last.
  for name in client.rgw.berth osd.0 mon.a; do
    pid=$(cat "$dir/run/$name.pid" 2>/dev/null || true)
    if [ -n "$pid" ]; then
      kill "$pid" 2>/dev/null || true
      timeout 30 tail --pid="$pid" -f /dev/null || kill -9 "$pid" 2>/dev/null || true
    fi
  done
  rm -rf "$dir"
}
trap stop_cluster EXIT

free_port() {
  local port
  while :; do
    port=$((20000 + RANDOM % 40000))
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return; }
  done
}

started=$(seconds)
mkdir -p "$dir"/{mon,osd,rgw,run,log}
fsid=$(cat /proc/sys/kernel/random/uuid)
mon_port=$(free_port)
rgw_port=$(free_port)
cat >"$dir/ceph.conf" <<EOF
[global]
fsid = $fsid
mon host = v2:127.0.0.1:$mon_port
public network = 127.0.0.1/32
ms bind ipv6 = false
auth cluster required = cephx
auth service required = cephx
auth client required = cephx
keyring = $dir/admin.keyring
run dir = $dir/run
admin socket = $dir/run/\$name.asok
pid file = $dir/run/\$name.pid
log file = $dir/log/\$name.log
# One OSD holds every pool: one copy of each object, few placement groups.
osd pool default size = 1
osd pool default min size = 1
osd pool default pg num = 8
osd pool default pgp num = 8
osd crush chooseleaf type = 0
mon allow pool size one = true
mon max pg per osd = 1000
mon warn on pool no redundancy = false
# A nearly full disk must not stop a test cluster that keeps nothing on it.
mon data avail crit = 0
mon data avail warn = 0
[mon.a]
mon data = $dir/mon
[osd.0]
osd data = $dir/osd
keyring = $dir/osd/keyring
osd objectstore = memstore
memstore device bytes = 2147483648
[client.rgw.berth]
keyring = $dir/rgw/keyring
rgw data = $dir/rgw
rgw frontends = beast endpoint=127.0.0.1:$rgw_port
EOF
conf=(-c "$dir/ceph.conf")
ceph_cli() { timeout 30 ceph "${conf[@]}" "$@"; }

# cephx, not `auth … = none`: with auth none, radosgw never got past the monitor (get_initial_auth_request returned -13).
ceph-authtool --create-keyring "$dir/mon.keyring" --gen-key -n mon. --cap mon 'allow *' >/dev/null
ceph-authtool --create-keyring "$dir/admin.keyring" --gen-key -n client.admin --cap mon 'allow *' --cap osd 'allow *' --cap mgr 'allow *' >/dev/null
ceph-authtool "$dir/mon.keyring" --import-keyring "$dir/admin.keyring" >/dev/null
monmaptool --create --fsid "$fsid" --addv a "[v2:127.0.0.1:$mon_port]" "$dir/monmap" >/dev/null
timeout 60 ceph-mon "${conf[@]}" --mkfs -i a --monmap "$dir/monmap" --keyring "$dir/mon.keyring"
timeout 60 ceph-mon "${conf[@]}" -i a
ceph_cli osd create >/dev/null
timeout 60 ceph-osd "${conf[@]}" -i 0 --mkfs --mkkey --no-mon-config 2>"$dir/log/osd-mkfs.log"
ceph_cli auth add osd.0 osd 'allow *' mon 'allow profile osd' -i "$dir/osd/keyring" >/dev/null 2>&1
timeout 60 ceph-osd "${conf[@]}" -i 0 2>>"$dir/log/osd-mkfs.log"
ceph_cli auth get-or-create client.rgw.berth mon 'allow rw' osd 'allow rwx' -o "$dir/rgw/keyring" >/dev/null 2>&1
for _ in $(seq 60); do
  ceph_cli osd stat 2>/dev/null | grep -q '1 up' && break
  sleep 1
done
ceph_cli osd stat | grep -q '1 up' || { echo "radosgw.sh: the OSD did not come up" >&2; tail -n 20 "$dir/log/osd.0.log" >&2; exit 1; }
timeout 60 radosgw "${conf[@]}" -n client.rgw.berth
# radosgw creates its pools on first start, then listens.
for _ in $(seq 120); do
  curl -s -o /dev/null -m 2 "http://127.0.0.1:$rgw_port/" && break
  sleep 0.5
done
curl -s -o /dev/null -m 2 "http://127.0.0.1:$rgw_port/" || { echo "radosgw.sh: radosgw did not answer on 127.0.0.1:$rgw_port" >&2; tail -n 20 "$dir/log/client.rgw.berth.log" >&2; exit 1; }

access=$(head -c 10 /dev/urandom | od -An -tx1 | tr -d ' \n')
secret=$(head -c 20 /dev/urandom | od -An -tx1 | tr -d ' \n')
timeout 60 radosgw-admin "${conf[@]}" user create --uid=berth --display-name=Berth --access-key="$access" --secret-key="$secret" >/dev/null
bucket=berth-test
empty_sha256=e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
status=$(curl -s -o "$dir/log/create-bucket.xml" -w '%{http_code}' -m 30 -X PUT --aws-sigv4 "aws:amz:us-east-1:s3" --user "$access:$secret" \
  -H "x-amz-content-sha256: $empty_sha256" "http://127.0.0.1:$rgw_port/$bucket")
[ "$status" = 200 ] || { echo "radosgw.sh: creating bucket $bucket answered $status" >&2; cat "$dir/log/create-bucket.xml" >&2; exit 1; }
echo "radosgw $(radosgw --version | grep -o '[0-9][0-9.]*' | head -n 1) on 127.0.0.1:$rgw_port, bucket $bucket, up in $(elapsed "$started") s (throwaway cluster in $dir)"
export BERTH_TEST_S3="endpoint=http://127.0.0.1:$rgw_port;bucket=$bucket;accessKeyId=$access;secretAccessKey=$secret"

result=0
timeout 1200 dotnet test tests/Berth.Storage.S3.Radosgw.Tests || result=$?
if [ -z "${RADOSGW_ONLY:-}" ]; then
  # Every S3 test of the solution (store, conformance, push path, GC, migration, replicas, redirect, interop) on radosgw.
  timeout 3600 ./test.sh --filter "FullyQualifiedName~S3" || result=$?
fi
exit "$result"
