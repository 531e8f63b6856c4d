#!/usr/bin/env bash
# Builds the wasm target and runs the package benchmark (wasm verifier vs
# jose, passwordStrength latency, package and bundle sizes). Figures: bench/README.md.
# Usage: bash bench/package/run.sh [seconds-per-round]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
export NODE_PATH=/usr/share/nodejs
emcmake cmake -S . -B build/wasm -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build/wasm >/dev/null
echo "# $(date -u +%Y-%m-%dT%H:%MZ) $(nproc) cores, node $(node --version)"
node bench/package/bench_package.mjs "${1:-1}"
# Vite builds of a one-line use of latchkey, jose (and supabase-js with SUPABASE_DIR set).
node bench/package/bundle_sizes.mjs
echo "npm pack: $(npm pack --dry-run --json 2>/dev/null | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const [p]=JSON.parse(s);console.log(p.size+" bytes tarball, "+p.unpackedSize+" unpacked, "+p.entryCount+" files")})')"
