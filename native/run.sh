#!/usr/bin/env bash
# The README's run command. Installs what is missing, builds the native
# `latchkey` binary (and, on the first run, the wasm package the demo page
# imports from /latchkey/), then starts the server on 127.0.0.1:8080 with
# ./latchkey.db (SQLite, created on first start) and the demo page at /.
# Arguments are passed to `latchkey serve` (e.g. --dev --access-ttl 30); to
# run another command instead, name it: `bash native/run.sh user add you@example.com --admin`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash .ci/setup.sh
cmake -S . -B build/native -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build/native --target latchkey -j "$(nproc)" >/dev/null

case "${1:-}" in
  serve|user|migrate|keys|token|hash|demo|errors|help|--help|import-users) ;;
  *) set -- serve "$@" ;;
esac

if [ "$1" = serve ]; then
  if [ ! -f wasm/dist/latchkey_core.wasm ]; then
    echo "Building the wasm package for the demo page (first run only, a few minutes)..." >&2
    export NODE_PATH=/usr/share/nodejs  # Debian's emcc needs its acorn
    emcmake cmake -S . -B build/wasm -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
    cmake --build build/wasm -j "$(nproc)" >/dev/null
  fi
  host=${LATCHKEY_HOST:-127.0.0.1} port=${LATCHKEY_PORT:-8080} scheme=http
  for ((i = 2; i <= $#; i++)); do
    next=$((i + 1))
    case "${!i}" in
      --host) host=${!next:-$host} ;;
      --host=*) host=${!i#--host=} ;;
      --port) port=${!next:-$port} ;;
      --port=*) port=${!i#--port=} ;;
      --tls-cert|--tls-cert=*) scheme=https ;;
    esac
  done
  [ "$port" = 0 ] || echo "Latchkey demo: open ${scheme}://${host}:${port}/ in a browser (Ctrl+C stops the server)" >&2
fi
exec build/native/native/latchkey "$@"
