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
# The Native AOT link of the kubelet plugin wants clang and zlib's headers.
[ -f /usr/include/zlib.h ] || need+=(zlib1g-dev)
# The web console's browser tests drive Debian's Chromium (Playwright cannot download a browser here).
[ -x /usr/bin/chromium ] || need+=(chromium)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing: ${need[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi

results=TestResults
rm -rf "$results"
status=0
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
