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
# port, path-style; ceph-cluster.sh (shared with bench/s3.sh) starts it. Its daemons are stopped and the
# folder deleted on exit. Installs the Debian packages radosgw, ceph-mon and ceph-osd (Ceph 16.2 on
# Debian 12) when they are missing.
set -euo pipefail
cd "$(dirname "$0")/../.."

source tests/Berth.Storage.S3.Radosgw.Tests/ceph-cluster.sh
seconds() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(seconds)" 'BEGIN { printf "%.1f", b - a }'; }

ceph_install
command -v dotnet >/dev/null || { echo "radosgw.sh: missing dotnet" >&2; exit 1; }

dir=$(mktemp -d "${TMPDIR:-/tmp}/berth-radosgw.XXXXXX")
stop_cluster() {
  ceph_stop
  rm -rf "$dir"
}
trap stop_cluster EXIT

started=$(seconds)
ceph_start "$dir"
bucket=berth-test
ceph_create_bucket "$bucket"
echo "radosgw $(radosgw --version | grep -o '[0-9][0-9.]*' | head -n 1) on 127.0.0.1:$rgw_port, bucket $bucket, up in $(elapsed "$started") s (throwaway cluster in $dir)"
export BERTH_TEST_S3="endpoint=$rgw_endpoint;bucket=$bucket;accessKeyId=$rgw_access;secretAccessKey=$rgw_secret"

result=0
timeout 1200 dotnet test tests/Berth.Storage.S3.Radosgw.Tests || result=$?
if [ -z "${RADOSGW_ONLY:-}" ]; then
  # Every S3 test of the solution (store, conformance, push path, GC, migration, replicas, redirect, interop) on radosgw.
  timeout 3600 ./test.sh --filter "FullyQualifiedName~S3" || result=$?
fi
exit "$result"
