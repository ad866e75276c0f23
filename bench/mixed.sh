#!/usr/bin/env bash
# Mixed load against the release server: 70 % recording batches (50 rrweb events, ~40 KB,
# 20 batches per session), 20 % browser-tag traffic (10 % `GET /widgets`, 10 % response
# submissions) and 10 % authenticated GraphQL reads (recordings list, responses page,
# survey with questions, viewer, in turn), from one closed-loop generator
# (bench/src/loadgen.rs) that picks each request's route by weight and records its
# latency per route. Every answer is checked (status, JSON, GraphQL `errors`, duplicate
# batches); any failure makes the script exit non-zero.
#
#   bench/mixed.sh [sqlite|postgres] [seconds=60] [connections=32]
#
# postgres: a throwaway cluster (or $BENCH_DATABASE_URL, a database it may fill).
set -euo pipefail
cd "$(dirname "$0")/.."
backend=${1:-sqlite}
duration=${2:-60}
conns=${3:-32}
release=${CARGO_TARGET_DIR:-target}/release
[ -n "${BENCH_SKIP_BUILD:-}" ] || cargo build --release -q -p api --bin loupe -p loupe-bench --bin loadgen
loupe_bin=${LOUPE_BIN:-$release/loupe}
work=$(mktemp -d)
pids=(); pg_stop=""
cleanup() { kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; [ -n "$pg_stop" ] && eval "$pg_stop"; rm -rf "$work"; }
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
  LOUPE_RATE_LIMIT=1000000000 "$loupe_bin" serve > "$work/loupe.log" 2>&1 &
pids+=($!)
for _ in $(seq 300); do grep -q "listening" "$work/loupe.log" 2>/dev/null && break; sleep 0.1; done
base="http://127.0.0.1:$port"
id=$(awk '/client id:/ {print $3}' "$work/loupe.log"); secret=$(awk '/client secret:/ {print $3}' "$work/loupe.log")
token=$(curl -s -u "$id:$secret" -d grant_type=client_credentials "$base/oauth/token" | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
gql() { curl -sf -H "Authorization: Bearer $token" -H 'Content-Type: application/json' -d "$1" "$base/graphql"; }
created=$(gql '{"query":"mutation { createSurvey(input: {siteId: \"1\", name: \"mixed\", questions: [{type: NPS, prompt: \"Recommend?\", required: true}, {type: SINGLE_CHOICE, prompt: \"Plan?\", options: [\"Basic\", \"Pro\", \"Team\"]}, {type: SHORT_TEXT, prompt: \"Why?\"}]}) { id questions { id } } }"}')
survey=$(echo "$created" | python3 -c 'import json,sys; print(json.load(sys.stdin)["data"]["createSurvey"]["id"])')
questions=$(echo "$created" | python3 -c 'import json,sys; print(",".join(q["id"] for q in json.load(sys.stdin)["data"]["createSurvey"]["questions"]))')
gql "{\"query\":\"mutation { setSurveyStatus(id: \\\"$survey\\\", status: ACTIVE) { status } }\"}" | grep -q ACTIVE

echo "backend=$backend duration=${duration}s connections=$conns cpus=$(nproc) generator=1 thread, server unpinned, $(date -u +%Y-%m-%d)"
TOKEN="$token" SURVEY="$survey" QUESTIONS="$questions" LABEL="$backend" WARMUP=3 JSON_OUT="${BENCH_OUT:+$BENCH_OUT/mixed-$backend.jsonl}" \
  "$release/loadgen" mix "$base" "$duration" "$conns" recording=70 widgets=10 response=10 graphql=10
