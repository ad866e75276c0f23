#!/usr/bin/env bash
# Several Loupe nodes on one machine, as they run in production but on loopback:
# PostgreSQL + Redis + N `loupe serve` nodes + haproxy (deploy/haproxy.cfg), all from
# Debian packages (apt-get install postgresql redis-server haproxy) and a release build.
#
#   deploy/cluster.sh [nodes=2] [port=8080]     (LOUPE_BIN=path skips the build)
#
# Loupe answers on http://127.0.0.1:<port>; the first node prints the one-time credentials
# and setup link. Ctrl-C stops everything and deletes the data (a throwaway cluster).
set -euo pipefail
cd "$(dirname "$0")/.."
nodes=${1:-2}
port=${2:-8080}
for bin in redis-server haproxy; do
  command -v "$bin" >/dev/null 2>&1 || [ -x "/usr/sbin/$bin" ] || { echo "needs $bin (apt-get install $bin)" >&2; exit 1; }
done
pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -n "$pg_bin" ] || { echo "needs PostgreSQL (apt-get install postgresql)" >&2; exit 1; }
# LOUPE_BIN: a loupe binary to use instead of a fresh release build.
if [ -z "${LOUPE_BIN:-}" ]; then cargo build --release -q -p api --bin loupe; fi
loupe=${LOUPE_BIN:-${CARGO_TARGET_DIR:-target}/release/loupe}

work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  [ -n "${pg_stop:-}" ] && eval "$pg_stop"
  rm -rf "$work"
}
trap cleanup EXIT INT TERM
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

as_pg=(); if [ "$(id -u)" = 0 ]; then chown postgres: "$work"; as_pg=(runuser -u postgres --); fi
pg_port=$(free_port)
"${as_pg[@]}" "$pg_bin/initdb" -D "$work/pg" -U postgres -A trust >/dev/null
"${as_pg[@]}" "$pg_bin/pg_ctl" -D "$work/pg" -l "$work/pg.log" -w -o "-p $pg_port -k $work -c listen_addresses=127.0.0.1" start >/dev/null
pg_stop="${as_pg[*]} $pg_bin/pg_ctl -D $work/pg -m fast stop >/dev/null"

redis_port=$(free_port)
redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no >"$work/redis.log" 2>&1 &
pids+=($!)

export DATABASE_URL="postgres://postgres@127.0.0.1:$pg_port/postgres"
export LOUPE_REDIS_URL="redis://127.0.0.1:$redis_port/0"
export LOUPE_JWT_SECRET
LOUPE_JWT_SECRET=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
export LOUPE_DRAIN_MS=1500
export LOUPE_TRUSTED_PROXIES=127.0.0.1   # haproxy: its X-Forwarded-For names the caller
export LOUPE_PUBLIC_URL="http://127.0.0.1:$port"

servers=""
for i in $(seq 1 "$nodes"); do
  p=$(free_port)
  mkdir -p "$work/node$i"
  LOUPE_DATA_DIR="$work/node$i" LOUPE_BIND="127.0.0.1:$p" "$loupe" serve &
  pids+=($!)
  servers+="    server node$i 127.0.0.1:$p check"$'\n'
done
sed -e "s/bind \*:8080/bind 127.0.0.1:$port/" -e '/^    server /d' deploy/haproxy.cfg >"$work/haproxy.cfg"
printf '%s' "$servers" >>"$work/haproxy.cfg"
haproxy=$(command -v haproxy || echo /usr/sbin/haproxy)
"$haproxy" -db -f "$work/haproxy.cfg" &
pids+=($!)
echo "Loupe: $nodes nodes behind haproxy on http://127.0.0.1:$port (PostgreSQL :$pg_port, Redis :$redis_port). Ctrl-C stops."
wait
