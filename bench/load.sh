#!/usr/bin/env bash
# Load benchmark: Loupe's authenticated `{ viewer { organization { name } } }` against a
# bare actix-web + async-graphql hello-world, same machine, same run, same settings.
#
#   bench/load.sh [duration_seconds=20] [connections=32]
#
# Each server gets one worker pinned to CPU 0; wrk runs pinned to CPU 1 (when there are
# two CPUs), so the servers are compared on equal hardware. Loupe runs on SQLite in a
# temp dir with authentication and rate limiting on; the rate limit is raised so that
# the limiter is exercised on every request without refusing any.
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-20}
conns=${2:-32}
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 1; }

cargo build --release -q -p api --bin loupe -p loupe-bench --bin bare-graphql
work=$(mktemp -d)
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true; rm -rf "$work"' EXIT

server_cpu=(); client_cpu=()
if [ "$(nproc)" -ge 2 ] && command -v taskset >/dev/null; then server_cpu=(taskset -c 0); client_cpu=(taskset -c 1); fi
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

query='{"query":"{ viewer { organization { name } } }"}'
cat > "$work/post.lua" <<LUA
wrk.method = "POST"
wrk.body = '$query'
wrk.headers["Content-Type"] = "application/json"
local token = os.getenv("TOKEN")
if token ~= nil and token ~= "" then wrk.headers["Authorization"] = "Bearer " .. token end
LUA

run_wrk() { # url token label
  TOKEN="$2" "${client_cpu[@]}" wrk -t1 -c"$conns" -d"${duration}s" --latency -s "$work/post.lua" "$1" > "$work/$3.txt"
  local rps p50 p99 non2xx
  rps=$(awk '/^Requests\/sec/ {print $2}' "$work/$3.txt")
  p50=$(awk '$1=="50%" {print $2}' "$work/$3.txt")
  p99=$(awk '$1=="99%" {print $2}' "$work/$3.txt")
  non2xx=$(awk '/Non-2xx/ {print $5}' "$work/$3.txt"); non2xx=${non2xx:-0}
  echo "$3 $rps $p50 $p99 $non2xx"
}

# Bare server.
bare_port=$(free_port)
"${server_cpu[@]}" target/release/bare-graphql "127.0.0.1:$bare_port" 1 > "$work/bare.log" &
pids+=($!)

# Loupe, first start on an empty SQLite database.
loupe_port=$(free_port)
LOUPE_DATA_DIR="$work/data" LOUPE_BIND="127.0.0.1:$loupe_port" LOUPE_WORKERS=1 \
  LOUPE_RATE_LIMIT=1000000000 RUST_LOG=warn \
  "${server_cpu[@]}" target/release/loupe serve > "$work/loupe.log" &
pids+=($!)
for _ in $(seq 100); do grep -q "listening" "$work/loupe.log" 2>/dev/null && grep -q listening "$work/bare.log" 2>/dev/null && break; sleep 0.1; done
client_id=$(awk '/client id:/ {print $3}' "$work/loupe.log")
client_secret=$(awk '/client secret:/ {print $3}' "$work/loupe.log")
token=$(curl -s -u "$client_id:$client_secret" -d grant_type=client_credentials "http://127.0.0.1:$loupe_port/oauth/token" \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
# Check the answers before measuring them.
curl -sf -H "Authorization: Bearer $token" -H 'Content-Type: application/json' -d "$query" "http://127.0.0.1:$loupe_port/graphql" | grep -q '"Default"'
curl -sf -H 'Content-Type: application/json' -d "$query" "http://127.0.0.1:$bare_port/graphql" | grep -q '"Default"'

# Warm up both, then measure alternately.
TOKEN= "${client_cpu[@]}" wrk -t1 -c"$conns" -d3s -s "$work/post.lua" "http://127.0.0.1:$bare_port/graphql" >/dev/null
TOKEN="$token" "${client_cpu[@]}" wrk -t1 -c"$conns" -d3s -s "$work/post.lua" "http://127.0.0.1:$loupe_port/graphql" >/dev/null
read -r _ bare_rps bare_p50 bare_p99 bare_err < <(run_wrk "http://127.0.0.1:$bare_port/graphql" "" bare)
read -r _ loupe_rps loupe_p50 loupe_p99 loupe_err < <(run_wrk "http://127.0.0.1:$loupe_port/graphql" "$token" loupe)
ratio=$(python3 -c "print(f'{$loupe_rps/$bare_rps:.2f}')")

echo "duration ${duration}s, ${conns} connections, 1 server worker, $(nproc) CPUs, $(date -u +%Y-%m-%d)"
printf '%-8s %12s %10s %10s %8s\n' server "requests/s" p50 p99 non-2xx
printf '%-8s %12s %10s %10s %8s\n' bare "$bare_rps" "$bare_p50" "$bare_p99" "$bare_err"
printf '%-8s %12s %10s %10s %8s\n' loupe "$loupe_rps" "$loupe_p50" "$loupe_p99" "$loupe_err"
echo "ratio loupe/bare: $ratio (target >= 0.80)"
