# A throwaway one-machine Ceph cluster with radosgw on 127.0.0.1, for radosgw.sh (the Ceph RGW tests) and
# bench/s3.sh (BENCH_S3_SERVER=radosgw). Source it; it defines:
#
#   ceph_install             installs the Debian packages radosgw, ceph-mon and ceph-osd when they are missing
#   ceph_start DIR           starts the cluster in DIR (empty or missing) and sets rgw_port, rgw_endpoint,
#                            rgw_access and rgw_secret (an S3 user's keys, generated for this run)
#   ceph_create_bucket NAME  creates the bucket NAME (path-style) as that user
#   ceph_gc                  lets radosgw's garbage collection free every deleted object's data now
#   ceph_stop                stops the daemons ceph_start started (the gateway first, the monitor last)
#
# One monitor, one OSD on memstore (objects in memory, `ceph_memstore_bytes` at most: 2 GiB unless set
# before ceph_start), no manager, cephx keys, radosgw (beast) on a free port. Set `ceph_tls_cert` and
# `ceph_tls_key` (PEM files for 127.0.0.1) before ceph_start to serve HTTPS instead, and `ceph_extra_conf`
# (ceph.conf lines) to add settings to [global]. The caller deletes DIR after ceph_stop.

ceph_as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

ceph_install() {
  if ! command -v radosgw >/dev/null || ! command -v ceph-mon >/dev/null || ! command -v ceph-osd >/dev/null; then
    echo "installing radosgw ceph-mon ceph-osd (Debian packages)" >&2
    ceph_as_root env DEBIAN_FRONTEND=noninteractive timeout 900 apt-get install -y -qq --no-install-recommends radosgw ceph-mon ceph-osd >/dev/null
  fi
  local tool
  for tool in ceph ceph-authtool monmaptool radosgw-admin curl; do
    command -v "$tool" >/dev/null || { echo "ceph-cluster.sh: missing $tool" >&2; return 1; }
  done
}

ceph_free_port() {
  local port
  while :; do
    port=$((20000 + RANDOM % 40000))
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return; }
  done
}

# ceph_curl ARGS…: curl to radosgw, trusting its certificate when it serves HTTPS.
ceph_curl() {
  if [ -n "${ceph_tls_cert:-}" ]; then curl --cacert "$ceph_tls_cert" "$@"; else curl "$@"; fi
}

ceph_start() {
  ceph_dir=$1
  local fsid mon_port frontend i
  mkdir -p "$ceph_dir"/{mon,osd,rgw,run,log}
  fsid=$(cat /proc/sys/kernel/random/uuid)
  mon_port=$(ceph_free_port)
  rgw_port=$(ceph_free_port)
  if [ -n "${ceph_tls_cert:-}" ]; then
    frontend="beast ssl_endpoint=127.0.0.1:$rgw_port ssl_certificate=$ceph_tls_cert ssl_private_key=$ceph_tls_key"
    rgw_endpoint=https://127.0.0.1:$rgw_port
  else
    frontend="beast endpoint=127.0.0.1:$rgw_port"
    rgw_endpoint=http://127.0.0.1:$rgw_port
  fi
  cat >"$ceph_dir/ceph.conf" <<EOF
[global]
fsid = $fsid
mon host = v2:127.0.0.1:$mon_port
public network = 127.0.0.1/32
ms bind ipv6 = false
auth cluster required = cephx
auth service required = cephx
auth client required = cephx
keyring = $ceph_dir/admin.keyring
run dir = $ceph_dir/run
admin socket = $ceph_dir/run/\$name.asok
pid file = $ceph_dir/run/\$name.pid
log file = $ceph_dir/log/\$name.log
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
${ceph_extra_conf:-}
[mon.a]
mon data = $ceph_dir/mon
[osd.0]
osd data = $ceph_dir/osd
keyring = $ceph_dir/osd/keyring
osd objectstore = memstore
memstore device bytes = ${ceph_memstore_bytes:-2147483648}
[client.rgw.berth]
keyring = $ceph_dir/rgw/keyring
rgw data = $ceph_dir/rgw
rgw frontends = $frontend
EOF
  ceph_conf=(-c "$ceph_dir/ceph.conf")

  # cephx, not `auth … = none`: with auth none, radosgw never got past the monitor (get_initial_auth_request returned -13).
  ceph-authtool --create-keyring "$ceph_dir/mon.keyring" --gen-key -n mon. --cap mon 'allow *' >/dev/null
  ceph-authtool --create-keyring "$ceph_dir/admin.keyring" --gen-key -n client.admin --cap mon 'allow *' --cap osd 'allow *' --cap mgr 'allow *' >/dev/null
  ceph-authtool "$ceph_dir/mon.keyring" --import-keyring "$ceph_dir/admin.keyring" >/dev/null
  monmaptool --create --fsid "$fsid" --addv a "[v2:127.0.0.1:$mon_port]" "$ceph_dir/monmap" >/dev/null
  timeout 60 ceph-mon "${ceph_conf[@]}" --mkfs -i a --monmap "$ceph_dir/monmap" --keyring "$ceph_dir/mon.keyring"
  timeout 60 ceph-mon "${ceph_conf[@]}" -i a
  ceph_cli osd create >/dev/null
  timeout 60 ceph-osd "${ceph_conf[@]}" -i 0 --mkfs --mkkey --no-mon-config 2>"$ceph_dir/log/osd-mkfs.log"
  ceph_cli auth add osd.0 osd 'allow *' mon 'allow profile osd' -i "$ceph_dir/osd/keyring" >/dev/null 2>&1
  timeout 60 ceph-osd "${ceph_conf[@]}" -i 0 2>>"$ceph_dir/log/osd-mkfs.log"
  ceph_cli auth get-or-create client.rgw.berth mon 'allow rw' osd 'allow rwx' -o "$ceph_dir/rgw/keyring" >/dev/null 2>&1
  for ((i = 0; i < 60; i++)); do
    ceph_cli osd stat 2>/dev/null | grep -q '1 up' && break
    sleep 1
  done
  ceph_cli osd stat | grep -q '1 up' || { echo "ceph-cluster.sh: the OSD did not come up" >&2; tail -n 20 "$ceph_dir/log/osd.0.log" >&2; return 1; }
  timeout 60 radosgw "${ceph_conf[@]}" -n client.rgw.berth
  # radosgw creates its pools on first start, then listens.
  for ((i = 0; i < 120; i++)); do
    ceph_curl -s -o /dev/null -m 2 "$rgw_endpoint/" && break
    sleep 0.5
  done
  ceph_curl -s -o /dev/null -m 2 "$rgw_endpoint/" || { echo "ceph-cluster.sh: radosgw did not answer on $rgw_endpoint" >&2; tail -n 20 "$ceph_dir/log/client.rgw.berth.log" >&2; return 1; }

  rgw_access=$(head -c 10 /dev/urandom | od -An -tx1 | tr -d ' \n')
  rgw_secret=$(head -c 20 /dev/urandom | od -An -tx1 | tr -d ' \n')
  timeout 60 radosgw-admin "${ceph_conf[@]}" user create --uid=berth --display-name=Berth --access-key="$rgw_access" --secret-key="$rgw_secret" >/dev/null
}

ceph_cli() { timeout 30 ceph "${ceph_conf[@]}" "$@"; }

ceph_create_bucket() {
  local bucket=$1 status empty_sha256=e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
  status=$(ceph_curl -s -o "$ceph_dir/log/create-bucket.xml" -w '%{http_code}' -m 30 -X PUT --aws-sigv4 "aws:amz:us-east-1:s3" \
    --user "$rgw_access:$rgw_secret" -H "x-amz-content-sha256: $empty_sha256" "$rgw_endpoint/$bucket")
  [ "$status" = 200 ] || { echo "ceph-cluster.sh: creating bucket $bucket answered $status" >&2; cat "$ceph_dir/log/create-bucket.xml" >&2; return 1; }
}

# Deleted objects' data waits for radosgw's garbage collection (two hours by default); memstore keeps it in memory until then.
ceph_gc() {
  local out
  out=$(timeout 300 radosgw-admin "${ceph_conf[@]}" gc process --include-all 2>&1) || { echo "ceph-cluster.sh: radosgw-admin gc process failed: $out" >&2; return 1; }
}

ceph_stop() {
  local name pid
  [ -n "${ceph_dir:-}" ] || return 0
  # Only the daemons ceph_start started, by the pid each wrote; the gateway first, the monitor last.
  for name in client.rgw.berth osd.0 mon.a; do
    pid=$(cat "$ceph_dir/run/$name.pid" 2>/dev/null || true)
    if [ -n "$pid" ]; then
      kill "$pid" 2>/dev/null || true
      timeout 30 tail --pid="$pid" -f /dev/null || kill -9 "$pid" 2>/dev/null || true
    fi
  done
}
