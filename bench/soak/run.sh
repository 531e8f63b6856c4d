#!/usr/bin/env bash
# bench/soak: a steady mixed workload (signup, login, refresh, me, logout,
# forgot-password) against `latchkey serve` on SQLite in a temporary folder,
# with kill -9 and a restart every KILL_EVERY seconds; checks after each
# restart that no acknowledged write was lost, and samples the server's RSS
# and open file descriptors. Figures: bench/README.md.
#   bash bench/soak/run.sh [DURATION_S [KILL_EVERY_S]]   (default 600 120)
# Environment: LATCHKEY_SOAK_RATE operations per second (default 20).
# The full result (every sample) is written to build/soak/result.json; the run
# fails if an acknowledged write was lost.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
duration=${1:-600}
kill_every=${2:-120}
rate=${LATCHKEY_SOAK_RATE:-20}

bash .ci/setup.sh
cmake -S . -B build/native -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build/native --target latchkey >/dev/null
mkdir -p build/soak
echo "# $(date -u +%Y-%m-%dT%H:%MZ) $(nproc) cores: soak for $duration s, kill -9 every $kill_every s, $rate ops/s"
node bench/soak/soak.mjs --binary build/native/native/latchkey --duration "$duration" --kill-every "$kill_every" \
  --rate "$rate" --out build/soak/result.json
