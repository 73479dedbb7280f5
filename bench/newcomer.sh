#!/usr/bin/env bash
# A newcomer's path, timed: fresh clone → npm install → npm start (sandbox, demo loaded at start-up) → an approved
# and issued requisition in the browser (bench/newcomer-flow.ts). Runs it twice: cold (empty npm cache and
# XDG_CACHE_HOME, so the Temporal CLI is installed again) and warm (a second fresh clone reusing those caches).
#
#   bench/newcomer.sh [repository]     (default: this checkout's committed HEAD)
#
# Free ports are used instead of 3000/5433/7233/8233 so it can run beside another Stockroom. Everything lives in
# one folder under /tmp, removed at the end unless KEEP=1.
set -euo pipefail
repo="${1:-$(cd "$(dirname "$0")/.." && pwd)}"
root="$(mktemp -d /tmp/stockroom-newcomer-XXXXXX)"
chmod 755 "$root" # the embedded Postgres runs as its own system user when started by root and must reach its folder
export XDG_CACHE_HOME="$root/xdg-cache" npm_config_cache="$root/npm-cache"
mkdir -p "$XDG_CACHE_HOME" "$npm_config_cache"

free_port() { node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"; }
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

server_pid=""
stop_server() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill -INT -- "-$server_pid" 2>/dev/null || true # Ctrl-C to the process group npm start leads
    for _ in $(seq 1 40); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.5; done
    kill -KILL -- "-$server_pid" 2>/dev/null || true
  fi
  server_pid=""
}
cleanup() {
  stop_server
  if [ "${KEEP:-0}" != 1 ]; then rm -rf "$root"; else echo "kept $root"; fi
}
trap cleanup EXIT

run() {
  local label="$1" dir="$root/$1" t0 t1 t2 t3 t4 port
  t0=$(now)
  git clone --quiet "$repo" "$dir"
  t1=$(now)
  (cd "$dir" && npm install --no-audit --no-fund --loglevel=error >"$root/$label-install.log" 2>&1)
  t2=$(now)
  port=$(free_port)
  (
    cd "$dir"
    PORT=$port PG_PORT=$(free_port) TEMPORAL_PORT=$(free_port) TEMPORAL_UI_PORT=$(free_port) exec setsid npm start
  ) >"$root/$label-start.log" 2>&1 &
  server_pid=$!
  # Ready when /healthz answers and the summary line is out (the demo is loaded before the bot starts).
  until grep -q 'Stockroom is running' "$root/$label-start.log" 2>/dev/null; do
    if ! kill -0 "$server_pid" 2>/dev/null; then
      echo "$label: npm start exited; its log:" >&2
      tail -30 "$root/$label-start.log" >&2
      exit 1
    fi
    sleep 0.2
  done
  t3=$(now)
  local flow
  flow=$(cd "$dir" && node --import tsx bench/newcomer-flow.ts "http://127.0.0.1:$port" "$root/$label-shots")
  t4=$(now)
  stop_server
  echo "$label: clone $(secs "$t0" "$t1") s, npm install $(secs "$t1" "$t2") s, npm start to ready $(secs "$t2" "$t3") s," \
    "browser flow $(secs "$t3" "$t4") s, total $(secs "$t0" "$t4") s; flow steps: $flow"
  grep -o '"msg":"Sandbox[^"]*"' "$root/$label-start.log" | sed "s/^/$label: /" || true
}

echo "node $(node --version), npm $(npm --version), $(nproc) cores; clone of $repo at $(git -C "$repo" rev-parse --short HEAD)"
run cold
run warm
