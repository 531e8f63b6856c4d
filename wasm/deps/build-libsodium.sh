#!/usr/bin/env bash
# Builds libsodium for WebAssembly from Debian's source package and installs it
# under PREFIX (default build/deps/libsodium-wasm). Does nothing when the
# library for this version is already there: the build takes minutes.
set -euo pipefail

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
prefix=${1:-$repo_root/build/deps/libsodium-wasm}
version=1.0.18
stamp="$prefix/.built-$version"

if [ -f "$stamp" ] && [ -f "$prefix/lib/libsodium.a" ]; then
  exit 0
fi

# emcc's JS optimizer needs Debian's acorn, which node does not search by default.
export NODE_PATH=/usr/share/nodejs${NODE_PATH:+:$NODE_PATH}

work="$repo_root/build/deps/src"
mkdir -p "$work"
cd "$work"
if [ ! -f "libsodium_$version.orig.tar.gz" ]; then
  apt-get source --download-only "libsodium=$version-*" >/dev/null 2>&1 ||
    apt-get source --download-only libsodium >/dev/null
fi
tarball=$(ls libsodium_"$version".orig.tar.* | head -n 1)
rm -rf "libsodium-$version-wasm"
mkdir "libsodium-$version-wasm"
tar -xf "$tarball" -C "libsodium-$version-wasm" --strip-components=1
cd "libsodium-$version-wasm"

if [ ! -x configure ]; then
  ./autogen.sh -s >/dev/null
fi
echo "libsodium-wasm: configuring and building (a few minutes, once)"
CFLAGS="-O3" emconfigure ./configure --host=wasm32-unknown-emscripten \
  --prefix="$prefix" --disable-shared --enable-static --without-pthreads \
  --disable-ssp --disable-asm --disable-pie >configure.log 2>&1 ||
  { tail -n 40 configure.log; exit 1; }
emmake make -j"$(nproc)" >make.log 2>&1 || { tail -n 40 make.log; exit 1; }
emmake make install >>make.log 2>&1 || { tail -n 40 make.log; exit 1; }
touch "$stamp"
echo "libsodium-wasm: installed in $prefix"
