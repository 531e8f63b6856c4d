#!/usr/bin/env bash
# Builds the libFuzzer targets (clang-14, ASan+UBSan) and runs each one for a
# bounded time; exits non-zero on any finding (crash, sanitizer report, leak,
# timeout, memory limit, broken property).
#   bash tests/fuzz/run.sh [SECONDS]   seconds per target (default: $LATCHKEY_FUZZ_SECONDS or 20)
# Environment: LATCHKEY_FUZZ_BUILD (default build/fuzz), LATCHKEY_FUZZ_JOBS
# (targets run at once; default nproc), LATCHKEY_FUZZ_TARGETS (names, space
# separated; default all). Corpora grow in $LATCHKEY_FUZZ_BUILD/corpus/, a
# finding is saved to $LATCHKEY_FUZZ_BUILD/artifacts/ with the command that
# replays it; logs are in $LATCHKEY_FUZZ_BUILD/logs/.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

seconds=${1:-${LATCHKEY_FUZZ_SECONDS:-20}}
build=${LATCHKEY_FUZZ_BUILD:-build/fuzz}
jobs=${LATCHKEY_FUZZ_JOBS:-$(nproc)}

cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DLATCHKEY_FUZZ=ON -DLATCHKEY_WERROR=ON \
  -DCMAKE_C_COMPILER=clang-14 -DCMAKE_CXX_COMPILER=clang++-14 >/dev/null
cmake --build "$build" -j "$(nproc)"

mkdir -p "$build/corpus" "$build/artifacts" "$build/logs"
node tests/fuzz/make-corpora.mjs "$build/corpus" >/dev/null

targets=()
if [ -n "${LATCHKEY_FUZZ_TARGETS:-}" ]; then
  read -r -a targets <<<"$LATCHKEY_FUZZ_TARGETS"
else
  for manifest in "$build"/fuzz-targets/*; do targets+=("$(basename "$manifest")"); done
fi

export ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

run_target() {
  local name=$1 exe dict max_len
  IFS='|' read -r _ exe dict max_len <"$build/fuzz-targets/$name"
  local corpus="$build/corpus/$name" regressions="tests/fuzz/regressions/$name"
  mkdir -p "$corpus"
  rm -f "$build/artifacts/$name-"*
  local args=(-max_total_time="$seconds" -timeout=10 -rss_limit_mb=1024 -malloc_limit_mb=512
    -print_final_stats=1 -artifact_prefix="$build/artifacts/$name-")
  [ -n "$dict" ] && args+=(-dict="$dict")
  [ -n "$max_len" ] && args+=(-max_len="$max_len")
  local dirs=("$corpus")
  [ -d "$regressions" ] && dirs+=("$regressions")
  "$exe" "${args[@]}" "${dirs[@]}" >"$build/logs/$name.log" 2>&1
}

# Runs up to $jobs targets at once; remembers each one's exit status.
declare -A status
pids=()
names=()
start=$(date +%s)
for name in "${targets[@]}"; do
  [ -f "$build/fuzz-targets/$name" ] || { echo "fuzz: no target named $name" >&2; exit 2; }
  while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do sleep 0.2; done
  run_target "$name" &
  pids+=($!)
  names+=("$name")
done
for i in "${!pids[@]}"; do
  if wait "${pids[$i]}"; then status[${names[$i]}]=0; else status[${names[$i]}]=$?; fi
done

printf '| target | seconds | execs | execs/s | corpus | peak RSS (MB) | result |\n'
printf '| --- | ---: | ---: | ---: | ---: | ---: | --- |\n'
failed=0
for name in "${targets[@]}"; do
  log="$build/logs/$name.log"
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  rss=$(sed -n 's/^stat::peak_rss_mb: *//p' "$log" | tail -1)
  corp=$(grep -o 'corp: [0-9]*' "$log" | tail -1 | cut -d' ' -f2 || true)
  result=ok
  if [ "${status[$name]}" != 0 ]; then
    result="FINDING (exit ${status[$name]}; log $log)"
    failed=1
  fi
  printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$name" "$seconds" "${execs:-?}" "${rate:-?}" "${corp:-?}" \
    "${rss:-?}" "$result"
done
echo "fuzz: ${#targets[@]} targets, $seconds s each, $jobs at once, $(($(date +%s) - start)) s in all"

if [ "$failed" = 1 ]; then
  for name in "${targets[@]}"; do
    [ "${status[$name]}" = 0 ] && continue
    echo
    echo "=== fuzz finding in $name (last lines of $build/logs/$name.log)"
    tail -40 "$build/logs/$name.log"
    for artifact in "$build/artifacts/$name-"*; do
      [ -e "$artifact" ] || continue
      IFS='|' read -r _ exe _ <"$build/fuzz-targets/$name"
      echo "replay: $exe $artifact"
    done
  done
  exit 1
fi
