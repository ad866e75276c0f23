#!/usr/bin/env bash
# Growth: one database grown to each size in turn (10k, 100k, 1M sessions, responses and
# identified users: bench/src/growth_seed.rs), the real server restarted on it, then
# - each query timed over HTTP as the console sends it (`loadgen time`: one at a time,
#   interleaved, every answer checked for GraphQL errors), p50 / p99 per size;
# - ingestion at that size: recording batches, response submissions and identify calls,
#   each alone for a few seconds (`loadgen mix`), requests/s and p99.
# Writes $BENCH_OUT/growth-<backend>.jsonl, a markdown table and an SVG plot
# (bench/growth_plot.py); a run that reaches 1M also updates bench/growth.md and
# bench/growth.svg, which BENCHMARKS.md links.
#
#   bench/growth.sh [sqlite|postgres|both] [sizes=10000,100000,1000000] [runs=60] [ingest_seconds=5]
#
# postgres: a throwaway cluster (or $BENCH_DATABASE_URL, a database it may fill).
set -euo pipefail
cd "$(dirname "$0")/.."
which=${1:-both}
sizes=${2:-10000,100000,1000000}
runs=${3:-60}
ingest=${4:-5}
case "$which" in sqlite) backends=(sqlite) ;; postgres) backends=(postgres) ;; both) backends=(sqlite postgres) ;;
  *) echo "usage: bench/growth.sh [sqlite|postgres|both] [sizes] [runs] [ingest_seconds]" >&2; exit 2 ;; esac
release=${CARGO_TARGET_DIR:-target}/release
[ -n "${BENCH_SKIP_BUILD:-}" ] || cargo build --release -q -p api --bin loupe -p loupe-bench --bin loadgen --bin growth-seed
loupe_bin=${LOUPE_BIN:-$release/loupe}
out=${BENCH_OUT:-bench/out/growth-$(date -u +%Y%m%d-%H%M%S)}
mkdir -p "$out"
work=$(mktemp -d)
server=""; pg_stop=""
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null; wait 2>/dev/null || true; [ -n "$pg_stop" ] && eval "$pg_stop"; rm -rf "$work"; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

start_server() {  # db_url
  port=$(free_port)
  LOUPE_DATA_DIR="$work/data" LOUPE_BIND="127.0.0.1:$port" DATABASE_URL="$1" RUST_LOG=warn \
    LOUPE_RATE_LIMIT=1000000000 "$loupe_bin" serve >> "$work/loupe.log" 2>&1 &
  server=$!
  for _ in $(seq 600); do
    python3 -c "import urllib.request as u; u.urlopen('http://127.0.0.1:$port/healthz')" 2>/dev/null && break
    sleep 0.1
  done
  base="http://127.0.0.1:$port"
}
stop_server() { kill "$server"; wait "$server" 2>/dev/null || true; server=""; }
gql() { curl -sf -H "Authorization: Bearer $token" -H 'Content-Type: application/json' -d "$1" "$base/graphql"; }

for backend in "${backends[@]}"; do
  rm -rf "$work/data" "$work/loupe.log"
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
  else
    mkdir -p "$work/data"; db_url="sqlite://$work/data/loupe.db?mode=rwc"
  fi
  start_server "$db_url"
  id=$(awk '/client id:/ {print $3}' "$work/loupe.log"); secret=$(awk '/client secret:/ {print $3}' "$work/loupe.log")
  token=$(curl -s -u "$id:$secret" -d grant_type=client_credentials "$base/oauth/token" | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
  created=$(gql '{"query":"mutation { createSurvey(input: {siteId: \"1\", name: \"growth\", questions: [{type: NPS, prompt: \"Recommend?\", required: true}, {type: SINGLE_CHOICE, prompt: \"Plan?\", options: [\"Basic\", \"Pro\", \"Team\"]}, {type: SHORT_TEXT, prompt: \"Why?\"}]}) { id questions { id } } }"}')
  survey=$(echo "$created" | python3 -c 'import json,sys; print(json.load(sys.stdin)["data"]["createSurvey"]["id"])')
  questions=$(echo "$created" | python3 -c 'import json,sys; print(",".join(q["id"] for q in json.load(sys.stdin)["data"]["createSurvey"]["questions"]))')
  gql "{\"query\":\"mutation { setSurveyStatus(id: \\\"$survey\\\", status: ACTIVE) { status } }\"}" | grep -q ACTIVE
  gql '{"query":"mutation { acceptDataProcessingAgreement { id } }"}' >/dev/null
  gql '{"query":"mutation { updateSite(id: \"1\", input: {identifyEnabled: true}) { identifyEnabled } }"}' | grep -q true
  stop_server

  seeded=0; segment=""
  echo "== $backend"
  for size in ${sizes//,/ }; do
    "$release/growth-seed" "$db_url" "$survey" "$seeded" "$size" | sed "s/^/$backend: /"
    seeded=$size
    start_server "$db_url"
    if [ -z "$segment" ]; then  # its attributes exist once the first users are seeded
      segment=$(gql '{"query":"mutation { createSegment(input: {siteId: \"1\", name: \"Big spenders\", rule: {and: [{attribute: \"spend\", operator: \"GT\", value: 4000}, {attribute: \"plan\", operator: \"EQUALS\", value: \"pro\"}]}}) { id } }"}' \
        | python3 -c 'import json,sys; print(json.load(sys.stdin)["data"]["createSegment"]["id"])')
    fi
    mid=$((size / 2 + 1))
    python3 - "$survey" "$segment" "$mid" > "$work/queries.tsv" <<'PY'
import json, sys
survey, segment, mid = sys.argv[1:]
node = "edges { node { sessionId durationMs device startedAt } }"
q = {
  "recordings(first: 20, filter)": '{ recordings(siteId: "1", first: 20, filter: {device: "mobile", hasRageClicks: true}) { %s } }' % node,
  "recordings(first: 20)": '{ recordings(siteId: "1", first: 20) { %s } }' % node,
  "recordings(first: 20, longest)": '{ recordings(siteId: "1", first: 20, orderBy: LONGEST) { %s } }' % node,
  "responses(first: 50)": '{ responses(surveyId: "%s", first: 50) { edges { node { id createdAt answers { questionId value } } } } }' % survey,
  "survey summary": '{ survey(id: "%s") { summary { responses complete questions { answered skipped choices { choice count } nps { score } } } } }' % survey,
  "survey questions": '{ survey(id: "%s") { name questions { id prompt } } }' % survey,
  "user(userId) lookup": '{ user(siteId: "1", userId: "%s") { userId sessions attributes { name value } } }' % mid,
  "users(segment, first: 20)": '{ users(siteId: "1", segmentId: "%s", first: 20) { edges { node { userId } } } }' % segment,
  "segments list": '{ segments(siteId: "1") { edges { node { id name } } } }',
  "recordings filter totalCount": '{ recordings(siteId: "1", first: 20, filter: {device: "mobile", hasRageClicks: true}) { totalCount } }',
  "responses totalCount": '{ responses(surveyId: "%s", first: 1) { totalCount } }' % survey,
  "segment preview (count)": '{ segment(id: "%s") { preview { matchingUsers } } }' % segment,
}
for name, query in q.items():
    print(name + "\t" + json.dumps({"query": query}))
PY
    LABEL="$backend $size" JSON_OUT="$out/growth-$backend.jsonl" TOKEN="$token" \
      "$release/loadgen" time "$base" "$runs" "$work/queries.tsv"
    for route in recording response identify; do
      LABEL="$backend $size $route" JSON_OUT="$out/growth-$backend.jsonl" SURVEY="$survey" QUESTIONS="$questions" \
        WARMUP=1 "$release/loadgen" mix "$base" "$ingest" 32 "$route=1" | grep -E "^(mix|$route|  error|check)"
    done
    stop_server
  done
  [ -n "$pg_stop" ] && { eval "$pg_stop"; pg_stop=""; }
  rm -rf "$work/pg" "$work/data"
done

python3 bench/growth_plot.py "$out" "${backends[@]}"
if [[ ",$sizes," == *",1000000,"* ]]; then
  cp "$out/growth.md" bench/growth.md; cp "$out/growth.svg" bench/growth.svg
  echo "bench/growth.md and bench/growth.svg updated"
fi
