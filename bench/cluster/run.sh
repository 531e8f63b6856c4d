#!/usr/bin/env bash
# bench/cluster: GET /auth/me, login and refresh, 10 s each, for one instance
# on SQLite, one instance on PostgreSQL, and two instances behind nginx
# (deploy/cluster.sh with two instances), all on this machine (load
# generators included). Per request it reports what each tier spent: CPU of
# the instances, of PostgreSQL's backends and of nginx, PostgreSQL write
# commits and round trips (transaction ids, pg_stat_statements), Redis
# commands (the shared rate limits, on with limits too high to refuse). Figures:
# bench/README.md ("bench/cluster").
# Usage: bash bench/cluster/run.sh   (LATCHKEY_BENCH_SECONDS: per case, 10)
# shellcheck disable=SC2086,SC2046  # pid lists are split into words on purpose
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
seconds=${LATCHKEY_BENCH_SECONDS:-10}
bash .ci/setup.sh cluster >/dev/null
command -v wrk >/dev/null || { if [ "$(id -u)" = 0 ]; then apt-get install -y -qq wrk; else sudo apt-get install -y -qq wrk; fi; }
binary=build/native/native/latchkey
[ -x "$binary" ] || cmake --build build/native --target latchkey >/dev/null

work=$(mktemp -d)
chmod 755 "$work"  # as root, PostgreSQL runs as `postgres`, which must reach its folder inside
export LATCHKEY_CLUSTER_DIR="$work/cluster" LATCHKEY_CLUSTER_BUILD=0 LATCHKEY_CLUSTER_INSTANCES=2
sqlite_pid=
cleanup() {
  [ -n "$sqlite_pid" ] && kill "$sqlite_pid" 2>/dev/null
  [ -d "$LATCHKEY_CLUSTER_DIR" ] && bash deploy/cluster.sh down >/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# Production costs (Argon2id defaults, --sync full / PostgreSQL's fsync);
# every load comes from one address, so the per-address caps are lifted and
# the limits set too high to refuse (they are still checked: in Redis for PostgreSQL).
huge=1000000/60
serve_args="--access-log off --hash-queue 1000 --max-connections-per-ip 1000 --rate-signup $huge --rate-signup-email $huge
  --rate-login-ip $huge --rate-login-account $huge --rate-failed-logins $huge --rate-refresh $huge --rate-refresh-account $huge"
email=bench@example.com
password="correct horse battery staple"

ticks() {  # user + system CPU ticks of the given pids
  local total=0 pid
  for pid in "$@"; do
    [ -r "/proc/$pid/stat" ] && total=$((total + $(awk '{print $14 + $15}' "/proc/$pid/stat")))
  done
  echo "$total"
}
us_per() { echo $(($1 * 1000000 / $(getconf CLK_TCK) / ($2 > 0 ? $2 : 1))); }

pg_children() { [ -n "${pg_pid:-}" ] && pgrep -P "$pg_pid" | tr '\n' ' '; }
# "write-commits statements" so far: the next transaction id (only a transaction
# that writes takes one, and each such commit is a WAL flush) and the
# statements run on the latchkey database, BEGIN and COMMIT included (each one
# round trip: a prepared statement is one PQexecPrepared). Both are read from
# shared memory at once; pg_stat_database lags up to 10 s behind idle backends.
pg_stats() {
  [ -n "${pg_pid:-}" ] || { echo "0 0"; return; }
  as_postgres psql -h "$LATCHKEY_CLUSTER_DIR/postgres" -p "$pg_port" -U latchkey -d latchkey -Atc \
    "SELECT pg_snapshot_xmax(pg_current_snapshot()),
            (SELECT COALESCE(SUM(calls), 0) FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid
             WHERE d.datname = 'latchkey' AND s.query NOT LIKE '%pg_stat%')" | tr '|' ' '
}
redis_calls() {
  [ -n "${redis_port:-}" ] || { echo 0; return; }
  redis-cli -p "$redis_port" info commandstats | awk -F'[=,:]' '/^cmdstat_(evalsha|eval)/ {n += $3} END {print n + 0}'
}
as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "/usr/lib/postgresql/15/bin/$1" "${@:2}"; else "/usr/lib/postgresql/15/bin/$1" "${@:2}"; fi; }

# measure LABEL BASE LOAD: one load (me|login|refresh) for $seconds; one line of figures.
measure() {
  local label=$1 base=$2 load=$3 requests non2xx cpu0 pg0 lb0 stats0 redis0 out
  cpu0=$(ticks $server_pids) pg0=$(ticks $(pg_children)) lb0=$(ticks $lb_pids) stats0=$(pg_stats) redis0=$(redis_calls)
  case "$load" in
    me)
      out=$(wrk -t2 -c64 -d"${seconds}s" -H "Authorization: Bearer $token" "$base/auth/me")
      requests=$(grep -o '[0-9]* requests in' <<<"$out" | cut -d' ' -f1)
      non2xx=$(grep -o 'Non-2xx or 3xx responses: [0-9]*' <<<"$out" | grep -o '[0-9]*$' || echo 0) ;;
    login)
      out=$(BENCH_EMAIL=$email BENCH_PASSWORD=$password wrk -t1 -c8 -d"${seconds}s" -s bench/cluster/login.lua "$base/auth/login")
      requests=$(grep -o '[0-9]* requests in' <<<"$out" | cut -d' ' -f1)
      non2xx=$(grep -o 'Non-2xx or 3xx responses: [0-9]*' <<<"$out" | grep -o '[0-9]*$' || echo 0) ;;
    refresh)
      out=$(node bench/cluster/refresh.mjs "$base" "$email" "$password" 16 "$seconds")
      requests=$(node -e 'console.log(JSON.parse(process.argv[1]).requests)' "$out")
      non2xx=$(node -e 'console.log(JSON.parse(process.argv[1]).failed)' "$out") ;;
  esac
  local ok=$((requests - non2xx)) stats1 commits statements
  stats1=$(pg_stats)
  read -r c0 s0 <<<"$stats0"
  read -r c1 s1 <<<"$stats1"
  commits=$(awk -v a="$c0" -v b="$c1" -v n="$ok" 'BEGIN {printf "%.2f", (b - a) / (n > 0 ? n : 1)}')
  statements=$(awk -v a="$s0" -v b="$s1" -v n="$ok" 'BEGIN {printf "%.2f", (b - a) / (n > 0 ? n : 1)}')
  printf '%-22s %-8s %8s req/s  non-2xx %-5s server %5s us  postgres %5s us  nginx %4s us  pg write commits %5s  pg round trips %5s  redis %4s /req\n' \
    "$label" "$load" "$(awk -v n="$ok" -v s="$seconds" 'BEGIN {printf "%.0f", n / s}')" "$non2xx" \
    "$(us_per $(($(ticks $server_pids) - cpu0)) "$ok")" "$(us_per $(($(ticks $(pg_children)) - pg0)) "$ok")" \
    "$(us_per $(($(ticks $lb_pids) - lb0)) "$ok")" "$commits" "$statements" \
    "$(awk -v a="$redis0" -v b="$(redis_calls)" -v n="$ok" 'BEGIN {printf "%.2f", (b - a) / (n > 0 ? n : 1)}')"
}

# prepare BASE: the bench account and an access token.
prepare() {
  curl -sf -o /dev/null -X POST "$1/auth/signup" -H 'Content-Type: application/json' \
    -d "{\"email\":\"$email\",\"password\":\"$password\"}" || true
  token=$(curl -sf -X POST "$1/auth/login" -H 'Content-Type: application/json' \
    -d "{\"email\":\"$email\",\"password\":\"$password\"}" | node -e 'process.stdin.on("data", (d) => console.log(JSON.parse(d).access_token))')
}

echo "# $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, ${seconds} s per case; CPU per successful request"
echo "# me: wrk -t2 -c64 (one token); login: wrk -t1 -c8; refresh: 16 chains in node"

# 1. One instance on SQLite.
port=$(free_port)
# shellcheck disable=SC2086
"$binary" serve --port "$port" --database "$work/bench.db" --web-root '' $serve_args >"$work/sqlite.log" 2>&1 &
sqlite_pid=$!
for _ in $(seq 50); do curl -sf -o /dev/null "http://127.0.0.1:$port/healthz" && break; sleep 0.1; done
server_pids=$sqlite_pid lb_pids='' pg_pid=''
prepare "http://127.0.0.1:$port"
for load in me login refresh; do measure "1 instance, SQLite" "http://127.0.0.1:$port" "$load"; done
kill "$sqlite_pid"; wait "$sqlite_pid" || true; sqlite_pid=

# 2. and 3. PostgreSQL and Redis, two instances, nginx (deploy/cluster.sh).
first=$(python3 -c 'import socket, random
while True:
    p = random.randint(20000, 50000); ok = True
    for q in range(p, p + 5):
        s = socket.socket()
        try: s.bind(("127.0.0.1", q))
        except OSError: ok = False
        s.close()
    if ok: print(p); break')
export LATCHKEY_CLUSTER_PORT=$first LATCHKEY_CLUSTER_INSTANCE_PORT=$((first + 1)) \
  LATCHKEY_CLUSTER_PG_PORT=$((first + 3)) LATCHKEY_CLUSTER_REDIS_PORT=$((first + 4)) \
  LATCHKEY_CLUSTER_SERVE_ARGS="$serve_args" LATCHKEY_CLUSTER_PG_OPTIONS="-c shared_preload_libraries=pg_stat_statements"
bash deploy/cluster.sh up >/dev/null
pg_port=$((first + 3)) redis_port=$((first + 4))
pg_pid=$(head -n 1 "$LATCHKEY_CLUSTER_DIR/postgres/data/postmaster.pid")
as_postgres psql -h "$LATCHKEY_CLUSTER_DIR/postgres" -p "$pg_port" -U latchkey -d latchkey -qc 'CREATE EXTENSION IF NOT EXISTS pg_stat_statements'
instance_pids="$(cat "$LATCHKEY_CLUSTER_DIR/run/instance-1.pid") $(cat "$LATCHKEY_CLUSTER_DIR/run/instance-2.pid")"
nginx_pids="$(cat "$LATCHKEY_CLUSTER_DIR/nginx/nginx.pid") $(pgrep -P "$(cat "$LATCHKEY_CLUSTER_DIR/nginx/nginx.pid")" | tr '\n' ' ')"
prepare "http://127.0.0.1:$((first + 1))"
server_pids=$instance_pids lb_pids=''
for load in me login refresh; do measure "1 instance, PostgreSQL" "http://127.0.0.1:$((first + 1))" "$load"; done
server_pids=$instance_pids lb_pids=$nginx_pids
for load in me login refresh; do measure "2 instances + nginx" "http://127.0.0.1:$first" "$load"; done
