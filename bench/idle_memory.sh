#!/usr/bin/env bash
# Idle memory (issue 18: < 80 MB RSS): starts the release `loupe serve` on an empty SQLite
# database, waits until it is idle, and prints its VmRSS; then the sentiment worker's
# (`loupe-sentiment worker`, started the way `serve` starts it once answers wait: its model
# loaded, no job), measured on its own.
#   bench/idle_memory.sh [settle_seconds=5]
# PEER_REV=<git revision>: also measures that revision's `loupe` the same way in the same run
# (built once in release mode from a `git worktree` under the target dir, then cached), e.g.
# PEER_REV=b0aac18, the last commit whose server linked libtorch. PEER_BIN=<path> measures a
# binary you built yourself instead.
set -euo pipefail
cd "$(dirname "$0")/.."
settle=${1:-5}
target=$(realpath -m "${CARGO_TARGET_DIR:-target}")
[ "${BENCH_SKIP_BUILD:-}" = 1 ] || cargo build --release -q -p api --bin loupe -p sentiment-worker --bin loupe-sentiment

peer=${PEER_BIN:-}
if [ -z "$peer" ] && [ -n "${PEER_REV:-}" ]; then
  rev=$(git rev-parse --short "$PEER_REV")
  peer="$target/peer/loupe-$rev"
  if [ ! -x "$peer" ]; then
    src="$target/peer/src-$rev"
    [ -d "$src" ] || git worktree add -q --detach "$src" "$rev"
    # The peer builds against the same libtorch and model (scripts/setup's .cache).
    mkdir -p "$src/.cache"
    for d in libtorch sentiment-model; do ln -sfn "$(realpath .cache/$d)" "$src/.cache/$d"; done
    (cd "$src" && CARGO_TARGET_DIR="$target" cargo build --release -q -p api --bin loupe)
    cp "$target/release/loupe" "$peer"
    # The peer's build replaced our loupe: build ours again (only its last crates).
    cargo build --release -q -p api --bin loupe
  fi
fi

work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# VmRSS in MB (the largest of three samples one second apart, after `settle` seconds).
rss_mb() {
  local pid=$1 max=0 kb
  sleep "$settle"
  for _ in 1 2 3; do
    kb=$(awk '/^VmRSS/ {print $2}' "/proc/$pid/status")
    [ "$kb" -gt "$max" ] && max=$kb
    sleep 1
  done
  awk -v kb="$max" 'BEGIN {printf "%.1f", kb / 1024}'
}

# Starts a server binary on a fresh SQLite database; prints its VmRSS once idle.
serve_rss() {
  local bin=$1 dir
  dir=$(mktemp -d "$work/data-XXXX")
  LOUPE_DATA_DIR="$dir" LOUPE_BIND=127.0.0.1:0 RUST_LOG=warn "$bin" serve >"$dir/out" 2>"$dir/err" &
  local pid=$!
  pids+=("$pid")
  for _ in $(seq 1 600); do
    grep -q "^Loupe listening on" "$dir/out" 2>/dev/null && break
    kill -0 "$pid" 2>/dev/null || { cat "$dir/err" >&2; return 1; }
    sleep 0.1
  done
  grep -q "^Loupe listening on" "$dir/out" || { echo "$bin did not start" >&2; return 1; }
  local mb libtorch=no
  mb=$(rss_mb "$pid")
  grep -q libtorch_cpu "/proc/$pid/maps" && libtorch=yes
  kill "$pid"
  echo "$mb MB (maps libtorch: $libtorch)"
}

echo "== idle memory, empty SQLite database, ${settle} s to settle ($(nproc) cores)"
echo "loupe serve (this build): $(serve_rss "$target/release/loupe")"
if [ -n "$peer" ]; then
  echo "peer loupe serve ($(basename "$peer")): $(serve_rss "$peer")"
fi

# The worker as `serve` starts it: supervised, its stdin a pipe this script holds open.
dir=$(mktemp -d "$work/worker-XXXX")
mkfifo "$dir/in"
LOUPE_DATA_DIR="$dir" RUST_LOG=info "$target/release/loupe-sentiment" worker --supervised <"$dir/in" >/dev/null 2>"$dir/err" &
wpid=$!
pids+=("$wpid")
exec 3>"$dir/in"
for _ in $(seq 1 600); do
  grep -q "sentiment worker running" "$dir/err" && break
  kill -0 "$wpid" 2>/dev/null || { cat "$dir/err" >&2; exit 1; }
  sleep 0.1
done
echo "worker loupe-sentiment (model loaded, idle): $(rss_mb "$wpid") MB"
