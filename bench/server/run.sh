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
nginx=$(command -v nginx || echo /usr/sbin/nginx)  # installed by .ci/setup.sh (nginx-light)
cmake -S . -B build/native -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build/native --target latchkey bench_core >/dev/null

work=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null; rm -rf "$work"' EXIT
# LATCHKEY_BENCH_BINARY runs another build (e.g. an older commit's) through
# the same script, for before/after figures.
binary=${LATCHKEY_BENCH_BINARY:-build/native/native/latchkey}
# Every load here comes from one address: the burst of 500 concurrent logins
# would meet the cap of connections per client address (64 by default).
per_ip=()
help=$("$binary" serve --help)  # whole, not piped into grep -q (SIGPIPE under pipefail)
if [[ $help == *--max-connections-per-ip* ]]; then per_ip=(--max-connections-per-ip 1000); fi
"$binary" serve --port 0 --database "$work/bench.db" --access-log off --web-root '' \
  --rate-signup off --rate-login-ip off --rate-login-account off --rate-failed-logins off --rate-refresh off --rate-refresh-account off \
  --hash-queue 1000 "${per_ip[@]}" ${LATCHKEY_BENCH_ARGS:-} >"$work/server.log" 2>&1 &
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
# Server CPU (user + system) per request over one wrk run: a figure the
# load of a shared machine moves less than requests per second.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
cpu_per_request() {
  local ticks=$(($(cpu_ticks) - $1)) requests
  requests=$(grep -o '[0-9]* requests in' "$2" | cut -d' ' -f1)
  echo "    server CPU per request: $((ticks * 1000000 / $(getconf CLK_TCK) / requests)) us"
}
echo "# GET /auth/me: wrk -t2 -c64 -d10s (one token, so verified once and then cached)"
sleep 0.3  # the signup's connection is closed before wrk opens its 64
before=$(cpu_ticks)
wrk -t2 -c64 -d10s --latency -H "Authorization: Bearer $token" "$base/auth/me" >"$work/wrk.txt"
grep -E "Requests/sec|Non-2xx|Socket errors|50%|99%" "$work/wrk.txt"
cpu_per_request "$before" "$work/wrk.txt"

echo "# GET /auth/me: wrk -t2 -c64 -d10s, 12,000 tokens in turn (more than the verified-token cache holds)"
jwk=$(sqlite3 "$work/bench.db" "SELECT private_jwk FROM signing_keys WHERE retired_at IS NULL ORDER BY created_at DESC LIMIT 1")
node bench/server/tokens.mjs "$token" "$jwk" 12000 >"$work/tokens.txt"
before=$(cpu_ticks)
TOKENS="$work/tokens.txt" wrk -t2 -c64 -d10s --latency -s bench/server/tokens.lua "$base/auth/me" >"$work/wrk2.txt"
grep -E "Requests/sec|Non-2xx|Socket errors|50%|99%" "$work/wrk2.txt"
cpu_per_request "$before" "$work/wrk2.txt"

# The ceiling of HTTP on this machine, in the same run: nginx (a worker per
# core, its defaults otherwise) serving a 1.2 KB static file.
nginx_port=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
mkdir -p "$work/www" && cp web-demo/index.html "$work/www/"
chmod 755 "$work" "$work/www"  # nginx's workers run as nobody when started by root
cat >"$work/nginx.conf" <<EOF
worker_processes auto;
pid $work/nginx.pid;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $work/body; proxy_temp_path $work/proxy; fastcgi_temp_path $work/fcgi;
  uwsgi_temp_path $work/uwsgi; scgi_temp_path $work/scgi;
  server { listen 127.0.0.1:$nginx_port; root $work/www; }
}
EOF
"$nginx" -p "$work" -c "$work/nginx.conf" -e "$work/nginx-error.log"
sleep 0.5
echo "# nginx $("$nginx" -v 2>&1 | cut -d/ -f2), GET /index.html (1,227 bytes): wrk -t2 -c64 -d10s"
wrk -t2 -c64 -d10s --latency "http://127.0.0.1:$nginx_port/index.html" | grep -E "Requests/sec|Non-2xx|Socket errors|50%|99%"
kill "$(cat "$work/nginx.pid")"
rm -f "$work/nginx.pid"
node bench/server/driver.mjs "$base" "$pid" "$email" "$password"
echo "# durable commits per request (strace -c)"
node bench/server/commits.mjs "$base" "$pid" 20
