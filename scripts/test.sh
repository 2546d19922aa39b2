#!/usr/bin/env bash
# Runs every test: once on SQLite, and once more on PostgreSQL when a
# server answers at SOUK_TEST_PG (default postgres://postgres@127.0.0.1:5432/postgres),
# then schemathesis against the OpenAPI document (scripts/schemathesis.sh),
# then the browser tests in Chromium (installed by scripts/e2e-setup.sh).
# The photo store's S3 path is tested against moto's server mode
# (scripts/moto-setup.sh), started here on a free loopback port; its
# address reaches the tests in SOUK_TEST_S3_ENDPOINT.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/souk-target}"

command -v cargo-nextest >/dev/null || cargo install --locked cargo-nextest

moto="$(scripts/moto-setup.sh)"
s3_port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
$moto -H 127.0.0.1 -p "$s3_port" >/dev/null 2>&1 &
moto_pid=$!
trap 'kill "$moto_pid" 2>/dev/null || true' EXIT
export SOUK_TEST_S3_ENDPOINT="http://127.0.0.1:$s3_port"
export SOUK_TEST_S3_BUCKET="souk-test"
for _ in $(seq 1 100); do
  curl -fsS -o /dev/null -X PUT "$SOUK_TEST_S3_ENDPOINT/$SOUK_TEST_S3_BUCKET" 2>/dev/null && break
  sleep 0.1
done
curl -fsS -o /dev/null "$SOUK_TEST_S3_ENDPOINT/$SOUK_TEST_S3_BUCKET" || { echo "moto did not start" >&2; exit 1; }
echo "== S3-compatible server (moto) at $SOUK_TEST_S3_ENDPOINT"

echo "== tests on SQLite"
SOUK_TEST_DATABASE_URL= cargo nextest run --workspace --locked --no-fail-fast

pg="${SOUK_TEST_PG:-postgres://postgres@127.0.0.1:5432/postgres}"
if pg_isready -d "$pg" -q 2>/dev/null; then
  echo "== tests on PostgreSQL ($pg)"
  SOUK_TEST_DATABASE_URL="$pg" cargo nextest run --workspace --locked --no-fail-fast
  scripts/drop-test-databases.sh
else
  echo "== PostgreSQL is not answering at $pg: the PostgreSQL run was skipped" >&2
  [ -z "${CI:-}" ] || exit 1
fi

echo "== the OpenAPI document against schemathesis"
scripts/schemathesis.sh

echo "== browser tests (Chromium)"
scripts/e2e.sh
