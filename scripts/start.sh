#!/usr/bin/env bash
# Starts the simulator for development: installs whatever is missing
# (scripts/setup.sh), then builds and serves the app with trunk on
# http://127.0.0.1:8080, rebuilding when files change (reload the tab by hand:
# the page's CSP blocks trunk's live-reload script). Ctrl-C stops it.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/setup.sh
source scripts/env.sh

ADDRESS=127.0.0.1
PORT=8080
URL="http://$ADDRESS:$PORT/"

port_open() { (: <"/dev/tcp/$ADDRESS/$PORT") 2>/dev/null; }

if port_open; then
  echo "start: FAILED: port $PORT is already in use; stop whatever serves $URL and rerun" >&2
  exit 1
fi

echo "start: building the app (the first build takes a few minutes), then serving it at $URL"
trunk serve --offline --address "$ADDRESS" --port "$PORT" </dev/null &
trunk_pid=$!
trap 'kill "$trunk_pid" 2>/dev/null; wait "$trunk_pid" 2>/dev/null; exit 0' INT TERM

while kill -0 "$trunk_pid" 2>/dev/null; do
  if port_open; then
    echo
    echo "  RocketMQ 模拟器 · RocketMQ Simulator is running at $URL"
    echo
    break
  fi
  sleep 1
done
wait "$trunk_pid"
