#!/usr/bin/env bash
# `make run`: the web server, a task worker and the scheduler in one terminal. Ctrl-C (or any
# of the three ending) stops all three.
set -uo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-.venv/bin}
ADDRESS=${ADDRESS:-127.0.0.1:8000}

# Job control puts each service in a process group of its own, so that stopping one stops
# what it started too (runserver's and db_worker's autoreloaders run the code in a child).
set -m
pids=()
stop() {
  trap - INT TERM
  echo "stopping the web server, the worker and the scheduler"
  for pid in "${pids[@]}"; do kill -TERM -- "-$pid" 2>/dev/null; done
  wait
  exit 0
}
trap stop INT TERM

"$BIN/banchengshi" db_worker & pids+=($!)
"$BIN/banchengshi" scheduler & pids+=($!)
"$BIN/banchengshi" runserver "$ADDRESS" & pids+=($!)
wait -n
echo "a service ended"
stop
