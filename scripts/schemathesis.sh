#!/usr/bin/env bash
# Tries the API as an integrator would: schemathesis (pinned, installed by
# scripts/schemathesis-setup.sh) generates requests from
# /api/v1/openapi.json against a fresh demo shop, with every check and every
# phase, signed in as a customer for the store, as a seller for the seller's
# operations and as staff for the admin ones. Any failure fails the script.
#
#   scripts/schemathesis.sh                 # CI budget: SECONDS_PER_AUDIENCE=60
#   SECONDS_PER_AUDIENCE=900 scripts/schemathesis.sh   # a longer hunt
#   SCHEMATHESIS_SEED=7 scripts/schemathesis.sh        # another fixed seed
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/souk-target}"

seconds="${SECONDS_PER_AUDIENCE:-60}"
seed="${SCHEMATHESIS_SEED:-20261202}"
st="$(scripts/schemathesis-setup.sh)"
cargo build --locked --bin souk
souk="$CARGO_TARGET_DIR/debug/souk"

work="$(mktemp -d)"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
export SOUK_DATABASE_URL="sqlite://$work/souk.db"
export SOUK_ADDR="127.0.0.1:$port"
export SOUK_MAIL_DIR="$work/mail"
export SOUK_STORAGE_DIR="$work/files"
export SOUK_ACCESS_TOKEN_MINUTES=120
export SOUK_LOG=warn
"$souk" migrate >/dev/null
"$souk" seed --demo >/dev/null
# The seller is one of the demo shop's, which has a shop and products.
declare -A emails=(
  [customer]=st-customer@example.com
  [seller]=seller-northwind-ceramics@example.com
  [admin]=st-admin@example.com
)
for role in customer seller admin; do
  "$souk" user create --email "${emails[$role]}" --password 'correct horse battery' \
    --role "$role" >/dev/null
done
"$souk" serve --no-demo >"$work/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$work"' EXIT
base="http://$SOUK_ADDR"
for _ in $(seq 1 100); do
  curl -fs "$base/readyz" >/dev/null 2>&1 && break
  sleep 0.2
done

token() {
  curl -fs -X POST "$base/api/v1/auth/login" -H 'content-type: application/json' \
    -d "{\"email\": \"${emails[$1]}\", \"password\": \"correct horse battery\"}" |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["access_token"])'
}

# Sign in first: generated sign-ins soon make this client wait (429).
declare -A tokens
for role in customer seller admin; do
  tokens[$role]="$(token "$role")"
  [ -n "${tokens[$role]}" ] || { echo "could not sign in as $role" >&2; exit 1; }
done

failed=0
run() {
  local who="$1" paths="$2" phases="${3:-examples,coverage,fuzzing,stateful}"
  echo "== schemathesis as $who: $paths ($seconds s, seed $seed)"
  "$st" --config-file schemathesis.toml run "$base/api/v1/openapi.json" \
    --checks all \
    --phases "$phases" \
    --include-path-regex "$paths" \
    -H "Authorization: Bearer ${tokens[$who]}" \
    --max-time "$seconds" \
    --seed "$seed" \
    --workers 1 \
    --no-color \
    --report junit --report-dir "$work/reports-$who" ||
    failed=1
}

run customer '^/api/v1/(auth|store|payments)/'
# The seller's one operation reads; no sequence of calls to follow.
run seller '^/api/v1/seller/' examples,coverage,fuzzing
run admin '^/api/v1/admin/'

if grep -q "panicked" "$work/server.log"; then
  echo "== the server panicked:" >&2
  grep -A5 "panicked" "$work/server.log" >&2
  failed=1
fi
exit "$failed"
