#!/usr/bin/env bash
# Builds mbedTLS's crypto library (libmbedcrypto: RSA, ECDSA P-256, bignum,
# SHA-256) for WebAssembly from Debian's source package (2.28, the version of
# libmbedtls-dev, which the native build uses) and installs its headers and
# the static library under PREFIX (default build/deps/mbedtls-wasm). Does
# nothing when this version is already there. For RS256/PS256/ES256 in the
# wasm verifier (issue 16); the way build-libsodium.sh builds libsodium.
set -euo pipefail

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
prefix=${1:-$repo_root/build/deps/mbedtls-wasm}
version=2.28.3
stamp="$prefix/.built-$version"

if [ -f "$stamp" ] && [ -f "$prefix/lib/libmbedcrypto.a" ]; then
  exit 0
fi

# emcc's JS optimizer needs Debian's acorn, which node does not search by default.
export NODE_PATH=/usr/share/nodejs${NODE_PATH:+:$NODE_PATH}

work="$repo_root/build/deps/mbedtls-src"
mkdir -p "$work"
cd "$work"
if ! ls mbedtls_"$version".orig.tar.* >/dev/null 2>&1; then
  apt-get source --download-only "mbedtls=$version-*" >/dev/null 2>&1 ||
    apt-get source --download-only mbedtls >/dev/null
fi
tarball=$(ls mbedtls_"$version".orig.tar.* | head -n 1)
rm -rf "mbedtls-$version-wasm" build
mkdir "mbedtls-$version-wasm"
tar -xf "$tarball" -C "mbedtls-$version-wasm" --strip-components=1

echo "mbedtls-wasm: configuring and building libmbedcrypto (a minute or two, once)"
log="$work/build.log"
emcmake cmake -S "mbedtls-$version-wasm" -B build -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_C_FLAGS="-O3" -DENABLE_PROGRAMS=OFF -DENABLE_TESTING=OFF \
  -DUSE_SHARED_MBEDTLS_LIBRARY=OFF -DUSE_STATIC_MBEDTLS_LIBRARY=ON \
  -DMBEDTLS_FATAL_WARNINGS=OFF -DCMAKE_INSTALL_PREFIX="$prefix" >"$log" 2>&1 ||
  { tail -n 40 "$log"; exit 1; }
cmake --build build --target mbedcrypto -j"$(nproc)" >>"$log" 2>&1 || { tail -n 40 "$log"; exit 1; }
mkdir -p "$prefix/lib" "$prefix/include"
cp build/library/libmbedcrypto.a "$prefix/lib/"
cp -r "mbedtls-$version-wasm/include/mbedtls" "mbedtls-$version-wasm/include/psa" "$prefix/include/"
touch "$stamp"
echo "mbedtls-wasm: installed in $prefix (log: $log)"
