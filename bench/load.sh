#!/usr/bin/env bash
# Load benchmark: Loupe's authenticated `{ viewer { organization { name } } }` against a
# bare actix-web + async-graphql hello-world, same machine, same run, same settings.
#
#   bench/load.sh [seconds_per_round=10] [connections=32] [rounds=5]
#
# The two servers are measured alternately, round after round, and the medians are
# reported: on a shared VM throughput drifts by tens of percent between minutes, and
# alternating keeps both servers under the same drift.
#
# Each server gets one worker pinned to CPU 0; wrk runs pinned to CPU 1 (when there are
# two CPUs), so the servers are compared on equal hardware. Loupe runs on SQLite in a
# temp dir with authentication and rate limiting on; the rate limit is raised so that
# the limiter is exercised on every request without refusing any.
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-10}
conns=${2:-32}
rounds=${3:-5}
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 1; }

# LOUPE_BIN measures another build of loupe (an A/B against an older commit);
# BENCH_SKIP_BUILD=1 uses the binaries as they are.
loupe_bin=${LOUPE_BIN:-target/release/loupe}
[ "${BENCH_SKIP_BUILD:-}" = 1 ] || cargo build --release -q -p api --bin loupe -p loupe-bench --bin bare-graphql
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
  "${server_cpu[@]}" "$loupe_bin" serve > "$work/loupe.log" &
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
: > "$work/results"
for round in $(seq "$rounds"); do
  run_wrk "http://127.0.0.1:$bare_port/graphql" "" bare >> "$work/results"
  run_wrk "http://127.0.0.1:$loupe_port/graphql" "$token" loupe >> "$work/results"
done

echo "$rounds alternating rounds of ${duration}s, ${conns} connections, 1 server worker, $(nproc) CPUs, $(date -u +%Y-%m-%d)"
python3 - "$work/results" <<'PY'
import statistics, sys
def ms(v):
    return float(v[:-2]) if v.endswith("ms") else float(v[:-2]) / 1000 if v.endswith("us") else float(v[:-1]) * 1000
rows = [l.split() for l in open(sys.argv[1])]
by = {n: [r for r in rows if r[0] == n] for n in ("bare", "loupe")}
print(f"{'server':8} {'requests/s':>12} {'p50 ms':>8} {'p99 ms':>8} {'non-2xx':>8}   per round (requests/s)")
med = {}
for n, rs in by.items():
    rps = [float(r[1]) for r in rs]
    med[n] = statistics.median(rps)
    p50 = statistics.median(ms(r[2]) for r in rs)
    p99 = statistics.median(ms(r[3]) for r in rs)
    errs = sum(int(r[4]) for r in rs)
    print(f"{n:8} {med[n]:12.0f} {p50:8.2f} {p99:8.2f} {errs:8d}   " + " ".join(f"{x:.0f}" for x in rps))
ratios = [float(l[1]) / float(b[1]) for b, l in zip(by["bare"], by["loupe"])]
print(f"ratio loupe/bare: median of medians {med['loupe'] / med['bare']:.2f}; per round " + " ".join(f"{r:.2f}" for r in ratios) + " (target >= 0.80)")
PY
