#!/usr/bin/env bash
# Heatmaps: the per-batch ingestion cost of extraction (same run, same batches, a site with
# heatmaps off and one with them on, interleaved), and the `heatmap` query over 100k page
# views of one page (a month of aggregates).
#
#   bench/heatmaps.sh [sqlite|postgres] [batches=4000]
#
# postgres: uses $BENCH_DATABASE_URL (a database it may fill), or starts a throwaway
# cluster like bench/recordings.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
backend=${1:-sqlite}
batches=${2:-4000}
target=${CARGO_TARGET_DIR:-target}
[ -n "${BENCH_SKIP_BUILD:-}" ] || cargo build --release -q -p loupe-bench --bin heatmaps-bench
work=$(mktemp -d)
cleanup() { [ -n "${pg_stop:-}" ] && eval "$pg_stop"; rm -rf "$work"; }
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
db_url() {
  if [ "$backend" != postgres ]; then mkdir -p "$work/$1"; echo "sqlite://$work/$1/loupe.db?mode=rwc"; return; fi
  if [ -z "$pg_port" ]; then echo "$BENCH_DATABASE_URL"; return; fi
  psql -q -h 127.0.0.1 -p "$pg_port" -U postgres -c "CREATE DATABASE $1" postgres >/dev/null
  echo "postgres://postgres@127.0.0.1:$pg_port/$1"
}
echo "backend=$backend cpus=$(nproc) date=$(date -u +%Y-%m-%d)"
echo "== Ingestion, heatmaps off vs on (prepare + store_all, no HTTP)"
"$target/release/heatmaps-bench" ingest "$(db_url ingest)" "$batches" 64 50
echo "== heatmap query over 100k page views of one page (30 days)"
"$target/release/heatmaps-bench" query "$(db_url query)" 100000 30 30
