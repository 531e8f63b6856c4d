#!/usr/bin/env bash
# The README's run command. Installs what is missing, builds the native
# `latchkey` binary and runs it: with no arguments, `latchkey demo`; otherwise
# the arguments are passed on (e.g. `bash native/run.sh token verify --help`).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash .ci/setup.sh
cmake -S . -B build/native -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build/native --target latchkey -j "$(nproc)" >/dev/null

if [ $# -eq 0 ]; then
  set -- demo
fi
exec build/native/native/latchkey "$@"
