#!/usr/bin/env bash
# Runs every test of Berth on a fresh Debian 12 machine with the .NET 10 SDK.
# Installs what the tests need when it is missing, runs all test projects, and ends
# with one line summed from the trx results: `tests: N passed, N failed, N skipped`.
set -euo pipefail
cd "$(dirname "$0")"

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

need=()
for tool in skopeo podman buildah jq clang; do
  command -v "$tool" >/dev/null 2>&1 || need+=("$tool")
done
# The S3 blob store's tests run against s3rver, an S3-compatible test server from npm.
if [ -z "${BERTH_TEST_S3:-}" ]; then
  command -v node >/dev/null 2>&1 || need+=(nodejs)
  command -v npm >/dev/null 2>&1 || need+=(npm)
fi
# The Native AOT link of the kubelet plugin wants clang and zlib's headers.
[ -f /usr/include/zlib.h ] || need+=(zlib1g-dev)
# The web console's browser tests drive Debian's Chromium (Playwright cannot download a browser here).
[ -x /usr/bin/chromium ] || need+=(chromium)
# The interop tests start their own dockerd and containerd and run Debian's binaries by path
# (another docker client may come first on PATH).
[ -x /usr/sbin/dockerd ] && [ -x /usr/bin/docker ] || need+=(docker.io)
[ -x /usr/bin/containerd ] && [ -x /usr/bin/ctr ] || need+=(containerd)
# The deploy/ tests: a read-only sandbox standing in for the container (bubblewrap), the kustomizations rendered by
# kubectl (Debian's kubernetes-client, kubectl 1.20 with its built-in kustomize) and the unit checked by systemd-analyze.
[ -x /usr/bin/bwrap ] || need+=(bubblewrap)
[ -x /usr/bin/kubectl ] || need+=(kubernetes-client)
[ -x /usr/bin/systemd-analyze ] || need+=(systemd)

# The PostgreSQL metadata provider's tests need a server (BERTH_TEST_POSTGRES, a connection string).
# When it is set, that server is used; otherwise a throwaway one is started below from Debian's
# package (binaries under /usr/lib/postgresql/N/bin, never another initdb that happens to be on PATH).
# The package is needed either way: the fault test that restarts PostgreSQL under load starts a cluster
# of its own (tests/Berth.Tests/Faults/PrivatePostgres.cs) rather than stop the shared one.
pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }
if [ ! -x "$(pg_bin)/initdb" ]; then
  need+=(postgresql)
fi
if [ ${#need[@]} -gt 0 ]; then
  echo "installing: ${need[*]}"
  as_root apt-get update -qq
  # The packages' services stay stopped (policy-rc.d exit 101, unless the machine has its own
  # policy): the tests start their own servers, and a system dockerd started with its defaults
  # would add a docker0 bridge and iptables rules to the machine.
  policy=""
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    policy=/usr/sbin/policy-rc.d
    printf '#!/bin/sh\nexit 101\n' | as_root tee "$policy" >/dev/null
    as_root chmod 755 "$policy"
  fi
  install_status=0
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null || install_status=$?
  if [ -n "$policy" ]; then as_root rm -f "$policy"; fi
  [ "$install_status" = 0 ] || exit "$install_status"
fi

# A cluster in a temporary folder, owned by an unprivileged user (initdb refuses root), listening on
# 127.0.0.1 at a free port with its socket in that folder; stopped and deleted when this script exits.
# Durability is switched off: the cluster lives for one test run.
pg_dir="" pg_run=()
stop_postgres() {
  if [ -n "$pg_dir" ]; then
    (cd / && "${pg_run[@]}" "$(pg_bin)/pg_ctl" -D "$pg_dir/data" -m immediate stop >/dev/null 2>&1) || true
    rm -rf "$pg_dir"
  fi
}
start_postgres() {
  local bin major port password attempt
  bin=$(pg_bin)
  major=$(basename "$(dirname "$bin")")
  for tool in initdb pg_ctl postgres; do
    if ! "$bin/$tool" --version | grep -q "PostgreSQL) $major\."; then
      echo "PostgreSQL: $bin/$tool is not version $major: $("$bin/$tool" --version)" >&2
      return 1
    fi
  done
  pg_dir=$(mktemp -d "${TMPDIR:-/tmp}/berth-pg.XXXXXX")
  if [ "$(id -u)" = 0 ]; then
    id -u postgres >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin postgres
    chown postgres: "$pg_dir"
    pg_run=(runuser -u postgres --)
  fi
  password=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
  (umask 077 && printf '%s\n' "$password" >"$pg_dir/password")
  if [ "$(id -u)" = 0 ]; then chown postgres: "$pg_dir/password"; fi
  # cd /: the unprivileged user may not be able to read this checkout.
  (cd / && "${pg_run[@]}" "$bin/initdb" -D "$pg_dir/data" -U berth --pwfile="$pg_dir/password" \
    --auth=scram-sha-256 -E UTF8 --locale=C.UTF-8 >"$pg_dir/initdb.log" 2>&1) || { cat "$pg_dir/initdb.log" >&2; return 1; }
  rm -f "$pg_dir/password"
  for attempt in 1 2 3 4 5 6 7 8; do
    port=$((20000 + RANDOM % 40000))
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && continue
    if (cd / && "${pg_run[@]}" "$bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w -t 60 -o \
      "-c listen_addresses=127.0.0.1 -p $port -k $pg_dir -c max_connections=300 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
      start >/dev/null); then
      export BERTH_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=berth;Password=$password;Database=postgres"
      echo "PostgreSQL $("$bin/postgres" --version | grep -o '[0-9][0-9.]*' | head -n 1) on 127.0.0.1:$port (throwaway cluster in $pg_dir)"
      return 0
    fi
    tail -n 5 "$pg_dir/server.log" >&2 || true
  done
  echo "PostgreSQL: could not start a throwaway cluster (log above)" >&2
  return 1
}

# The S3 blob store's tests need an S3-compatible server (BERTH_TEST_S3, `endpoint=…;bucket=…;accessKeyId=…;secretAccessKey=…`).
# When it is set, that server is used; otherwise s3rver 3.7.1 (npm, installed once into the git-ignored
# .tools/) serves a throwaway folder on 127.0.0.1 at a free port, path-style, and is stopped and deleted
# on exit. s3rver has PUT/GET/HEAD with Range, CopyObject, DeleteObject(s), listing, multipart
# initiate/upload-part/complete and presigned GET; it lacks AbortMultipartUpload, UploadPartCopy and ListParts.
s3_dir="" s3_pid=""
stop_s3() {
  if [ -n "$s3_pid" ]; then kill "$s3_pid" 2>/dev/null || true; wait "$s3_pid" 2>/dev/null || true; fi
  if [ -n "$s3_dir" ]; then rm -rf "$s3_dir"; fi
}
start_s3() {
  local tools=.tools/s3rver port attempt wait
  if [ ! -x "$tools/node_modules/.bin/s3rver" ]; then
    mkdir -p "$tools"
    timeout 600 npm install --prefix "$tools" --no-audit --no-fund --silent s3rver@3.7.1 >/dev/null
  fi
  s3_dir=$(mktemp -d "${TMPDIR:-/tmp}/berth-s3.XXXXXX")
  for attempt in 1 2 3 4 5 6 7 8; do
    port=$((20000 + RANDOM % 40000))
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && continue
    "$tools/node_modules/.bin/s3rver" -d "$s3_dir" -a 127.0.0.1 -p "$port" --silent --no-vhost-buckets \
      --configure-bucket berth-test >"$s3_dir/server.log" 2>&1 &
    s3_pid=$!
    for wait in $(seq 1 100); do
      if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
        export BERTH_TEST_S3="endpoint=http://127.0.0.1:$port;bucket=berth-test;accessKeyId=S3RVER;secretAccessKey=S3RVER"
        echo "s3rver on 127.0.0.1:$port (throwaway folder $s3_dir)"
        return 0
      fi
      kill -0 "$s3_pid" 2>/dev/null || break
      sleep 0.1
    done
    kill "$s3_pid" 2>/dev/null || true
    s3_pid=""
    tail -n 5 "$s3_dir/server.log" >&2 || true
  done
  echo "s3rver: could not start (log above)" >&2
  return 1
}

trap 'stop_postgres; stop_s3' EXIT
if [ -z "${BERTH_TEST_POSTGRES:-}" ]; then
  start_postgres
fi
if [ -z "${BERTH_TEST_S3:-}" ]; then
  start_s3
fi

results=TestResults
rm -rf "$results"
status=0
# The Ceph RGW tests run only from their own script (tests/Berth.Storage.S3.Radosgw.Tests/radosgw.sh,
# too heavy for this suite); building them here keeps them compiling with every change.
dotnet build -v q -nologo tests/Berth.Storage.S3.Radosgw.Tests || status=$?
dotnet test Berth.slnx --logger trx --results-directory "$results" "$@" || status=$?

passed=0 failed=0 skipped=0
shopt -s nullglob
for trx in "$results"/*.trx; do
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  value() { echo "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*'; }
  total=$(value total); executed=$(value executed)
  passed=$((passed + $(value passed)))
  failed=$((failed + $(value failed) + $(value error) + $(value timeout) + $(value aborted)))
  skipped=$((skipped + total - executed))
done
echo "tests: $passed passed, $failed failed, $skipped skipped"
exit $status
