#!/usr/bin/env bash
# Loupe against the bare actix-web + async-graphql server (bench/src/bare.rs), same run,
# same client, rounds alternated so that the shared machine's drift hits both alike:
#
#   bench/peer.sh identify  [sqlite|postgres] [seconds=10] [connections=64] [rounds=3]
#     `POST /v1/sites/1/identify` (Identify switched on: plan SCALE, DPA accepted), a user
#     id out of 1M and three typed attributes per call; both servers get every core and
#     their default workers. Target: >= 10,000 calls/s, p99 < 20 ms. The throwaway
#     PostgreSQL analyses every second (autovacuum_naptime=1): its tables grow from empty
#     within the run, and with the default minute the planner would plan every lookup for
#     the empty tables of the start, which a long-running server never sees.
#   bench/peer.sh questions [sqlite|postgres] [seconds=10] [connections=32] [rounds=3]
#     authenticated `{ survey(id) { name questions { id type prompt } } }`, the id drawn
#     among 1,000 three-question surveys, against the bare server answering the same shape
#     from constants; as bench/load.sh, one worker each pinned to CPU 0, wrk on CPU 1.
#     Target: >= 0.5 x the bare server.
#
# Every answer is checked in wrk's `response()`: a status other than 200, an identify
# answer without `"stored":true`, a GraphQL answer with `errors` or without `data` counts
# as a failure, and any failure makes the script exit non-zero.
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:?identify or questions}
backend=${2:-sqlite}
duration=${3:-10}
rounds=${5:-3}
case "$mode" in identify) conns=${4:-64} ;; questions) conns=${4:-32} ;;
  *) echo "usage: bench/peer.sh identify|questions [sqlite|postgres] [seconds] [connections] [rounds]" >&2; exit 2 ;; esac
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 1; }
release=${CARGO_TARGET_DIR:-target}/release
[ -n "${BENCH_SKIP_BUILD:-}" ] || cargo build --release -q -p api --bin loupe -p loupe-bench --bin bare-graphql
loupe_bin=${LOUPE_BIN:-$release/loupe}
work=$(mktemp -d)
pids=(); pg_stop=""
cleanup() { kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; [ -n "$pg_stop" ] && eval "$pg_stop"; rm -rf "$work"; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

server_cpu=(); client_cpu=(); workers=(); bare_workers=$(nproc); threads=2
if [ "$mode" = questions ]; then
  workers=(LOUPE_WORKERS=1); bare_workers=1; threads=1
  if [ "$(nproc)" -ge 2 ] && command -v taskset >/dev/null; then server_cpu=(taskset -c 0); client_cpu=(taskset -c 1); fi
fi

db_url="sqlite://$work/data/loupe.db?mode=rwc"
if [ "$backend" = postgres ]; then
  if [ -n "${BENCH_DATABASE_URL:-}" ]; then db_url=$BENCH_DATABASE_URL; else
    pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
    as_pg=(); if [ "$(id -u)" = 0 ]; then chown postgres: "$work"; as_pg=(runuser -u postgres --); fi
    pg_port=$(free_port)
    "${as_pg[@]}" "$pg_bin/initdb" -D "$work/pg" -U postgres -A trust >/dev/null
    "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$work/pg" -l "$work/pg.log" -w -o "-p $pg_port -k $work -c listen_addresses=127.0.0.1 -c autovacuum_naptime=1" start >/dev/null
    pg_stop="${as_pg[*]} $pg_bin/pg_ctl -D $work/pg -m fast stop >/dev/null"
    db_url="postgres://postgres@127.0.0.1:$pg_port/postgres"
  fi
fi

bare_port=$(free_port)
"${server_cpu[@]}" "$release/bare-graphql" "127.0.0.1:$bare_port" "$bare_workers" > "$work/bare.log" &
pids+=($!)
port=$(free_port)
env "${workers[@]}" LOUPE_DATA_DIR="$work/data" LOUPE_BIND="127.0.0.1:$port" DATABASE_URL="$db_url" \
  LOUPE_RATE_LIMIT=1000000000 RUST_LOG=warn "${server_cpu[@]}" "$loupe_bin" serve > "$work/loupe.log" 2>&1 &
pids+=($!)
for _ in $(seq 300); do grep -q "listening" "$work/loupe.log" 2>/dev/null && grep -q listening "$work/bare.log" 2>/dev/null && break; sleep 0.1; done
base="http://127.0.0.1:$port"
id=$(awk '/client id:/ {print $3}' "$work/loupe.log"); secret=$(awk '/client secret:/ {print $3}' "$work/loupe.log")
token=$(curl -s -u "$id:$secret" -d grant_type=client_credentials "$base/oauth/token" | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
gql() { curl -sf -H "Authorization: Bearer $token" -H 'Content-Type: application/json' -d "$1" "$base/graphql"; }

if [ "$mode" = identify ]; then
  gql '{"query":"mutation { acceptDataProcessingAgreement { id } }"}' >/dev/null
  gql '{"query":"mutation { updateSite(id: \"1\", input: {identifyEnabled: true}) { identifyEnabled } }"}' | grep -q true
  url="$base/v1/sites/1/identify"
  curl -sf -H 'Content-Type: application/json' -d '{"visitor_id":"check","user_id":"1","attributes":{"plan":"pro","spend":1.5,"trial":false}}' "$url" | grep -q '"stored":true'
  echo 'surveys = {"1"}' > "$work/surveys.lua"
else
  # 1,000 active three-question surveys, created over GraphQL as a user would.
  python3 - "$base" "$token" > "$work/surveys.lua" <<'PY'
import http.client, json, sys, urllib.parse
base, token = sys.argv[1], sys.argv[2]
u = urllib.parse.urlparse(base)
c = http.client.HTTPConnection(u.hostname, u.port)
def gql(q):
    c.request("POST", "/graphql", json.dumps({"query": q}), {"Authorization": "Bearer " + token, "Content-Type": "application/json"})
    b = json.loads(c.getresponse().read())
    if b.get("errors"):
        sys.exit(f"GraphQL errors: {b['errors']}")
    return b["data"]
ids = []
for i in range(1000):
    d = gql('mutation { createSurvey(input: {siteId: "1", name: "Survey %d", questions: [{type: NPS, prompt: "How likely are you to recommend us?", required: true}, {type: SINGLE_CHOICE, prompt: "Which plan are you on?", options: ["Basic", "Pro", "Team"]}, {type: SHORT_TEXT, prompt: "What could we do better?"}]}) { id } }' % i)
    ids.append(d["createSurvey"]["id"])
    gql('mutation { setSurveyStatus(id: "%s", status: ACTIVE) { status } }' % ids[-1])
print("surveys = {" + ",".join(f'"{i}"' for i in ids) + "}")
PY
  url="$base/graphql"
fi

cat > "$work/load.lua" <<LUA
dofile("$work/surveys.lua")
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local token = os.getenv("TOKEN")
if token ~= nil and token ~= "" then wrk.headers["Authorization"] = "Bearer " .. token end
local mode = os.getenv("MODE")
local threads, counter = {}, 1
function setup(thread) thread:set("id", counter); table.insert(threads, thread); counter = counter + 1 end
k, bad, sample = 0, 0, ""
function request()
  k = k + 1
  local body
  if mode == "identify" then
    local u = (id * 1000003 + k * 7919) % 1000000
    body = string.format('{"visitor_id":"iv-%d","user_id":"%d","attributes":{"plan":"%s","spend":%d.5,"trial":%s}}',
      u, u, ({"basic", "pro", "team"})[u % 3 + 1], u % 5000, tostring(u % 7 == 0))
  else
    body = '{"query":"{ survey(id: \\\\"' .. surveys[(k * 7 + id * 131) % #surveys + 1] .. '\\\\") { name questions { id type prompt } } }"}'
  end
  return wrk.format(nil, nil, nil, body)
end
function response(status, headers, body)
  local ok
  if mode == "identify" then ok = status == 200 and body:find('"stored":true', 1, true) ~= nil
  else ok = status == 200 and body:find('"errors"', 1, true) == nil and body:find('"questions":[{', 1, true) ~= nil end
  if not ok then
    bad = bad + 1
    if sample == "" then sample = status .. " " .. body:sub(1, 200):gsub("%s", " ") end
  end
end
function done(summary, latency, requests)
  local b, s = 0, ""
  for _, t in ipairs(threads) do b = b + t:get("bad"); if s == "" then s = t:get("sample") end end
  io.write(string.format("CHECK %d %s\n", b, s))
end
LUA
# The bare server's request: the same query; for identify, its hello-world query.
[ "$mode" = identify ] && sed -e 's/if mode == "identify" then$/if false then/' "$work/load.lua" > "$work/bare.lua" || cp "$work/load.lua" "$work/bare.lua"
# (the bare server answers `survey` for any id, so the questions script serves both)

run_wrk() { # url lua mode token label
  MODE=$3 TOKEN=$4 "${client_cpu[@]}" wrk -t"$threads" -c"$conns" -d"${duration}s" --latency -s "$2" "$1" > "$work/$5.txt"
  local rps p50 p99 fails
  rps=$(awk '/^Requests\/sec/ {print $2}' "$work/$5.txt")
  p50=$(awk '$1=="50%" {print $2}' "$work/$5.txt")
  p99=$(awk '$1=="99%" {print $2}' "$work/$5.txt")
  fails=$(awk '/^CHECK/ {print $2}' "$work/$5.txt")
  [ "${fails:-0}" = 0 ] || echo "failures on $5: $(grep CHECK "$work/$5.txt" | cut -d' ' -f3-)" >&2
  echo "$5 $rps $p50 $p99 ${fails:-missing}"
}
loupe_mode=$mode; bare_mode=questions
TOKEN= MODE=$bare_mode "${client_cpu[@]}" wrk -t"$threads" -c"$conns" -d2s -s "$work/bare.lua" "http://127.0.0.1:$bare_port/graphql" >/dev/null
MODE=$loupe_mode TOKEN=$token "${client_cpu[@]}" wrk -t"$threads" -c"$conns" -d2s -s "$work/load.lua" "$url" >/dev/null
: > "$work/results"
for _ in $(seq "$rounds"); do
  run_wrk "http://127.0.0.1:$bare_port/graphql" "$work/bare.lua" "$bare_mode" "" bare >> "$work/results"
  run_wrk "$url" "$work/load.lua" "$loupe_mode" "$token" loupe >> "$work/results"
done

echo "$mode, backend=$backend: $rounds alternating rounds of ${duration}s, $conns connections, wrk -t$threads, $(nproc) CPUs${server_cpu:+, servers pinned to CPU 0 with 1 worker, wrk on CPU 1}, $(date -u +%Y-%m-%d)"
python3 - "$work/results" "$mode" <<'PY'
import statistics, sys
def ms(v):
    return float(v[:-2]) if v.endswith("ms") else float(v[:-2]) / 1000 if v.endswith("us") else float(v[:-1]) * 1000
rows = [l.split() for l in open(sys.argv[1])]
mode = sys.argv[2]
by = {n: [r for r in rows if r[0] == n] for n in ("bare", "loupe")}
what = {"bare": "bare survey(id) { questions }",
        "loupe": "loupe " + ("identify calls" if mode == "identify" else "survey(id) { questions }")}
print(f"{'server':36} {'requests/s':>11} {'p50 ms':>8} {'p99 ms':>8} {'failures':>9}   per round (requests/s)")
med, fails = {}, 0
for n, rs in by.items():
    rps = [float(r[1]) for r in rs]
    med[n] = statistics.median(rps)
    f = sum(int(r[4]) if r[4].isdigit() else 1 for r in rs)
    fails += f
    print(f"{what[n]:36} {med[n]:11.0f} {statistics.median(ms(r[2]) for r in rs):8.2f} "
          f"{max(ms(r[3]) for r in rs):8.2f} {f:9d}   " + " ".join(f"{x:.0f}" for x in rps))
ratios = [float(l[1]) / float(b[1]) for b, l in zip(by["bare"], by["loupe"])]
target = "identify target: >= 10000/s, p99 < 20 ms" if mode == "identify" else "target >= 0.50"
print(f"ratio loupe/bare: {med['loupe'] / med['bare']:.2f} (per round " + " ".join(f"{r:.2f}" for r in ratios) + f"); {target}; p99 is the worst round's")
print("check: " + ("every answer checked, no failure" if fails == 0 else f"FAILED: {fails} bad answers"))
sys.exit(1 if fails else 0)
PY
