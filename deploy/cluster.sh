#!/usr/bin/env bash
# A Latchkey deployment to try on one machine, no containers: one PostgreSQL
# 15, one Redis 7, three `latchkey serve` instances sharing them, and nginx
# in front (deploy/nginx/latchkey.conf, its one upstream server replaced by
# the instances), serving the demo page and the API on one address.
#   bash deploy/cluster.sh up       start what is not running (twice is harmless);
#                                   prints the URL
#   bash deploy/cluster.sh down     stop everything by its recorded pid (data kept)
#   bash deploy/cluster.sh status   one line per process; exit 3 if one is not running
# Everything lives in $LATCHKEY_CLUSTER_DIR (default build/cluster): data,
# logs (logs/), pids, and the PostgreSQL password (secret/, mode 600). Remove
# that folder (after `down`) to start from nothing. Ports, recorded at the
# first `up` (later runs use the recorded ones):
#   LATCHKEY_CLUSTER_PORT           nginx, the address to open (8080)
#   LATCHKEY_CLUSTER_INSTANCE_PORT  first instance; the others follow (8081..)
#   LATCHKEY_CLUSTER_PG_PORT        PostgreSQL (5433, beside a system one on 5432)
#   LATCHKEY_CLUSTER_REDIS_PORT     Redis (6380)
# Also: LATCHKEY_CLUSTER_INSTANCES (3), LATCHKEY_CLUSTER_BINARY (default
# build/native/native/latchkey, built if missing), LATCHKEY_CLUSTER_SERVE_ARGS
# (more `latchkey serve` flags, e.g. --dev), LATCHKEY_CLUSTER_PG_OPTIONS (more
# postgres -c settings), LATCHKEY_CLUSTER_BUILD=0 (no package install, no
# build: the tests), LATCHKEY_CLUSTER_OWNER_PID (`down` when that process is
# gone: a test that crashed leaves nothing running).
# As root, PostgreSQL runs as Debian's `postgres` user (it refuses root), as
# in tests/support/postgres.sh.
set -euo pipefail

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cmd=${1:-}
case "$cmd" in
  up | down | status) ;;
  *) echo "usage: bash deploy/cluster.sh up|down|status" >&2; exit 2 ;;
esac

state=${LATCHKEY_CLUSTER_DIR:-$repo_root/build/cluster}
mkdir -p "$state"
state=$(cd "$state" && pwd)
pg_bin=${LATCHKEY_PG_BIN:-/usr/lib/postgresql/15/bin}
binary=${LATCHKEY_CLUSTER_BINARY:-$repo_root/build/native/native/latchkey}
nginx=$(command -v nginx || echo /usr/sbin/nginx)

# The ports of the first `up`, so that `down` and `status` find the same processes.
if [ -f "$state/ports" ]; then
  # shellcheck source=/dev/null
  . "$state/ports"
else
  lb_port=${LATCHKEY_CLUSTER_PORT:-8080}
  instance_port=${LATCHKEY_CLUSTER_INSTANCE_PORT:-8081}
  pg_port=${LATCHKEY_CLUSTER_PG_PORT:-5433}
  redis_port=${LATCHKEY_CLUSTER_REDIS_PORT:-6380}
  instances=${LATCHKEY_CLUSTER_INSTANCES:-3}
  if [ "$cmd" = up ]; then
    printf 'lb_port=%d\ninstance_port=%d\npg_port=%d\nredis_port=%d\ninstances=%d\n' \
      "$lb_port" "$instance_port" "$pg_port" "$redis_port" "$instances" >"$state/ports"
  fi
fi
url="http://127.0.0.1:$lb_port"

as_postgres() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
alive() {
  local pid
  pid=$(head -n 1 "$1" 2>/dev/null) && [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null
}
pg_pidfile="$state/postgres/data/postmaster.pid"
redis_pidfile="$state/redis/redis.pid"
nginx_pidfile="$state/nginx/nginx.pid"
instance_pidfile() { echo "$state/run/instance-$1.pid"; }

# stop_pid PIDFILE SIGNAL: signals the recorded process, waits up to 15 s, then kills it.
stop_pid() {
  local pid
  alive "$1" || { rm -f "$1"; return 0; }
  pid=$(head -n 1 "$1" 2>/dev/null) || return 0
  kill "-$2" "$pid" 2>/dev/null || true
  for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid" 2>/dev/null || true; fi
  rm -f "$1"
}

status() {
  local bad=0 i
  line() {
    if alive "$2"; then
      printf '%-12s running  pid %-7s %s\n' "$1" "$(head -n 1 "$2")" "$3"
    else
      printf '%-12s stopped           %s\n' "$1" "$3"
      bad=1
    fi
  }
  line postgresql "$pg_pidfile" "127.0.0.1:$pg_port"
  line redis "$redis_pidfile" "127.0.0.1:$redis_port"
  for ((i = 1; i <= instances; i++)); do
    line "instance-$i" "$(instance_pidfile "$i")" "127.0.0.1:$((instance_port + i - 1))"
  done
  line nginx "$nginx_pidfile" "$url"
  return $((bad * 3))
}

down() {
  # The front first, the database last: nothing is asked of a stopped part.
  stop_pid "$nginx_pidfile" QUIT
  for ((i = 1; i <= instances; i++)); do stop_pid "$(instance_pidfile "$i")" TERM & done
  wait
  stop_pid "$redis_pidfile" TERM
  # SIGINT: PostgreSQL's fast shutdown (open transactions rolled back, data written out).
  stop_pid "$pg_pidfile" INT
}

prepare() {
  [ "${LATCHKEY_CLUSTER_BUILD:-1}" = 0 ] && return 0
  bash "$repo_root/.ci/setup.sh" cluster
  if [ ! -x "$binary" ]; then
    echo "cluster: building the server (build/native)" >&2
    (cd "$repo_root" && cmake -S . -B build/native -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null &&
      cmake --build build/native --target latchkey -j "$(nproc)" >/dev/null)
  fi
  if [ ! -f "$repo_root/wasm/dist/latchkey_core.wasm" ] || [ ! -f "$repo_root/wasm/dist/latchkey_tools.wasm" ]; then
    echo "cluster: building the wasm package the demo page imports (first run only, a few minutes)" >&2
    (cd "$repo_root" && export NODE_PATH=/usr/share/nodejs &&
      emcmake cmake -S . -B build/wasm -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null &&
      cmake --build build/wasm -j "$(nproc)" >/dev/null)
  fi
}

start_postgres() {
  local dir="$state/postgres"
  if [ ! -d "$dir/data" ]; then
    mkdir -p "$dir" "$state/secret"
    # The postgres user must reach its folder (a mktemp -d is root's alone).
    if [ "$(id -u)" = 0 ]; then chmod a+x "$state"; fi
    chmod 700 "$state/secret"
    od -An -N16 -tx1 /dev/urandom | tr -d ' \n' >"$state/secret/pg-password"
    chmod 600 "$state/secret/pg-password"
    cp "$state/secret/pg-password" "$dir/pwfile"
    if [ "$(id -u)" = 0 ]; then chown -R postgres: "$dir"; fi
    chmod 700 "$dir"
    as_postgres test -x "$dir" || { echo "cluster: the postgres user cannot reach $dir (chmod a+x its parent folders)" >&2; exit 1; }
    # TCP needs the password; the socket, inside this folder, is trusted.
    as_postgres "$pg_bin/initdb" -D "$dir/data" -U latchkey --pwfile="$dir/pwfile" --auth-local=trust \
      --auth-host=scram-sha-256 -E UTF8 --locale=C >"$state/logs/initdb.log" 2>&1 ||
      { rm -f "$dir/pwfile"; cat "$state/logs/initdb.log" >&2; exit 1; }
    rm -f "$dir/pwfile"
  fi
  if ! alive "$pg_pidfile"; then
    # shellcheck disable=SC2086  # LATCHKEY_CLUSTER_PG_OPTIONS: words on purpose
    as_postgres "$pg_bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start \
      -o "-p $pg_port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=200 ${LATCHKEY_CLUSTER_PG_OPTIONS:-}" \
      >/dev/null || { tail -n 20 "$dir/server.log" >&2; exit 1; }
  fi
  if [ "$(as_postgres "$pg_bin/psql" -h "$dir" -p "$pg_port" -U latchkey -d postgres -Atc \
    "SELECT 1 FROM pg_database WHERE datname = 'latchkey'")" != 1 ]; then
    as_postgres "$pg_bin/psql" -h "$dir" -p "$pg_port" -U latchkey -d postgres -qc 'CREATE DATABASE latchkey'
  fi
}

start_redis() {
  alive "$redis_pidfile" && return 0
  mkdir -p "$state/redis"
  rm -f "$redis_pidfile"
  # Counters only: nothing kept on disk (a restarted Redis starts every bucket full).
  redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes \
    --dir "$state/redis" --pidfile "$redis_pidfile" --logfile "$state/logs/redis.log" >/dev/null
  for _ in $(seq 1 50); do
    [ "$(redis-cli -h 127.0.0.1 -p "$redis_port" ping 2>/dev/null)" = PONG ] && [ -s "$redis_pidfile" ] && return 0
    sleep 0.1
  done
  echo "cluster: redis did not start:" >&2
  tail -n 20 "$state/logs/redis.log" >&2
  exit 1
}

start_instance() {
  local i=$1 port=$((instance_port + $1 - 1)) pidfile
  pidfile=$(instance_pidfile "$i")
  alive "$pidfile" && return 0
  # The URL with the password goes in the environment, not the process list.
  # shellcheck disable=SC2086  # LATCHKEY_CLUSTER_SERVE_ARGS: words on purpose
  LATCHKEY_DATABASE="postgresql://latchkey:$(cat "$state/secret/pg-password")@127.0.0.1:$pg_port/latchkey" \
    setsid "$binary" serve --host 127.0.0.1 --port "$port" \
    --redis-url "redis://127.0.0.1:$redis_port" --issuer "$url" --public-url "$url" \
    --trusted-proxy 127.0.0.1 --web-root "$repo_root/web-demo" --package-root "$repo_root/wasm" \
    --outbox-dir "$state/outbox" ${LATCHKEY_CLUSTER_SERVE_ARGS:-} \
    </dev/null >>"$state/logs/instance-$i.log" 2>&1 &
  echo $! >"$pidfile"
}

wait_instance() {
  local i=$1 port=$((instance_port + $1 - 1)) pidfile
  pidfile=$(instance_pidfile "$i")
  for _ in $(seq 1 200); do
    curl -sf -o /dev/null "http://127.0.0.1:$port/healthz" && return 0
    alive "$pidfile" || break
    sleep 0.1
  done
  echo "cluster: instance $i (port $port) did not start; its log, $state/logs/instance-$i.log:" >&2
  tail -n 20 "$state/logs/instance-$i.log" >&2
  exit 1
}

start_nginx() {
  local dir="$state/nginx" servers="" i
  alive "$nginx_pidfile" && return 0
  mkdir -p "$dir"
  for ((i = 0; i < instances; i++)); do servers+="    server 127.0.0.1:$((instance_port + i));\n"; done
  # The site file as documented for one instance, with the cluster's upstream
  # servers and port: one set of limits for both.
  sed -e "s|^    server 127\.0\.0\.1:8080;|$servers|" -e "s|listen 80;|listen 127.0.0.1:$lb_port;|" \
    "$repo_root/deploy/nginx/latchkey.conf" >"$dir/latchkey.conf"
  grep -q "server 127.0.0.1:$instance_port;" "$dir/latchkey.conf" || { echo "cluster: deploy/nginx/latchkey.conf changed shape" >&2; exit 1; }
  cat >"$dir/nginx.conf" <<EOF
worker_processes auto;
pid $nginx_pidfile;
error_log $state/logs/nginx-error.log warn;
events { worker_connections 1024; }
http {
  access_log $state/logs/nginx-access.log;
  client_body_temp_path $dir/body;
  proxy_temp_path $dir/proxy;
  fastcgi_temp_path $dir/fastcgi;
  uwsgi_temp_path $dir/uwsgi;
  scgi_temp_path $dir/scgi;
  include $dir/latchkey.conf;
}
EOF
  "$nginx" -q -t -p "$dir" -c "$dir/nginx.conf" -e "$state/logs/nginx-error.log"
  "$nginx" -p "$dir" -c "$dir/nginx.conf" -e "$state/logs/nginx-error.log"
  for _ in $(seq 1 50); do alive "$nginx_pidfile" && return 0; sleep 0.1; done
  echo "cluster: nginx did not start" >&2
  tail -n 20 "$state/logs/nginx-error.log" >&2
  exit 1
}

watch_owner() {
  local owner=${LATCHKEY_CLUSTER_OWNER_PID:-}
  [ -n "$owner" ] || return 0
  [ -s "$state/run/watcher.pid" ] && kill -0 "$(cat "$state/run/watcher.pid")" 2>/dev/null && return 0
  # Detached from the caller's pipes, so that the caller's read ends.
  nohup bash -c "while kill -0 $owner 2>/dev/null && [ -f '$state/run/up' ]; do sleep 1; done
    kill -0 $owner 2>/dev/null || LATCHKEY_CLUSTER_DIR='$state' bash '$repo_root/deploy/cluster.sh' down" \
    >/dev/null 2>&1 </dev/null &
  echo $! >"$state/run/watcher.pid"
}

case "$cmd" in
  status) status ;;
  down) rm -f "$state/run/up"; down; echo "cluster: stopped (data kept in $state)" ;;
  up)
    prepare
    [ -x "$binary" ] || { echo "cluster: no server binary at $binary" >&2; exit 1; }
    mkdir -p "$state/logs" "$state/run" "$state/outbox"
    start_postgres
    start_redis
    # Together: they migrate once (advisory lock) and create one signing key.
    for ((i = 1; i <= instances; i++)); do start_instance "$i"; done
    for ((i = 1; i <= instances; i++)); do wait_instance "$i"; done
    start_nginx
    touch "$state/run/up"
    watch_owner
    status
    echo "Latchkey cluster: open $url/ (bash deploy/cluster.sh down stops it)"
    ;;
esac
