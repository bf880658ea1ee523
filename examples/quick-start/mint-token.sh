#!/bin/sh
# Mints a short-lived RS256 workload token for the Berth quick start, with nothing but openssl and
# coreutils. The first run makes a signing key (key.pem, private: keep it here) and the matching
# public JWKS (jwks.json) that berth.yaml names as the identity provider's jwksFile.
#
#   ./mint-token.sh [CLAIMS_FILE] [LIFETIME_SECONDS]     -> prints the JWT on stdout
#
# CLAIMS_FILE (default ci-push.claims.json) is a JSON object without iat/nbf/exp; this script adds
# them (now, now, now + LIFETIME_SECONDS, default 300 like a CI token).
set -eu
here=$(dirname "$0")
claims_file=${1:-$here/ci-push.claims.json}
lifetime=${2:-300}

b64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }

if [ ! -f "$here/key.pem" ]; then
  (umask 077 && openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$here/key.pem" 2>/dev/null)
  # An RSA-2048 public key in DER (SubjectPublicKeyInfo, e = 65537) ends with the 256-byte modulus
  # followed by the 5 bytes 02 03 01 00 01.
  n=$(openssl pkey -in "$here/key.pem" -pubout -outform DER | tail -c 261 | head -c 256 | b64url)
  # kid: the RFC 7638 thumbprint of the public key.
  kid=$(printf '{"e":"AQAB","kty":"RSA","n":"%s"}' "$n" | openssl dgst -sha256 -binary | b64url)
  printf '{"keys":[{"kty":"RSA","use":"sig","alg":"RS256","kid":"%s","e":"AQAB","n":"%s"}]}\n' "$kid" "$n" > "$here/jwks.json"
  echo "mint-token.sh: made key.pem and jwks.json (kid $kid)" >&2
fi

kid=$(sed 's/.*"kid":"\([^"]*\)".*/\1/' "$here/jwks.json")
now=$(date +%s)
header=$(printf '{"alg":"RS256","typ":"JWT","kid":"%s"}' "$kid" | b64url)
# Drop the claims' closing brace and append the times.
body=$(tr -d '\n' < "$claims_file" | sed 's/}[[:space:]]*$//')
payload=$(printf '%s,"iat":%s,"nbf":%s,"exp":%s}' "$body" "$now" "$now" "$((now + lifetime))" | b64url)
signature=$(printf '%s.%s' "$header" "$payload" | openssl dgst -sha256 -sign "$here/key.pem" -binary | b64url)
printf '%s.%s.%s\n' "$header" "$payload" "$signature"
