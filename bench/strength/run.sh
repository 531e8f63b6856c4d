#!/usr/bin/env bash
# Builds both targets and times the strength estimator: native, then wasm and
# zxcvbn-ts in one Node process. Figures and what they mean: bench/README.md.
# Usage: bash bench/strength/run.sh [rounds]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
bash .ci/setup.sh
export NODE_PATH=/usr/share/nodejs
cmake -S . -B build/native -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build/native --target bench_strength >/dev/null
emcmake cmake -S . -B build/wasm -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build/wasm >/dev/null
echo "# $(date -u +%Y-%m-%dT%H:%MZ) $(nproc) cores, node $(node --version)"
node bench/strength/corpus.mjs > build/strength-bench-corpus.json
build/native/bench/bench_strength build/strength-bench-corpus.json "${1:-5}"
node bench/strength/bench_wasm.mjs "${1:-3}"
echo "wasm module: $(gzip -9c wasm/dist/latchkey_core.wasm | wc -c) bytes gzip -9 (.wasm), $(gzip -9c wasm/dist/latchkey_core.mjs | wc -c) (.mjs glue)"
