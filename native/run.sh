#!/usr/bin/env bash
# The README's run command. Installs what is missing, builds the native
# `latchkey` binary and starts the server on 127.0.0.1:8080 with ./latchkey.db
# (SQLite, created on first start) and the demo page at /. Arguments are
# passed to `latchkey serve`; to run another command instead, name it:
# `bash native/run.sh user add you@example.com --admin`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash .ci/setup.sh
cmake -S . -B build/native -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build/native --target latchkey -j "$(nproc)" >/dev/null

case "${1:-}" in
  serve|user|migrate|keys|token|hash|demo|errors|help|--help) ;;
  *) set -- serve "$@" ;;
esac
exec build/native/native/latchkey "$@"
