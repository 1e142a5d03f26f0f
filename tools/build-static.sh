#!/usr/bin/env bash
# A kubeplan binary that runs on any x86-64 Linux machine, without Rust and
# without a dynamic loader: the release profile (fat LTO, one codegen unit,
# stripped) linked statically against glibc. kubeplan does no DNS lookup
# and loads no NSS module, the two things a static glibc cannot do.
#
#   tools/build-static.sh            # writes dist/kubeplan-VERSION-x86_64-linux
#   tools/build-static.sh OUT_DIR
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-dist}
target=$(rustc -vV | sed -n 's/^host: //p')
version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n 1)
cargo rustc --release --locked --bin kubeplan --target "$target" \
  --target-dir target/static -- -C target-feature=+crt-static
bin="target/static/$target/release/kubeplan"
# A static executable has no interpreter (no PT_INTERP program header).
if readelf -l "$bin" | grep -q 'Requesting program interpreter'; then
  echo "build-static: $bin is dynamically linked" >&2
  exit 1
fi
mkdir -p "$out"
dest="$out/kubeplan-$version-${target%%-*}-linux"
cp "$bin" "$dest"
"$dest" --version >/dev/null
echo "$dest"
