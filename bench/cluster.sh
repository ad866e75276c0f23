#!/usr/bin/env bash
# Scale-out benchmark: the authenticated viewer query through haproxy, one node vs two,
# each node capped to a fraction of a CPU by a cgroup CPU quota (so a 2-core machine can
# show scaling), on PostgreSQL with Redis (the shared rate limit on every request); then
# the Redis-backed rate limit against the bare hello-world server (bench/load.sh).
#
#   bench/cluster.sh [seconds_per_round=10] [rounds=5] [quota_percent=40]
#
# Needs root (cgroup v1 `cpu` controller at /sys/fs/cgroup/cpu), wrk, haproxy,
# redis-server and PostgreSQL from Debian.
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-10}
rounds=${2:-5}
quota=${3:-40}
conns=${CONNS:-32}
# The quota's accounting period (µs). With the kernel's default 100 ms a saturated node runs
# 20 ms then waits 80 ms, and serves what queued meanwhile in one burst; one node alone then
# needs far fewer wakeups per request than two (0.45 vs 1.3 context switches per request
# measured), which flatters the one-node baseline. 10 ms keeps the bursts small.
period=${PERIOD_US:-10000}   # wrk connections (CONNS=64: as many per node with two nodes as with one)
cg=/sys/fs/cgroup/cpu
[ -w "$cg" ] || { echo "needs a writable cgroup v1 cpu controller at $cg (root)" >&2; exit 1; }
for bin in wrk redis-server; do command -v "$bin" >/dev/null || { echo "needs $bin" >&2; exit 1; }; done
haproxy=$(command -v haproxy || echo /usr/sbin/haproxy)
[ "${BENCH_SKIP_BUILD:-}" = 1 ] || cargo build --release -q -p api --bin loupe -p loupe-bench --bin bare-graphql
loupe=${LOUPE_BIN:-target/release/loupe}
work=$(mktemp -d)
pids=()
cleanup() {
  kill "${pids[@]}" 2>/dev/null || true
  wait 2>/dev/null || true
  [ -n "${pg_stop:-}" ] && eval "$pg_stop"
  for i in 1 2; do rmdir "$cg/loupe-bench-$i" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
as_pg=(); if [ "$(id -u)" = 0 ]; then chown postgres: "$work"; as_pg=(runuser -u postgres --); fi
pg_port=$(free_port)
"${as_pg[@]}" "$pg_bin/initdb" -D "$work/pg" -U postgres -A trust >/dev/null
"${as_pg[@]}" "$pg_bin/pg_ctl" -D "$work/pg" -l "$work/pg.log" -w -o "-p $pg_port -k $work -c listen_addresses=127.0.0.1" start >/dev/null
pg_stop="${as_pg[*]} $pg_bin/pg_ctl -D $work/pg -m fast stop >/dev/null"
redis_port=$(free_port)
redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no >"$work/redis.log" 2>&1 &
pids+=($!)

export DATABASE_URL="postgres://postgres@127.0.0.1:$pg_port/postgres"
export LOUPE_REDIS_URL="redis://127.0.0.1:$redis_port/0"
export LOUPE_JWT_SECRET=bench-cluster-secret-0123456789abcdef
export LOUPE_RATE_LIMIT=1000000000 LOUPE_WORKERS=1 RUST_LOG=warn
ports=()
for i in 1 2; do
  p=$(free_port); ports+=("$p")
  mkdir -p "$work/node$i" "$cg/loupe-bench-$i"
  echo "$period" > "$cg/loupe-bench-$i/cpu.cfs_period_us"
  echo $((quota * period / 100)) > "$cg/loupe-bench-$i/cpu.cfs_quota_us"
  LOUPE_DATA_DIR="$work/node$i" LOUPE_BIND="127.0.0.1:$p" "$loupe" serve > "$work/node$i.log" 2>&1 &
  pid=$!; pids+=("$pid")
  echo "$pid" > "$cg/loupe-bench-$i/cgroup.procs"
  for _ in $(seq 100); do grep -q listening "$work/node$i.log" && break; sleep 0.1; done
done
# Two balancers: one sends everything to node 1, the other spreads over both.
lb() { # port servers...
  local port=$1; shift
  { sed -e "s/bind \*:8080/bind 127.0.0.1:$port/" -e '/^    server /d' deploy/haproxy.cfg
    local n=0; for s in "$@"; do echo "    server node$n 127.0.0.1:$s check"; n=$((n + 1)); done; } > "$work/lb-$port.cfg"
  "$haproxy" -db -f "$work/lb-$port.cfg" >/dev/null 2>&1 &
  pids+=($!); lb_pids+=($!)
}
lb_pids=()
one=$(free_port); two=$(free_port)
lb "$one" "${ports[0]}"
lb "$two" "${ports[0]}" "${ports[1]}"
sleep 1
client_id=$(awk '/client id:/ {print $3}' "$work"/node*.log | head -n 1)
client_secret=$(awk '/client secret:/ {print $3}' "$work"/node*.log | head -n 1)
token=$(curl -s -u "$client_id:$client_secret" -d grant_type=client_credentials "http://127.0.0.1:$one/oauth/token" \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
query='{"query":"{ viewer { organization { name } } }"}'
for p in "$one" "$two"; do
  curl -sf -H "Authorization: Bearer $token" -H 'Content-Type: application/json' -d "$query" "http://127.0.0.1:$p/graphql" | grep -q '"Default"'
done
cat > "$work/post.lua" <<LUA
wrk.method = "POST"
wrk.body = '$query'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $token"
LUA
# CPU seconds (user + system) each part used during a round, to see where the time goes:
# the nodes, the balancer in use, Redis, PostgreSQL (every backend) and wrk itself.
ticks() { # pids... → their CPU ticks together
  local t=0 p
  for p in "$@"; do
    [ -r "/proc/$p/stat" ] && t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0)))
  done
  echo "$t"
}
redis_pid=${pids[0]}
node_pids=("${pids[1]}" "${pids[2]}")
usage() { # → "node1 node2 haproxy redis postgres" ticks
  echo "$(ticks "${node_pids[0]}") $(ticks "${node_pids[1]}") $(ticks "${lb_pids[@]}") $(ticks "$redis_pid") $(ticks $(pgrep -u postgres postgres))"
}
measure() { # port label
  local before after
  before=$(usage)
  /usr/bin/time -f "%U %S" -o "$work/wrk.cpu" \
    wrk -t2 -c"$conns" -d"${duration}s" -s "$work/post.lua" "http://127.0.0.1:$1/graphql" > "$work/w.txt"
  after=$(usage)
  echo "$2 $(awk '/^Requests\/sec/ {print $2}' "$work/w.txt") $(awk '/Non-2xx/ {print $5}' "$work/w.txt" | grep . || echo 0) $before $after $(cat "$work/wrk.cpu")"
}
wrk -t2 -c"$conns" -d3s -s "$work/post.lua" "http://127.0.0.1:$two/graphql" >/dev/null
: > "$work/results"
for _ in $(seq "$rounds"); do
  measure "$one" one >> "$work/results"
  measure "$two" two >> "$work/results"
done
echo "== viewer query through haproxy, nodes capped at ${quota} % of a CPU each (period ${period} us) (PostgreSQL, Redis rate limit), $rounds alternating rounds of ${duration}s, $conns connections, $(nproc) CPUs, $(date -u +%Y-%m-%d)"
python3 - "$work/results" "$duration" <<'PY'
import statistics, sys
import os
rows = [l.split() for l in open(sys.argv[1])]
duration = float(sys.argv[2])
hz = os.sysconf("SC_CLK_TCK")
parts = ["node 1", "node 2", "haproxy", "redis", "postgres", "wrk"]
med = {}
for n in ("one", "two"):
    rs = [r for r in rows if r[0] == n]
    rps = [float(r[1]) for r in rs]
    errs = sum(int(r[2]) for r in rs)
    med[n] = statistics.median(rps)
    print(f"{n} node(s): median {med[n]:.0f} requests/s, non-2xx {errs}; per round " + " ".join(f"{x:.0f}" for x in rps))
    # CPU per part: cores busy during the round, and microseconds per request.
    cores = {p: [] for p in parts}
    for r in rs:
        b, a = [int(x) for x in r[3:8]], [int(x) for x in r[8:13]]
        used = [(y - x) / hz for x, y in zip(b, a)] + [float(r[13]) + float(r[14])]
        for p, u in zip(parts, used):
            cores[p].append(u / duration)
    total_req = statistics.median(rps)
    line = ", ".join(f"{p} {statistics.median(c):.2f} cores ({statistics.median(c) / total_req * 1e6:.0f} us/req)" for p, c in cores.items())
    busy = sum(statistics.median(c) for c in cores.values())
    print(f"   CPU: {line}; all together {busy:.2f} of {os.cpu_count()} cores")
print(f"two / one: {med['two'] / med['one']:.2f} (target >= 1.70)")
PY
kill "${pids[@]}" 2>/dev/null || true
wait 2>/dev/null || true
pids=()
echo "== the Redis-backed rate limit vs the bare server (bench/load.sh with LOUPE_REDIS_URL)"
redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no >"$work/redis2.log" 2>&1 &
pids+=($!)
unset DATABASE_URL LOUPE_RATE_LIMIT LOUPE_WORKERS
BENCH_SKIP_BUILD=1 bench/load.sh "$duration" 32 "$rounds"
