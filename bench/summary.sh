#!/usr/bin/env bash
# `survey.summary` (unfiltered; device, date, answer and segment filters) against the
# reference join path in the same run, and `responses(first: 50)` with a segment filter,
# on SQLite and on PostgreSQL, at each size given (a fresh database per size).
#   bench/summary.sh [sqlite|postgres|both] [sizes="100000 1000000"] [runs=30]
set -euo pipefail
cd "$(dirname "$0")/.."
which=${1:-both}; sizes=${2:-"100000 1000000"}; runs=${3:-30}
[ -n "${BENCH_SKIP_BUILD:-}" ] || cargo build --release -q -p loupe-bench --bin summary-bench
bin=${CARGO_TARGET_DIR:-target}/release/summary-bench
work=$(mktemp -d); pg_stop=""
trap 'eval "$pg_stop"; rm -rf "$work"' EXIT
if [ "$which" != sqlite ]; then
  pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  as_pg=(); if [ "$(id -u)" = 0 ]; then chown postgres: "$work"; as_pg=(runuser -u postgres --); fi
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  "${as_pg[@]}" "$pg_bin/initdb" -D "$work/pg" -U postgres -A trust >/dev/null
  "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$work/pg" -l "$work/pg.log" -w -o "-p $port -k $work -c listen_addresses=127.0.0.1" start >/dev/null
  pg_stop="${as_pg[*]} $pg_bin/pg_ctl -D $work/pg -m fast stop >/dev/null"
fi
for n in $sizes; do
  if [ "$which" != postgres ]; then
    echo "== SQLite, $n responses"
    "$bin" "sqlite://$work/bench-$n.db?mode=rwc" "$n" "$runs"
    rm -f "$work/bench-$n.db"*
  fi
  if [ "$which" != sqlite ]; then
    echo "== PostgreSQL, $n responses"
    "${as_pg[@]}" "$pg_bin/psql" -q -h "$work" -p "$port" -U postgres -c "CREATE DATABASE bench_$n" >/dev/null
    "$bin" "postgres://postgres@127.0.0.1:$port/bench_$n" "$n" "$runs"
    "${as_pg[@]}" "$pg_bin/psql" -q -h "$work" -p "$port" -U postgres -c "DROP DATABASE bench_$n" >/dev/null
  fi
done
