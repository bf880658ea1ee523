# Shared by bench/run.sh and bench/federation.sh: a scratch folder cleaned up on exit with every
# server started, free loopback ports, bounded waits for readiness, and bounded stops.
# Source it after setting nothing; it defines: bench_workdir PREFIX, log, free_port,
# wait_ready URL PID LOG, start_floor PORT, stop_server PID. Servers go into the `started` array;
# start_floor sets server_pid and needs $repo; s3rver_tools (sets $tools) and wait_tcp PORT PID LOG serve the S3 benches.

declare -a started=()

# Every Berth a bench starts logs warnings only, as distribution runs with `log: level: warn` and no
# access log: Berth's one line per request (category Berth.Requests, on by default) costs about
# 22 µs of CPU per manifest GET, a third of it (bench/RESULTS.md, 2026-12-06 quiet run).
export Logging__LogLevel__Default=Warning

# bench_workdir PREFIX: sets $work to a fresh temp folder; servers and folder go on exit.
bench_workdir() {
  work=$(mktemp -d "/tmp/$1.XXXXXX")
  trap bench_cleanup EXIT
}

bench_cleanup() {
  for pid in "${started[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${started[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}

log() { echo "bench: $*" >&2; }

# wrk_summary: reads `wrk --latency` output, prints "requests/s p99_ms"; fails on any non-2xx/3xx answer.
wrk_summary() {
  awk '
    /^Requests\/sec:/ {rps = $2}
    $1 == "99%" {
      v = $2
      if (v ~ /us$/) { sub(/us$/, "", v); v /= 1000 }
      else if (v ~ /ms$/) { sub(/ms$/, "", v) }
      else if (v ~ /s$/) { sub(/s$/, "", v); v *= 1000 }
      p99 = v
    }
    /Non-2xx or 3xx responses/ {bad = $NF}
    END { if (bad > 0) { print "wrk: non-2xx responses: " bad > "/dev/stderr"; exit 1 }
          printf "%.0f %.2f\n", rps, p99 }'
}

free_port() {
  local port
  while :; do
    port=$((20000 + RANDOM % 40000))
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return; }
  done
}

# wait_ready URL PID LOG: poll until URL answers 2xx, at most 60 s, failing early (with the
# server's log) if PID died.
wait_ready() {
  local url=$1 pid=$2 server_log=$3 deadline=$((SECONDS + 60))
  until curl -fs -o /dev/null --max-time 2 "$url"; do
    kill -0 "$pid" 2>/dev/null || { log "server for $url exited:"; tail -n 20 "$server_log" >&2; return 1; }
    [ $SECONDS -lt $deadline ] || { log "server for $url not ready in 60 s:"; tail -n 20 "$server_log" >&2; return 1; }
    sleep 0.1
  done
}

# stop_server PID: SIGTERM, up to 30 s for a graceful stop, then SIGKILL.
stop_server() {
  kill "$1" 2>/dev/null || true
  local deadline=$((SECONDS + 30))
  while kill -0 "$1" 2>/dev/null && [ $SECONDS -lt $deadline ]; do sleep 0.1; done
  kill -9 "$1" 2>/dev/null || true
}

# start_floor PORT: the HTTP floor (bench/floor, a bare Kestrel 1 KiB answer), Release build.
start_floor() {
  local port=$1
  dotnet "$repo/bench/floor/bin/Release/net10.0/floor.dll" --urls "http://127.0.0.1:$port" >"$work/floor.log" 2>&1 &
  server_pid=$!
  started+=("$server_pid")
  wait_ready "http://127.0.0.1:$port/" "$server_pid" "$work/floor.log"
}

# A GitHub-shaped identity provider for the federation benches: an RSA key in $work/idp.pem, its JWKS
# in $jwks, and one signed workload token in $jwt, valid for $2 seconds (kid and jti from $1).
# Sets $issuer and $audience for the scripts' berth.yaml.
bench_github_identity() {
  local name=$1 lifetime=$2 modulus header payload signature now
  b64url() { base64 -w0 | tr '+/' '-_' | tr -d '='; }
  issuer=https://token.actions.githubusercontent.com
  audience=registry.bench.local
  openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$work/idp.pem" 2>/dev/null
  modulus=$(openssl rsa -in "$work/idp.pem" -noout -modulus | cut -d= -f2 | xxd -r -p | b64url)
  jwks=$(jq -cn --arg n "$modulus" --arg kid "$name-1" '{keys: [{kty: "RSA", use: "sig", alg: "RS256", kid: $kid, n: $n, e: "AQAB"}]}')
  now=$(date +%s)
  header=$(jq -cn --arg kid "$name-1" '{alg: "RS256", typ: "JWT", kid: $kid}' | b64url)
  payload=$(jq -cn --arg iss "$issuer" --arg aud "$audience" --arg jti "$name-run" --argjson now "$now" --argjson life "$lifetime" '{
    iss: $iss, aud: $aud, sub: "repo:acme/app:ref:refs/heads/main", jti: $jti,
    iat: ($now - 10), nbf: ($now - 10), exp: ($now + $life),
    repository: "acme/app", repository_owner: "acme", repository_owner_id: "46576199",
    ref: "refs/heads/main", event_name: "push"}' | b64url)
  signature=$(printf '%s.%s' "$header" "$payload" | openssl dgst -sha256 -sign "$work/idp.pem" -binary | b64url)
  jwt="$header.$payload.$signature"
}

# s3rver_tools: s3rver 3.7.1 under .tools/s3rver (npm, as ./test.sh installs it), installed once; needs $repo.
s3rver_tools() {
  tools=$repo/.tools/s3rver
  if [ ! -x "$tools/node_modules/.bin/s3rver" ]; then
    mkdir -p "$tools"
    timeout 600 npm install --prefix "$tools" --no-audit --no-fund --silent s3rver@3.7.1 >/dev/null
  fi
}

# wait_tcp PORT PID LOG: poll until 127.0.0.1:PORT accepts a connection, at most 30 s, failing early (with
# the server's log) if PID died.
wait_tcp() {
  local port=$1 pid=$2 server_log=$3 deadline=$((SECONDS + 30))
  until (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do
    kill -0 "$pid" 2>/dev/null && [ $SECONDS -lt $deadline ] || { log "server on port $port did not start:"; cat "$server_log" >&2; return 1; }
    sleep 0.1
  done
}
