# Sourced by bench scripts: `start_pg DIR` starts a throwaway PostgreSQL cluster in DIR on a
# free port (as the postgres user when run as root), sets PG_URL, and stops it on exit.
start_pg() {
  local dir=$1 pg_bin port
  pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  local as_pg=()
  if [ "$(id -u)" = 0 ]; then chown postgres: "$dir"; as_pg=(runuser -u postgres --); fi
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  "${as_pg[@]}" "$pg_bin/initdb" -D "$dir/pg" -U postgres -A trust >/dev/null
  "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$dir/pg" -l "$dir/pg.log" -w \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1" start >/dev/null
  PG_STOP="${as_pg[*]} $pg_bin/pg_ctl -D $dir/pg -m fast stop >/dev/null"
  PG_URL="postgres://postgres@127.0.0.1:$port/postgres"
}
