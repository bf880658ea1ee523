#!/bin/sh
# Builds a tiny image (one file, one layer) as an OCI image layout in ./image, tag v1, with tar and
# sha256sum only, so the quick start needs no network and no container engine. Push it with
#   skopeo copy oci:image:v1 docker://localhost:5000/library/demo/hello:v1 …
set -eu
cd "$(dirname "$0")"
rm -rf image && mkdir -p image/blobs/sha256
work=$(mktemp -d) && trap 'rm -rf "$work"' EXIT

put() { # put FILE -> prints "sha256:<hex> <size>" and stores the blob
  hex=$(sha256sum "$1" | cut -d' ' -f1)
  cp "$1" "image/blobs/sha256/$hex"
  echo "sha256:$hex $(wc -c < "$1" | tr -d ' ')"
}

echo "hello from a federated push" > "$work/hello.txt"
tar -C "$work" -cf "$work/layer.tar" --owner=0 --group=0 --numeric-owner --mtime=@0 hello.txt
set -- $(put "$work/layer.tar"); layer=$1 layer_size=$2

printf '{"architecture":"amd64","os":"linux","config":{},"rootfs":{"type":"layers","diff_ids":["%s"]}}' "$layer" > "$work/config.json"
set -- $(put "$work/config.json"); config=$1 config_size=$2

printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"%s","size":%s},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"%s","size":%s}]}' \
  "$config" "$config_size" "$layer" "$layer_size" > "$work/manifest.json"
set -- $(put "$work/manifest.json"); manifest=$1 manifest_size=$2

printf '{"imageLayoutVersion":"1.0.0"}' > image/oci-layout
printf '{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"%s","size":%s,"annotations":{"org.opencontainers.image.ref.name":"v1"}}]}' \
  "$manifest" "$manifest_size" > image/index.json
echo "make-image.sh: image/ holds manifest $manifest (tag v1)" >&2
