#!/usr/bin/env bash
# A throwaway PostgreSQL 15 for tests, on 127.0.0.1 and a free port, in a
# folder of its own (data, log and the unix socket all inside it).
#   bash tests/support/postgres.sh start DIR [OWNER_PID]   (DIR's parent must be
#       open to the postgres user when run as root: e.g. a mktemp -d under /tmp)
#       initdb + pg_ctl start into DIR (created if needed); prints
#       "PORT PID PASSWORD" on stdout. Superuser `latchkey`; TCP needs the
#       password (scram-sha-256), the socket in DIR is trusted. With
#       OWNER_PID, a watcher stops the server when that process is gone (a
#       test that crashed does not leave a server behind).
#   bash tests/support/postgres.sh stop DIR
#       stops the server by the pid in its postmaster.pid and removes DIR.
#   bash tests/support/postgres.sh pause DIR / resume DIR
#       stops the server keeping its data, and starts it again on its port
#       (an outage, for tests of what clients see meanwhile).
# PostgreSQL refuses to run as root (CI runs as root): then everything runs
# as Debian's `postgres` user, in a folder that user owns.
set -euo pipefail

bin=${LATCHKEY_PG_BIN:-/usr/lib/postgresql/15/bin}
cmd=${1:-}
dir=${2:-}
[ -n "$cmd" ] && [ -n "$dir" ] || { echo "usage: $0 start|stop DIR [OWNER_PID]" >&2; exit 2; }

as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

run_server() {
  # Durability is not under test here: no fsync, for speed.
  as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 start \
    -o "-p $1 -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off \
        -c full_page_writes=off -c max_connections=300" >/dev/null 2>&1
}

halt() {
  local pidfile="$dir/data/postmaster.pid" pid
  if [ -f "$pidfile" ]; then
    pid=$(head -n 1 "$pidfile")
    # SIGINT: PostgreSQL's fast shutdown (rolls back open transactions).
    if kill -INT "$pid" 2>/dev/null; then
      for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
}

case "$cmd" in
  start)
    mkdir -p "$dir"
    password=$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')
    printf '%s\n' "$password" > "$dir/pwfile"
    if [ "$(id -u)" = 0 ]; then chown -R postgres: "$dir"; fi
    chmod 700 "$dir"
    as_owner "$bin/initdb" -D "$dir/data" -U latchkey --pwfile="$dir/pwfile" --auth-local=trust \
      --auth-host=scram-sha-256 -E UTF8 --locale=C --no-sync >"$dir/initdb.log" 2>&1 ||
      { cat "$dir/initdb.log" >&2; exit 1; }
    rm -f "$dir/pwfile"
    # A free port can be taken between the probe and the start: try a few.
    for attempt in 1 2 3 4 5; do
      port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
      if run_server "$port"; then echo "$port" > "$dir/port"; break; fi
      [ "$attempt" = 5 ] && { cat "$dir/server.log" >&2; exit 1; }
    done
    pid=$(head -n 1 "$dir/data/postmaster.pid")
    if [ -n "${3:-}" ]; then
      owner=$3
      # Detached from the caller's pipes, so that the caller's read ends.
      nohup bash -c "while kill -0 $owner 2>/dev/null && [ -d '$dir' ]; do sleep 1; done
        bash '$0' stop '$dir'" >/dev/null 2>&1 </dev/null &
    fi
    echo "$port $pid $password"
    ;;
  stop) halt; rm -rf "$dir" ;;
  pause) halt ;;
  resume) run_server "$(cat "$dir/port")" || { cat "$dir/server.log" >&2; exit 1; } ;;
  *) echo "usage: $0 start|stop|pause|resume DIR [OWNER_PID]" >&2; exit 2 ;;
esac
