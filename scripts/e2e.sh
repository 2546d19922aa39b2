#!/usr/bin/env bash
# Browser tests: builds souk, starts it on a fresh SQLite shop with the
# demo data and a staff account, and runs the Playwright tests in Debian's
# Chromium against it. Screenshots land in e2e/screenshots/ (ignored by git).
# Arguments name test files of e2e/ to run (default: all of them).
set -euo pipefail
cd "$(dirname "$0")/.."

export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/souk-target}"
scripts/e2e-setup.sh
cargo build --locked --bin souk

work="$(mktemp -d)"
port="${SOUK_E2E_PORT:-$(python3 -c "import socket; s = socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])")}"
export SOUK_DATABASE_URL="sqlite://$work/shop.db?mode=rwc"
export SOUK_MAIL_DIR="$work/mail"
export SOUK_STORAGE_DIR="$work/files"
export SOUK_ADDR="127.0.0.1:$port"
export SOUK_PUBLIC_URL="http://127.0.0.1:$port"
export SOUK_LOG="${SOUK_LOG:-warn}"
souk="$CARGO_TARGET_DIR/debug/souk"

"$souk" migrate
"$souk" seed --demo
"$souk" user create --email staff@example.com --password 'staff-password-1' --role admin --name Staff
"$souk" user create --email seller-northwind-ceramics@example.com --password 'seller-password-1' --role seller --name 'Northwind Ceramics'
"$souk" serve --no-demo > "$work/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 50); do
  curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break
  sleep 0.2
done

cd e2e
[ "$#" -gt 0 ] || set -- ./*.test.js
mkdir -p screenshots
SOUK_URL="http://127.0.0.1:$port" node --test --test-concurrency=1 "$@" || {
  echo "--- server log ---"; tail -50 "$work/server.log"; exit 1;
}
