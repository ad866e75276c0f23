#!/usr/bin/env bash
# Segment filtering time over 100k identified users, on SQLite and on PostgreSQL.
#   bench/segment_sql.sh [sqlite|postgres|both] [users=100000] [runs=30]
# SEGMENT_BENCH_EXPLAIN=1 also prints the count query's plan; SEGMENT_BENCH_ANALYZE=1 runs
# ANALYZE on SQLite before timing (PostgreSQL is always vacuumed and analysed, as autovacuum
# would after a bulk load).
set -euo pipefail
cd "$(dirname "$0")/.."
which=${1:-both}; n=${2:-100000}; runs=${3:-30}
[ -n "${BENCH_SKIP_BUILD:-}" ] || cargo build --release -q -p loupe-bench --bin segment-sql-bench
work=$(mktemp -d); pg_stop=""
trap 'eval "$pg_stop"; rm -rf "$work"' EXIT
if [ "$which" != postgres ]; then
  echo "== SQLite"; target/release/segment-sql-bench "sqlite://$work/bench.db?mode=rwc" "$n" "$runs"
fi
if [ "$which" != sqlite ]; then
  pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  as_pg=(); if [ "$(id -u)" = 0 ]; then chown postgres: "$work"; as_pg=(runuser -u postgres --); fi
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  "${as_pg[@]}" "$pg_bin/initdb" -D "$work/pg" -U postgres -A trust >/dev/null
  "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$work/pg" -l "$work/pg.log" -w -o "-p $port -k $work -c listen_addresses=127.0.0.1" start >/dev/null
  pg_stop="${as_pg[*]} $pg_bin/pg_ctl -D $work/pg -m fast stop >/dev/null"
  echo "== PostgreSQL"; target/release/segment-sql-bench "postgres://postgres@127.0.0.1:$port/postgres" "$n" "$runs"
fi
