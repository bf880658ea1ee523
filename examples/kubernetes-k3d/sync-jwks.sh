#!/bin/sh
# Keeps Berth's copy of the cluster's service-account keys current. Run it after creating the
# cluster and whenever the keys may have changed (cluster re-created, key rotated), e.g. from cron.
# Berth re-reads jwksFile by itself (hourly, and at once when a token names an unknown kid), so no
# restart is needed. The file is replaced atomically, and only with a JWKS that has keys.
#
#   ./sync-jwks.sh [TARGET]      TARGET defaults to jwks.json beside this script
set -eu
target=${1:-$(dirname "$0")/jwks.json}
new=$(mktemp "$target.XXXXXX")
trap 'rm -f "$new"' EXIT
kubectl get --raw /openid/v1/jwks > "$new"
grep -q '"kid"' "$new" || { echo "sync-jwks.sh: the cluster returned no keys" >&2; exit 1; }
if cmp -s "$new" "$target"; then
  echo "sync-jwks.sh: $target is current"
else
  chmod 0644 "$new" && mv "$new" "$target"
  echo "sync-jwks.sh: wrote $target"
fi
