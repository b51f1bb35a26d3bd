#!/usr/bin/env bash
# Runs a command against a fresh Hardhat node (EDR): installs tools/hardhat's pinned npm packages
# when missing, starts the node on 127.0.0.1:$CARBONCHAIN_HARDHAT_PORT (default 8555), waits for it,
# runs "$@", and stops the node it started (by its pid) whatever happens.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
say() { printf '[hardhat] %s\n' "$*"; }
PORT="${CARBONCHAIN_HARDHAT_PORT:-8555}"
export CARBONCHAIN_HARDHAT_PORT="$PORT"

HASH="$(cat "$HERE/package.json" "$HERE/package-lock.json" | sha256sum | cut -d' ' -f1)"
if [ "$(cat "$HERE/node_modules/.carbonchain-stamp" 2>/dev/null)" != "$HASH" ]; then
  say "installing Hardhat (tools/hardhat/package-lock.json)"
  (cd "$HERE" && npm ci --no-audit --no-fund --loglevel=error)
  echo "$HASH" > "$HERE/node_modules/.carbonchain-stamp"
fi

rpc() {
  curl -s -m 2 -X POST -H 'content-type: application/json' \
    --data '{"jsonrpc":"2.0","id":1,"method":"eth_chainId","params":[]}' "http://127.0.0.1:$PORT" 2>/dev/null
}
if [ -n "$(rpc)" ]; then
  say "error: something already answers on 127.0.0.1:$PORT; set CARBONCHAIN_HARDHAT_PORT to a free port" >&2
  exit 1
fi
LOG="$(mktemp)"
(cd "$HERE" && HARDHAT_DISABLE_TELEMETRY_PROMPT=true exec node_modules/.bin/hardhat node --hostname 127.0.0.1 --port "$PORT") >"$LOG" 2>&1 &
NODE_PID=$!
# `|| true`: under set -e a failing command in the trap (wait reports the node's SIGTERM as 143)
# would become the script's exit status, and a green run would end red.
stop_node() {
  kill "$NODE_PID" 2>/dev/null || true
  wait "$NODE_PID" 2>/dev/null || true
  rm -f "$LOG"
}
trap stop_node EXIT
for _ in $(seq 1 60); do
  [ -n "$(rpc)" ] && break
  kill -0 "$NODE_PID" 2>/dev/null || { cat "$LOG" >&2; say "error: the node did not start" >&2; exit 1; }
  sleep 0.5
done
[ -n "$(rpc)" ] || { cat "$LOG" >&2; say "error: no answer on port $PORT after 30 s" >&2; exit 1; }
say "Hardhat $(cd "$HERE" && node -p 'require("hardhat/package.json").version') node on 127.0.0.1:$PORT (pid $NODE_PID)"
"$@"
