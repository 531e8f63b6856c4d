#!/usr/bin/env bash
# The README's run command. Installs what running needs (not the test tools),
# builds the native `latchkey` binary (and, on the first run, the wasm package
# the demo page imports from /latchkey/), then starts the server on
# 127.0.0.1:8080 with ./latchkey.db (SQLite, created on first start) and the
# demo page at /. Each step prints one line with its time; the output of
# installers and compilers goes to build/logs/, named when a step fails.
# Arguments are passed to `latchkey serve` (e.g. --dev --access-ttl 30); to
# run another command instead, name it: `bash native/run.sh user add you@example.com --admin`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

logs=build/logs
mkdir -p "$logs"

# step LABEL LOG COMMAND...: runs COMMAND with its output in LOG, on one line.
step() {
  local label=$1 log=$2 start=$SECONDS
  shift 2
  printf 'latchkey: %s ... ' "$label" >&2
  if "$@" >"$log" 2>&1; then
    printf 'done (%ds)\n' $((SECONDS - start)) >&2
  else
    local status=$?
    printf 'FAILED after %ds (exit %d); full output: %s\n' $((SECONDS - start)) "$status" "$log" >&2
    tail -n 25 "$log" | sed 's/^/    /' >&2
    exit 1
  fi
}

build_native() {
  cmake -S . -B build/native -G Ninja -DCMAKE_BUILD_TYPE=Release &&
    cmake --build build/native --target latchkey -j "$(nproc)"
}

build_wasm() {
  export NODE_PATH=/usr/share/nodejs  # Debian's emcc needs its acorn
  emcmake cmake -S . -B build/wasm -G Ninja -DCMAKE_BUILD_TYPE=Release &&
    cmake --build build/wasm -j "$(nproc)"
}

step "installing what running needs (.ci/setup.sh run)" "$logs/setup.log" bash .ci/setup.sh run
step "building the server (build/native)" "$logs/native-build.log" build_native

case "${1:-}" in
  serve|user|migrate|keys|token|hash|demo|errors|password|help|import-users) ;;  # --help: serve --help
  *) set -- serve "$@" ;;
esac

if [ "$1" = serve ]; then
  host=${LATCHKEY_HOST:-127.0.0.1} port=${LATCHKEY_PORT:-8080} scheme=http help=0
  for ((i = 2; i <= $#; i++)); do
    next=$((i + 1))
    case "${!i}" in
      --host) host=${!next:-$host} ;;
      --host=*) host=${!i#--host=} ;;
      --port) port=${!next:-$port} ;;
      --port=*) port=${!i#--port=} ;;
      --tls-cert|--tls-cert=*) scheme=https ;;
      --help|-h) help=1 ;;
    esac
  done
  if [ "$help" = 0 ] && { [ ! -f wasm/dist/latchkey_core.wasm ] || [ ! -f wasm/dist/latchkey_tools.wasm ]; }; then
    step "building the wasm package for the demo page (first run only, a few minutes)" "$logs/wasm-build.log" build_wasm
  fi
  [ "$port" = 0 ] || [ "$help" = 1 ] || echo "Latchkey demo: open ${scheme}://${host}:${port}/ in a browser (Ctrl+C stops the server)" >&2
fi
exec build/native/native/latchkey "$@"
