#!/usr/bin/env bash
# Wall time of one berth-credential-provider invocation (the Native AOT binary) beside /bin/cat fed
# the same kubelet request: 200 runs each with hyperfine, results exported next to this script.
# Target: median <= 10 ms and within 3x of cat.
#   bench/credential-provider/run.sh            publishes into artifacts/ if needed, then measures
#   BIN=/path/to/berth-credential-provider bench/credential-provider/run.sh
# Needs: hyperfine, jq, clang (for the AOT publish)   (Debian: apt-get install hyperfine jq clang zlib1g-dev)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
runs="${RUNS:-200}"
rid="linux-x64"; [ "$(uname -m)" = aarch64 ] && rid="linux-arm64"
bin="${BIN:-$root/artifacts/credential-provider/$rid/berth-credential-provider}"

if [ -z "${BIN:-}" ]; then
  timeout 900 dotnet publish "$root/src/Berth.CredentialProvider" -c Release -r "$rid" \
    -o "$root/artifacts/credential-provider/$rid" --disable-build-servers -nologo -v:quiet
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
b64url() { printf '%s' "$1" | base64 -w0 | tr '+/' '-_' | tr -d '='; }
exp=$(( $(date +%s) + 3600 ))
header=$(b64url '{"alg":"RS256","kid":"bench"}')
payload=$(b64url "{\"iss\":\"https://kubernetes.default.svc\",\"sub\":\"system:serviceaccount:team:puller\",\"aud\":[\"registry.example.com\"],\"exp\":$exp,\"iat\":$((exp - 3600)),\"kubernetes.io\":{\"namespace\":\"team\",\"serviceaccount\":{\"name\":\"puller\",\"uid\":\"0b1c\"}}}")
token="$header.$payload.$(b64url "$(head -c 256 /dev/urandom | base64 -w0)")"
request="$work/request.json"
printf '{"kind":"CredentialProviderRequest","apiVersion":"credentialprovider.kubelet.k8s.io/v1","image":"registry.example.com/team/app","serviceAccountToken":"%s","serviceAccountAnnotations":{"registry.example.com/identity":"team-a"}}\n' "$token" > "$request"

# Fail before measuring if the plugin does not answer.
timeout 10 "$bin" < "$request" | jq -e '.auth["registry.example.com"].username == "jwt"' > /dev/null

# hyperfine runs each command through sh and subtracts the shell's own start-up time.
timeout 900 hyperfine --runs "$runs" --warmup 20 \
  --command-name plugin "$bin < $request > /dev/null" \
  --command-name cat "/bin/cat < $request > /dev/null" \
  --export-json "$here/results.json" --export-markdown "$here/results.md"

jq -r '
  (.results[] | select(.command == "plugin")) as $p |
  (.results[] | select(.command == "cat")) as $c |
  "plugin median \($p.median * 1000 | . * 100 | round / 100) ms, mean \($p.mean * 1000 | . * 100 | round / 100) ms",
  "cat    median \($c.median * 1000 | . * 100 | round / 100) ms, mean \($c.mean * 1000 | . * 100 | round / 100) ms",
  "ratio (median) \($p.median / $c.median | . * 100 | round / 100)x; target: plugin median <= 10 ms and <= 3x cat: \(if ($p.median <= 0.010 and $p.median <= 3 * $c.median) then "met" else "NOT met" end)"
' "$here/results.json"
