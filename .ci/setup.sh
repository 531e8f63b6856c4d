#!/usr/bin/env bash
# Installs what the build and the tests need on Debian 12, and nothing twice.
# Sourced by tests/run.sh and native/run.sh; safe to run on its own.
set -euo pipefail

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

# Debian packages: build toolchain, libraries, the wasm compiler, and what the
# tests start (an SMTP sink, bcrypt for import fixtures, Chromium for the demo,
# nginx as the reverse proxy of deploy/).
debian_packages=(
  cmake g++ pkg-config ninja-build
  libsodium-dev nlohmann-json3-dev catch2 libutf8proc-dev
  libsqlite3-dev sqlite3 libcpp-httplib-dev libssl-dev openssl
  emscripten
  autoconf automake libtool dpkg-dev
  libcurl4-openssl-dev libcrypt-dev python3-aiosmtpd python3-bcrypt
  chromium nginx-light
)

missing=()
for pkg in "${debian_packages[@]}"; do
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

# libsodium for wasm is built from Debian's own source package, which needs a
# deb-src entry. Derive it from the machine's configured Debian mirror.
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
  [ ! -f "$repo_root/build/deps/utf8proc-src/utf8proc.c" ]; }; then
  as_root apt-get update -qq
fi

# Node packages (dev only; the package has no runtime dependencies).
stamp="$repo_root/node_modules/.latchkey-npm-ci"
if [ ! -f "$stamp" ] || [ "$repo_root/package-lock.json" -nt "$stamp" ]; then
  (cd "$repo_root" && npm ci --no-audit --no-fund --loglevel=error)
  mkdir -p "$repo_root/node_modules" && touch "$stamp"
fi
