#!/usr/bin/env bash
# Drops the databases that PostgreSQL test runs create (souk_t_*).
set -euo pipefail
pg="${SOUK_TEST_PG:-postgres://postgres@127.0.0.1:5432/postgres}"
pg_isready -d "$pg" -q 2>/dev/null || exit 0
psql "$pg" -Atqc "SELECT datname FROM pg_database WHERE datname LIKE 'souk\_t\_%'" |
  while read -r db; do psql "$pg" -qc "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" >/dev/null; done
