#!/usr/bin/env bash
# Runs every test: once on SQLite, and once more on PostgreSQL when a
# server answers at SOUK_TEST_PG (default postgres://postgres@127.0.0.1:5432/postgres),
# then schemathesis against the OpenAPI document (scripts/schemathesis.sh),
# then the browser tests in Chromium (installed by scripts/e2e-setup.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/souk-target}"

command -v cargo-nextest >/dev/null || cargo install --locked cargo-nextest

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
