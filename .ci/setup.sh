#!/usr/bin/env bash
# Installs what Latchkey needs on Debian 12, and nothing twice.
#   bash .ci/setup.sh run    what building and running the server needs (native/run.sh)
#   bash .ci/setup.sh cluster that, plus what deploy/cluster.sh starts (PostgreSQL, Redis, nginx)
#   bash .ci/setup.sh test   all that, plus what the tests start (tests/run.sh; the default)
# The package lists are plain arrays, one need per line, so additions merge.
set -euo pipefail

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
mode=${1:-test}
case "$mode" in
  run | cluster | test) ;;
  *) echo "usage: bash .ci/setup.sh [run|cluster|test]" >&2; exit 2 ;;
esac

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

# Building and running: the native server and CLI, and the wasm package the
# demo page imports (Emscripten; libsodium and utf8proc from Debian's sources).
run_packages=(
  cmake g++ pkg-config ninja-build
  libsodium-dev nlohmann-json3-dev libutf8proc-dev libmbedtls-dev
  libsqlite3-dev sqlite3 libcpp-httplib-dev libssl-dev openssl
  libcurl4-openssl-dev libcrypt-dev libqrencode-dev
  libpq-dev
  libhiredis-dev
  emscripten
  autoconf automake libtool dpkg-dev
)

# The local deployment (deploy/cluster.sh), which the tests start too: the
# PostgreSQL 15 server (also tests/support/postgres.sh), the Redis 7 server
# (also tests/support/redis.sh), and nginx as the reverse proxy and load
# balancer of deploy/ (also tests/server/proxy_nginx.test.mjs).
cluster_packages=(
  postgresql
  redis-server
  nginx-light
)

# Testing: Catch2, an SMTP sink, bcrypt for import fixtures, Chromium for the
# browser tests, the FastAPI example's stack (tests/examples/), and clang-14
# with its libFuzzer and sanitizer runtimes for tests/fuzz/.
test_packages=(
  catch2
  clang-14
  libclang-rt-14-dev
  python3-aiosmtpd
  python3-bcrypt
  chromium
  python3-fastapi
  python3-jwt
  python3-cryptography
  python3-uvicorn
)

wanted=("${run_packages[@]}")
if [ "$mode" != run ]; then wanted+=("${cluster_packages[@]}"); fi
if [ "$mode" = test ]; then wanted+=("${test_packages[@]}"); fi

missing=()
for pkg in "${wanted[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed"; then
    missing+=("$pkg")
  fi
done

apt_updated=0
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}"
  as_root apt-get update -qq
  apt_updated=1
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# libsodium and mbedTLS for wasm are built from Debian's own source packages,
# which need a deb-src entry. Derive it from the machine's configured Debian mirror.
if ! grep -rqs '^Types:.*deb-src' /etc/apt/sources.list.d/ && ! grep -qs '^deb-src' /etc/apt/sources.list; then
  src_list=/etc/apt/sources.list.d/latchkey-deb-src.sources
  if [ -f /etc/apt/sources.list.d/debian.sources ]; then
    sed 's/^Types: deb$/Types: deb-src/' /etc/apt/sources.list.d/debian.sources | as_root tee "$src_list" >/dev/null
  elif [ -f /etc/apt/sources.list ]; then
    grep '^deb ' /etc/apt/sources.list | sed 's/^deb /deb-src /' | as_root tee /etc/apt/sources.list.d/latchkey-deb-src.list >/dev/null
  fi
  apt_updated=0
fi
if [ "$apt_updated" = 0 ] && { [ ! -f "$repo_root/build/deps/libsodium-wasm/lib/libsodium.a" ] ||
  [ ! -f "$repo_root/build/deps/mbedtls-wasm/lib/libmbedcrypto.a" ] ||
  [ ! -f "$repo_root/build/deps/utf8proc-src/utf8proc.c" ]; }; then
  as_root apt-get update -qq
fi

# npm: `npm ci` (pinned by the lockfile) when the lockfile changed since the
# last install. Running needs only the API reference page's renderer
# (native/docs-ui/, its own lockfile); testing needs the dev dependencies too.
npm_ci() {
  local dir=$1 stamp="$1/node_modules/.latchkey-npm-ci"
  shift
  [ -f "$dir/package-lock.json" ] || return 0
  if [ ! -f "$stamp" ] || [ "$dir/package-lock.json" -nt "$stamp" ]; then
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error "$@")
    mkdir -p "$dir/node_modules" && touch "$stamp"
  fi
}
# Static files only: no install scripts (swagger-ui-dist's would phone home).
npm_ci "$repo_root/native/docs-ui" --ignore-scripts
if [ "$mode" = test ]; then npm_ci "$repo_root"; fi
