#!/usr/bin/env bash
# A throwaway Redis 7 for tests, on 127.0.0.1 and a free port, in a folder of
# its own (pid file and log inside it), keeping nothing on disk.
#   bash tests/support/redis.sh start DIR [OWNER_PID]
#       starts redis-server (created DIR if needed); prints "PORT PID". With
#       OWNER_PID, a watcher stops the server when that process is gone (a
#       test that crashed does not leave a server behind).
#   bash tests/support/redis.sh stop DIR
#       stops the server by the pid in DIR/redis.pid and removes DIR.
#   bash tests/support/redis.sh pause DIR / resume DIR
#       stops the server (an outage) and starts an empty one on the same port.
set -euo pipefail

cmd=${1:-}
dir=${2:-}
[ -n "$cmd" ] && [ -n "$dir" ] || { echo "usage: $0 start|stop|pause|resume DIR [OWNER_PID]" >&2; exit 2; }

run_server() {
  rm -f "$dir/redis.pid"
  redis-server --port "$1" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes \
    --dir "$dir" --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" >/dev/null || return 1
  # Up when it answers; a port taken meanwhile makes it exit instead.
  for _ in $(seq 1 50); do
    if [ "$(redis-cli -h 127.0.0.1 -p "$1" ping 2>/dev/null)" = PONG ] && [ -s "$dir/redis.pid" ]; then return 0; fi
    sleep 0.1
  done
  return 1
}

halt() {
  local pid
  [ -s "$dir/redis.pid" ] || return 0
  pid=$(cat "$dir/redis.pid")
  if kill -TERM "$pid" 2>/dev/null; then
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$dir/redis.pid"
}

case "$cmd" in
  start)
    mkdir -p "$dir"
    for attempt in 1 2 3 4 5; do
      port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
      if run_server "$port"; then echo "$port" > "$dir/port"; break; fi
      halt
      [ "$attempt" = 5 ] && { cat "$dir/redis.log" >&2 || true; exit 1; }
    done
    if [ -n "${3:-}" ]; then
      owner=$3
      nohup bash -c "while kill -0 $owner 2>/dev/null && [ -d '$dir' ]; do sleep 1; done
        bash '$0' stop '$dir'" >/dev/null 2>&1 </dev/null &
    fi
    echo "$port $(cat "$dir/redis.pid")"
    ;;
  stop) halt; rm -rf "$dir" ;;
  pause) halt ;;
  resume) run_server "$(cat "$dir/port")" || { cat "$dir/redis.log" >&2; exit 1; } ;;
  *) echo "usage: $0 start|stop|pause|resume DIR [OWNER_PID]" >&2; exit 2 ;;
esac
