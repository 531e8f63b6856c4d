#!/usr/bin/env bash
# Builds both targets (as the test command does) and runs the core benchmarks,
# native then wasm. Figures and what they mean: bench/README.md.
# Usage: bash bench/run.sh [seconds-per-round]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash .ci/setup.sh
export NODE_PATH=/usr/share/nodejs
cmake -S . -B build/native -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build/native --target bench_core >/dev/null
emcmake cmake -S . -B build/wasm -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build/wasm >/dev/null
echo "# $(date -u +%Y-%m-%dT%H:%MZ) $(nproc) cores, node $(node --version)"
build/native/bench/bench_core "${1:-1}"
node bench/core/bench_wasm.mjs "${1:-1}"
