#!/usr/bin/env bash
# Response submissions per second: concurrent clients posting 3-question responses to
# `POST /v1/sites/1/surveys/{id}/responses`, against the release `loupe` binary.
#
#   bench/submit.sh [sqlite|postgres] [seconds=15] [connections=64]
#
# postgres: uses $BENCH_DATABASE_URL (a database it may fill), or starts a throwaway
# cluster like scripts/test does. Each answer is checked and committed durably before
# the 201 (SQLite: WAL with synchronous=FULL; PostgreSQL: default fsync on commit).
set -euo pipefail
cd "$(dirname "$0")/.."
backend=${1:-sqlite}
duration=${2:-15}
conns=${3:-64}
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 1; }
[ -n "${BENCH_SKIP_BUILD:-}" ] || cargo build --release -q -p api --bin loupe
# LOUPE_BIN: another server binary to measure (e.g. an earlier commit's, for an A/B run);
# BENCH_SKIP_BUILD=1 measures the binaries as they are.
loupe_bin=${LOUPE_BIN:-target/release/loupe}
work=$(mktemp -d)
pids=()
cleanup() { kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; [ -n "${pg_stop:-}" ] && eval "$pg_stop"; rm -rf "$work"; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

db_url="sqlite://$work/data/loupe.db?mode=rwc"
if [ "$backend" = postgres ]; then
  if [ -n "${BENCH_DATABASE_URL:-}" ]; then db_url=$BENCH_DATABASE_URL; else
    pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
    as_pg=(); if [ "$(id -u)" = 0 ]; then chown postgres: "$work"; as_pg=(runuser -u postgres --); fi
    pg_port=$(free_port)
    "${as_pg[@]}" "$pg_bin/initdb" -D "$work/pg" -U postgres -A trust >/dev/null
    "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$work/pg" -l "$work/pg.log" -w -o "-p $pg_port -k $work -c listen_addresses=127.0.0.1" start >/dev/null
    pg_stop="${as_pg[*]} $pg_bin/pg_ctl -D $work/pg -m fast stop >/dev/null"
    db_url="postgres://postgres@127.0.0.1:$pg_port/postgres"
  fi
fi

port=$(free_port)
LOUPE_DATA_DIR="$work/data" LOUPE_BIND="127.0.0.1:$port" DATABASE_URL="$db_url" RUST_LOG=warn \
  "$loupe_bin" serve > "$work/loupe.log" 2>&1 &
pids+=($!)
for _ in $(seq 300); do grep -q "listening" "$work/loupe.log" 2>/dev/null && break; sleep 0.1; done
base="http://127.0.0.1:$port"
id=$(awk '/client id:/ {print $3}' "$work/loupe.log"); secret=$(awk '/client secret:/ {print $3}' "$work/loupe.log")
token=$(curl -s -u "$id:$secret" -d grant_type=client_credentials "$base/oauth/token" | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
gql() { curl -s -H "Authorization: Bearer $token" -H 'Content-Type: application/json' -d "$1" "$base/graphql"; }
created=$(gql '{"query":"mutation { createSurvey(input: {siteId: \"1\", name: \"bench\", questions: [{type: NPS, prompt: \"Recommend?\", required: true}, {type: SINGLE_CHOICE, prompt: \"Plan?\", options: [\"Basic\", \"Pro\", \"Team\"]}, {type: SHORT_TEXT, prompt: \"Why?\"}]}) { id questions { id } } }"}')
survey=$(echo "$created" | python3 -c 'import json,sys; print(json.load(sys.stdin)["data"]["createSurvey"]["id"])')
read -r q1 q2 q3 < <(echo "$created" | python3 -c 'import json,sys; print(*[q["id"] for q in json.load(sys.stdin)["data"]["createSurvey"]["questions"]])')
gql "{\"query\":\"mutation { setSurveyStatus(id: \\\"$survey\\\", status: ACTIVE) { status } }\"}" >/dev/null

body="{\"visitor_id\":\"bench-visitor\",\"page_url\":\"https://shop.example/pricing?utm_source=x\",\"answers\":[{\"question_id\":$q1,\"value\":9},{\"question_id\":$q2,\"value\":\"Pro\"},{\"question_id\":$q3,\"value\":\"Fast and simple\"}]}"
cat > "$work/post.lua" <<LUA
wrk.method = "POST"
wrk.body = '$body'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["User-Agent"] = "Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0"
LUA
url="$base/v1/sites/1/surveys/$survey/responses"
curl -sf -X POST -H 'Content-Type: application/json' -d "$body" "$url" | grep -q response_id
wrk -t2 -c"$conns" -d3s -s "$work/post.lua" "$url" >/dev/null   # warm-up
if [ -n "${PERF_OUT:-}" ]; then  # optional: profile the server during the measurement
  perf record -F 999 -g -p "${pids[0]}" -o "$PERF_OUT" -- sleep "$((duration - 2))" >/dev/null 2>&1 &
fi
wrk -t2 -c"$conns" -d"${duration}s" --latency -s "$work/post.lua" "$url" > "$work/wrk.txt"
stored=$(gql "{\"query\":\"{ responses(surveyId: \\\"$survey\\\", first: 1) { totalCount } }\"}" | python3 -c 'import json,sys; print(json.load(sys.stdin)["data"]["responses"]["totalCount"])')
rps=$(awk '/^Requests\/sec/ {print $2}' "$work/wrk.txt")
p50=$(awk '$1=="50%" {print $2}' "$work/wrk.txt"); p99=$(awk '$1=="99%" {print $2}' "$work/wrk.txt")
non2xx=$(awk '/Non-2xx/ {print $5}' "$work/wrk.txt")
echo "backend=$backend duration=${duration}s connections=$conns cpus=$(nproc) date=$(date -u +%Y-%m-%d)"
echo "submissions/s: $rps   p50: $p50   p99: $p99   non-2xx: ${non2xx:-0}   responses stored in total: $stored"
