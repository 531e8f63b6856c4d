#!/usr/bin/env bash
# The README's test command. On a fresh Debian 12 machine it installs what is
# missing, then builds the core natively, with ASan+UBSan, and to wasm, and
# runs every test: Catch2 (native and sanitized; the storage suite also on a
# PostgreSQL it starts, tests/support/postgres.sh), node --test (wasm against
# the same vectors, compared with the native verdicts; the server over real
# HTTP, natively and under ASan+UBSan), every fuzz target for a bounded time
# (LATCHKEY_FUZZ_SECONDS each, default 20), and the check that the generated
# vector file is reproducible. Re-runs skip what is done.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash .ci/setup.sh test
export NODE_PATH=/usr/share/nodejs  # Debian's emcc needs its acorn
jobs=$(nproc)

# Each step's heading, with the time the previous one took (where CI's minutes go).
step_started=$SECONDS
step() {
  if [ -n "${step_name:-}" ]; then printf '=== took %d s: %s\n' $((SECONDS - step_started)) "$step_name"; fi
  step_name="$*" step_started=$SECONDS
  printf '\n=== %s\n' "$*"
}
trap 'step_status=$?
if [ "$step_status" = 0 ] && [ -n "${step_name:-}" ]; then
  printf "=== took %d s: %s\n=== all steps: %d s\n" $((SECONDS - step_started)) "$step_name" "$SECONDS"
fi
exit "$step_status"' EXIT

step "native build (-Werror)"
cmake -S . -B build/native -G Ninja -DCMAKE_BUILD_TYPE=Release -DLATCHKEY_WERROR=ON >/dev/null
cmake --build build/native -j "$jobs"

step "ASan+UBSan build"
cmake -S . -B build/asan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DLATCHKEY_SANITIZE=ON -DLATCHKEY_WERROR=ON >/dev/null
cmake --build build/asan -j "$jobs"

step "wasm build"
emcmake cmake -S . -B build/wasm -G Ninja -DCMAKE_BUILD_TYPE=Release -DLATCHKEY_WERROR=ON >/dev/null
cmake --build build/wasm -j "$jobs"

step "native tests"
ctest --test-dir build/native --output-on-failure -j "$jobs"

step "sanitized tests"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build/asan --output-on-failure -j "$jobs"

step "fuzzing: every libFuzzer target for ${LATCHKEY_FUZZ_SECONDS:-20} s (clang-14, ASan+UBSan; tests/fuzz/)"
bash tests/fuzz/run.sh

step "generated vectors are reproducible"
node tests/vectors/gen/jwt-cases.mjs --check
node tests/vectors/gen/webauthn-cases.mjs --check
node tests/vectors/gen/strength-corpus.mjs --check
node core/data/generate-dictionaries.mjs --check

step "wasm tests (node --test)"
LATCHKEY_NATIVE_BUILD=build/native node --test tests/wasm/

step "SMTP sink and bcrypt for the server tests (python3-aiosmtpd, python3-bcrypt)"
/usr/bin/python3 -c 'import aiosmtpd, bcrypt'

step "server tests over HTTP (node --test)"
LATCHKEY_NATIVE_BUILD=build/native node --test --test-concurrency=1 tests/server/

step "server tests against the ASan+UBSan build (all but the cluster failover, a test of processes, not memory)"
# cluster_failover starts PostgreSQL, Redis, nginx and three servers through
# deploy/cluster.sh, kills one and restarts the database: it checks what
# survives, which the native pass shows; under ASan it would cost minutes.
mapfile -t asan_server_tests < <(ls tests/server/*.test.mjs | grep -v '/cluster_failover\.test\.mjs$')
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  LATCHKEY_NATIVE_BUILD=build/asan node --test --test-concurrency=1 "${asan_server_tests[@]}"

step "package tests: client, verifier, types, npm pack (node --test)"
LATCHKEY_NATIVE_BUILD=build/native node --test --test-concurrency=1 tests/package/

step "demo page in headless Chromium (node --test; screenshots in build/demo-screenshots/)"
LATCHKEY_NATIVE_BUILD=build/native node --test --test-concurrency=1 tests/demo/

step "examples: FastAPI (python3-fastapi, python3-jwt, python3-uvicorn) and Express protecting routes against a live server"
/usr/bin/python3 -c 'import fastapi, jwt, uvicorn, cryptography'
LATCHKEY_NATIVE_BUILD=build/native node --test --test-concurrency=1 tests/examples/

step "docs: README.md and docs/*.md blocks run as written against a live server; /docs in Chromium"
LATCHKEY_NATIVE_BUILD=build/native node --test --test-concurrency=1 tests/docs/

step "the run command: native/run.sh and .ci/setup.sh run"
node --test --test-concurrency=1 tests/run-command/
