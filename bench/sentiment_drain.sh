#!/usr/bin/env bash
# Sentiment scoring through the durable queue (claim, score, store, delete) vs the model alone.
#   bench/sentiment_drain.sh [sqlite|postgres|both] [answers=4000] [jobs_per_round=256]
# Needs scripts/setup (the default model). LOUPE_SENTIMENT_THREADS defaults to 2 here.
set -euo pipefail
cd "$(dirname "$0")/.."
which=${1:-both}; n=${2:-4000}; per_round=${3:-256}
export LOUPE_SENTIMENT_THREADS=${LOUPE_SENTIMENT_THREADS:-2}
[ -n "${BENCH_SKIP_BUILD:-}" ] || cargo build --release -q -p loupe-bench --bin sentiment-drain-bench
work=$(mktemp -d); PG_STOP=""
trap 'eval "$PG_STOP"; rm -rf "$work"' EXIT
if [ "$which" != postgres ]; then
  echo "== SQLite"
  "${CARGO_TARGET_DIR:-target}/release/sentiment-drain-bench" "sqlite://$work/bench.db?mode=rwc" "$n" "$per_round" 2>/dev/null
fi
if [ "$which" != sqlite ]; then
  . bench/pg.sh
  start_pg "$work"
  echo "== PostgreSQL"
  "${CARGO_TARGET_DIR:-target}/release/sentiment-drain-bench" "$PG_URL" "$n" "$per_round" 2>/dev/null
fi
