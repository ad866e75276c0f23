#!/usr/bin/env bash
# Webhooks under the submission benchmark's load: the same 3-question responses as
# bench/submit.sh, each round on a fresh server and database (same binary, same run):
# without webhooks, with three endpoints subscribed to `survey_response.completed` (one
# local receiver each; tests/webhooks' standardwebhooks checks a sample of signatures),
# again without, again with.
#
#   bench/webhooks.sh [sqlite|postgres] [seconds=15] [connections=64] [paced_rps=500]
#
# Reports submissions/s of each round and the ratio of the medians; deliveries/s during
# and after the first full-load round with webhooks, and the delay from each event's
# commit to its receipt (p50/p99): at full load, and at a paced load of paced_rps
# submissions/s. PERF_OUT=file profiles the whole machine during the first round with
# webhooks.
set -euo pipefail
cd "$(dirname "$0")/.."
backend=${1:-sqlite}
duration=${2:-15}
conns=${3:-64}
paced=${4:-500}
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 1; }
[ -d tests/webhooks/node_modules/standardwebhooks ] || npm ci --prefix tests/webhooks --no-audit --no-fund >/dev/null
[ -n "${BENCH_SKIP_BUILD:-}" ] || cargo build --release -q -p api --bin loupe
loupe_bin=${LOUPE_BIN:-target/release/loupe}
work=$(mktemp -d)
pids=()
server=""
cleanup() { kill "${pids[@]}" $server 2>/dev/null || true; wait 2>/dev/null || true; [ -n "${pg_stop:-}" ] && eval "$pg_stop"; rm -rf "$work"; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

pg_url=""
if [ "$backend" = postgres ]; then
  pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  as_pg=(); if [ "$(id -u)" = 0 ]; then chown postgres: "$work"; as_pg=(runuser -u postgres --); fi
  pg_port=$(free_port)
  "${as_pg[@]}" "$pg_bin/initdb" -D "$work/pg" -U postgres -A trust >/dev/null
  "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$work/pg" -l "$work/pg.log" -w -o "-p $pg_port -k $work -c listen_addresses=127.0.0.1" start >/dev/null
  pg_stop="${as_pg[*]} $pg_bin/pg_ctl -D $work/pg -m fast stop >/dev/null"
  pg_url="postgres://postgres@127.0.0.1:$pg_port"
fi

round=0
# A fresh server and database, an active 3-question survey: sets base, token, url.
start_server() {
  round=$((round + 1))
  local dir="$work/data$round" db_url
  if [ -n "$pg_url" ]; then
    "${as_pg[@]}" psql -q -h 127.0.0.1 -p "$pg_port" -U postgres -c "CREATE DATABASE bench$round" >/dev/null
    db_url="$pg_url/bench$round"
  else
    db_url="sqlite://$dir/loupe.db?mode=rwc"
  fi
  local port; port=$(free_port)
  LOUPE_DATA_DIR="$dir" LOUPE_BIND="127.0.0.1:$port" DATABASE_URL="$db_url" RUST_LOG=warn \
    LOUPE_WEBHOOK_ALLOW_PRIVATE=true "$loupe_bin" serve > "$work/loupe$round.log" 2>&1 &
  server=$!
  for _ in $(seq 300); do grep -q "listening" "$work/loupe$round.log" 2>/dev/null && break; sleep 0.1; done
  base="http://127.0.0.1:$port"
  local id secret created survey q1 q2 q3
  id=$(awk '/client id:/ {print $3}' "$work/loupe$round.log"); secret=$(awk '/client secret:/ {print $3}' "$work/loupe$round.log")
  token=$(curl -s -u "$id:$secret" -d grant_type=client_credentials "$base/oauth/token" | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
  created=$(gql '{"query":"mutation { createSurvey(input: {siteId: \"1\", name: \"bench\", questions: [{type: NPS, prompt: \"Recommend?\", required: true}, {type: SINGLE_CHOICE, prompt: \"Plan?\", options: [\"Basic\", \"Pro\", \"Team\"]}, {type: SHORT_TEXT, prompt: \"Why?\"}]}) { id questions { id } } }"}')
  survey=$(echo "$created" | python3 -c 'import json,sys; print(json.load(sys.stdin)["data"]["createSurvey"]["id"])')
  read -r q1 q2 q3 < <(echo "$created" | python3 -c 'import json,sys; print(*[q["id"] for q in json.load(sys.stdin)["data"]["createSurvey"]["questions"]])')
  gql "{\"query\":\"mutation { setSurveyStatus(id: \\\"$survey\\\", status: ACTIVE) { status } }\"}" >/dev/null
  local body="{\"visitor_id\":\"bench-visitor\",\"page_url\":\"https://shop.example/pricing?utm_source=x\",\"answers\":[{\"question_id\":$q1,\"value\":9},{\"question_id\":$q2,\"value\":\"Pro\"},{\"question_id\":$q3,\"value\":\"Fast and simple\"}]}"
  cat > "$work/post.lua" <<LUA
wrk.method = "POST"
wrk.body = '$body'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["User-Agent"] = "Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0"
LUA
  # Paced: each of 16 connections waits so that together they send about paced_rps/s.
  cp "$work/post.lua" "$work/paced.lua"
  echo "function delay() return $(python3 -c "print(max(1, round(16 * 1000 / $paced)))") end" >> "$work/paced.lua"
  url="$base/v1/sites/1/surveys/$survey/responses"
  curl -sf -X POST -H 'Content-Type: application/json' -d "$body" "$url" | grep -q response_id
  wrk -t2 -c"$conns" -d3s -s "$work/post.lua" "$url" >/dev/null   # warm-up
}
stop_server() { kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; server=""; }
gql() { curl -s -H "Authorization: Bearer $token" -H 'Content-Type: application/json' -d "$1" "$base/graphql"; }
rate() { awk '/^Requests\/sec/ {print $2}' "$1"; }

receivers=()
rx_pids=()
add_endpoints() {
  receivers=(); rx_pids=()
  for i in 1 2 3; do
    local rport out wsecret
    rport=$(free_port)
    out=$(gql "{\"query\":\"mutation { createWebhookEndpoint(input: {siteId: \\\"1\\\", url: \\\"http://127.0.0.1:$rport/hook\\\", events: [SURVEY_RESPONSE_COMPLETED]}) { secret } }\"}")
    wsecret=$(echo "$out" | python3 -c 'import json,sys; print(json.load(sys.stdin)["data"]["createWebhookEndpoint"]["secret"])')
    node bench/webhooks/receiver.mjs "$rport" "$wsecret" > "$work/rx$round-$i.log" 2>&1 &
    rx_pids+=($!)
    receivers+=("$rport")
  done
  for r in "${receivers[@]}"; do for _ in $(seq 100); do curl -sf "http://127.0.0.1:$r/stats" >/dev/null && break; sleep 0.1; done; done
}
stop_receivers() { kill "${rx_pids[@]}" 2>/dev/null || true; wait "${rx_pids[@]}" 2>/dev/null || true; }
stats() { for r in "${receivers[@]}"; do curl -s "http://127.0.0.1:$r/stats"; echo; done; }
events() { stats | python3 -c 'import json,sys; print(sum(json.loads(l)["events"] for l in sys.stdin if l.strip()))'; }
summary() {
  python3 -c '
import json, sys
rows = [json.loads(l) for l in sys.stdin if l.strip()]
each = "; ".join("p50 %s ms p99 %s ms" % (r["p50_ms"], r["p99_ms"]) for r in rows)
print("%s   duplicates: %d   signatures checked: %d, bad: %d"
      % (each, sum(r["duplicates"] for r in rows), sum(r["checked"] for r in rows), sum(r["bad"] for r in rows)))'
}

without=(); with=()
for mode in without with without with; do
  start_server
  if [ "$mode" = with ]; then add_endpoints; fi
  if [ "$mode" = with ] && [ ${#with[@]} -eq 0 ] && [ -n "${PERF_OUT:-}" ]; then
    perf record -F 999 -a -o "$PERF_OUT" -- sleep "$((duration - 2))" >/dev/null 2>&1 &
  fi
  wrk -t2 -c"$conns" -d"${duration}s" -s "$work/post.lua" "$url" > "$work/wrk$round.txt"
  if [ "$mode" = without ]; then without+=("$(rate "$work/wrk$round.txt")"); else
    with+=("$(rate "$work/wrk$round.txt")")
    if [ ${#with[@]} -eq 1 ]; then
      n=$(awk '/requests in/ {print $1}' "$work/wrk$round.txt")
      during=$(events)
      start=$(date +%s.%N)
      expected=$(( n * 3 ))
      for _ in $(seq 2400); do [ "$(events)" -ge "$expected" ] && break; sleep 0.5; done
      drain=$(python3 -c "print(round($(date +%s.%N) - $start, 1))")
      full=$(stats | summary)
      for r in "${receivers[@]}"; do curl -s "http://127.0.0.1:$r/reset" >/dev/null; done
      wrk -t2 -c16 -d"${duration}s" -s "$work/paced.lua" "$url" > "$work/paced.txt"
      sleep 2
      paced_out=$(stats | summary)
    fi
    stop_receivers
  fi
  stop_server
done

median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR % 2 ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2)}'; }
mw=$(median "${without[@]}"); mh=$(median "${with[@]}")
echo "backend=$backend duration=${duration}s connections=$conns cpus=$(nproc) date=$(date -u +%Y-%m-%d) endpoints=3 (each round a fresh server and database)"
echo "submissions/s without webhooks: ${without[*]}   with 3 endpoints: ${with[*]}   ratio of medians: $(python3 -c "print(round($mh / $mw, 3))")"
echo "first round with webhooks: $n responses -> $expected deliveries; $during arrived during the ${duration}s run, the rest within ${drain}s after it ($(python3 -c "print(round($expected / ($duration + $drain)))") deliveries/s overall)"
echo "full load, commit to receipt (each receiver): $full"
echo "paced load: $(rate "$work/paced.txt") submissions/s for ${duration}s, each to 3 endpoints; commit to receipt (each receiver): $paced_out"
