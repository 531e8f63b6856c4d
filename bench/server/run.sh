#!/usr/bin/env bash
# bench/server: the server under load on this machine, wrk and the driver
# included (they share the 2 cores with it). Figures: bench/README.md.
# Usage: bash bench/server/run.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
bash .ci/setup.sh
for tool in wrk strace; do
  command -v $tool >/dev/null || { if [ "$(id -u)" = 0 ]; then apt-get install -y -qq $tool; else sudo apt-get install -y -qq $tool; fi; }
done
cmake -S . -B build/native -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build/native --target latchkey bench_core >/dev/null

work=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT
build/native/native/latchkey serve --port 0 --database "$work/bench.db" --access-log off --web-root '' \
  --rate-signup off --rate-login-ip off --rate-login-account off --rate-failed-logins off --rate-refresh off --rate-refresh-account off \
  --hash-queue 1000 ${LATCHKEY_BENCH_ARGS:-} >"$work/server.log" 2>&1 &
pid=$!
for _ in $(seq 50); do grep -q '"listening"' "$work/server.log" && break; sleep 0.1; done
port=$(grep -o '"port":[0-9]*' "$work/server.log" | head -1 | cut -d: -f2)
base="http://127.0.0.1:$port"
email="bench@example.com"
password="correct horse battery staple"
token=$(curl -sf -X POST "$base/auth/signup" -H 'Content-Type: application/json' \
  -d "{\"email\":\"$email\",\"password\":\"$password\"}" | node -e 'process.stdin.on("data",d=>console.log(JSON.parse(d).access_token))')

echo "# $(date -u +%Y-%m-%dT%H:%MZ) $(nproc) cores; server pid $pid, hash threads = cores"
build/native/bench/bench_core 0.2 | grep argon2id
echo "# GET /auth/me: wrk -t2 -c64 -d10s"
wrk -t2 -c64 -d10s --latency -H "Authorization: Bearer $token" "$base/auth/me" | tee "$work/wrk.txt" |
  grep -E "Requests/sec|Non-2xx|Socket errors|50%|99%"
node bench/server/driver.mjs "$base" "$pid" "$email" "$password"
echo "# durable commits per request (strace -c)"
node bench/server/commits.mjs "$base" "$pid" 20
