#!/usr/bin/env bash
# bench/fuzz: every libFuzzer target for longer than the test run does.
#   bash bench/fuzz/run.sh SECONDS   seconds per target (default 120)
# Environment: LATCHKEY_FUZZ_JOBS targets at once (default 1, so each target's
# execs per second are measured without a neighbour), LATCHKEY_FUZZ_TARGETS.
# Prints a table (execs, execs/s, corpus size, peak RSS per target) for
# bench/README.md; fails on any finding, like the test run.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
seconds=${1:-120}
bash .ci/setup.sh
echo "# $(date -u +%Y-%m-%dT%H:%MZ) $(nproc) cores, ${LATCHKEY_FUZZ_JOBS:-1} target(s) at once, $seconds s each"
LATCHKEY_FUZZ_JOBS=${LATCHKEY_FUZZ_JOBS:-1} bash tests/fuzz/run.sh "$seconds"
