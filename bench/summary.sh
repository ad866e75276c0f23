#!/usr/bin/env bash
# `survey.summary` time over 100k responses, on SQLite and on PostgreSQL.
#   bench/summary.sh [sqlite|postgres|both] [responses=100000] [runs=30]
set -euo pipefail
cd "$(dirname "$0")/.."
which=${1:-both}; n=${2:-100000}; runs=${3:-30}
cargo build --release -q -p loupe-bench --bin summary-bench
work=$(mktemp -d); pg_stop=""
trap 'eval "$pg_stop"; rm -rf "$work"' EXIT
if [ "$which" != postgres ]; then
  echo "== SQLite"; target/release/summary-bench "sqlite://$work/bench.db?mode=rwc" "$n" "$runs"
fi
if [ "$which" != sqlite ]; then
  pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  as_pg=(); if [ "$(id -u)" = 0 ]; then chown postgres: "$work"; as_pg=(runuser -u postgres --); fi
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  "${as_pg[@]}" "$pg_bin/initdb" -D "$work/pg" -U postgres -A trust >/dev/null
  "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$work/pg" -l "$work/pg.log" -w -o "-p $port -k $work -c listen_addresses=127.0.0.1" start >/dev/null
  pg_stop="${as_pg[*]} $pg_bin/pg_ctl -D $work/pg -m fast stop >/dev/null"
  echo "== PostgreSQL"; target/release/summary-bench "postgres://postgres@127.0.0.1:$port/postgres" "$n" "$runs"
fi
