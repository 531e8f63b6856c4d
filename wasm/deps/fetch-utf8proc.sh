#!/usr/bin/env bash
# Unpacks Debian's utf8proc source package (the same version as the native
# libutf8proc-dev) under DEST, for the wasm build to compile utf8proc.c from.
# Does nothing when it is already there.
set -euo pipefail

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
dest=${1:-$repo_root/build/deps/utf8proc-src}
if [ -f "$dest/utf8proc.c" ] && [ -f "$dest/utf8proc_data.c" ]; then
  exit 0
fi

work="$(dirname "$dest")/src"
mkdir -p "$work"
cd "$work"
if ! ls utf8proc_*.orig.tar.* >/dev/null 2>&1; then
  apt-get source --download-only utf8proc >/dev/null 2>&1
fi
tarball=$(ls utf8proc_*.orig.tar.* | head -n 1)
rm -rf "$dest.tmp"
mkdir -p "$dest.tmp"
tar -xf "$tarball" -C "$dest.tmp" --strip-components=1
rm -rf "$dest"
mv "$dest.tmp" "$dest"
echo "utf8proc source unpacked in $dest"
