#!/usr/bin/env bash
# Seller panel benchmark: one seller with many orders (copies of the demo
# orders, `souk seed --seller-orders N`), its order list and ledger through
# the API and the HTML panel, wrk at 16 connections, against the release
# build.
#
#   scripts/bench-seller.sh sqlite|postgres [orders] [seconds]
#
# REUSE=1 measures the shop the last run seeded (same backend) without
# seeding it again; ONLY=regex runs the scenarios whose names match.
set -euo pipefail
cd "$(dirname "$0")/.."
backend="${1:-sqlite}"
orders="${2:-100000}"
seconds="${3:-20}"
connections=16
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/souk-target}"
command -v wrk >/dev/null || { apt-get install -y wrk >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y wrk >/dev/null; }; }
cargo build --release --locked -q
souk="$CARGO_TARGET_DIR/release/souk"
work=/tmp/souk-bench-seller
reuse="${REUSE:-}"
[ -n "$reuse" ] || { rm -rf "$work" && mkdir -p "$work"; }
port=18082
base="http://127.0.0.1:$port"

case "$backend" in
  sqlite)
    export SOUK_DATABASE_URL="sqlite://$work/shop.db"
    sql() { sqlite3 "$work/shop.db" "$1"; } ;;
  postgres)
    if [ -z "$reuse" ]; then
      psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS souk_bench_seller WITH (FORCE)" >/dev/null
      psql -h 127.0.0.1 -U postgres -qc "CREATE DATABASE souk_bench_seller" >/dev/null
    fi
    export SOUK_DATABASE_URL="postgres://postgres@127.0.0.1:5432/souk_bench_seller"
    sql() { psql "$SOUK_DATABASE_URL" -Atqc "$1"; } ;;
  *) echo "usage: $0 sqlite|postgres [orders] [seconds]" >&2; exit 2 ;;
esac

if [ -z "$reuse" ]; then
  start=$(date +%s)
  SOUK_LOG=warn "$souk" seed --seller-orders "$orders" >/dev/null
  echo "seeded in $(( $(date +%s) - start )) s"
fi
email=seller-northwind-ceramics@example.com
password=seller-password-1
SOUK_LOG=warn "$souk" user create --email "$email" --password "$password" --role seller >/dev/null || [ -n "$reuse" ]
seller=$(sql "SELECT id FROM sellers WHERE slug = 'northwind-ceramics'")
echo "the seller's orders: $(sql "SELECT COUNT(DISTINCT order_id) FROM order_items WHERE seller_id = $seller"); ledger entries: $(sql "SELECT COUNT(*) FROM seller_ledger WHERE seller_id = $seller")"

SOUK_LOG=warn SOUK_ADDR="127.0.0.1:$port" "$souk" serve --no-demo >"$work/serve.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do curl -fs "$base/healthz" >/dev/null && break; sleep 0.1; done

# A bearer token for the API, and a signed-in page session for the panel.
token=$(curl -fs -H 'content-type: application/json' \
  -d "{\"email\":\"$email\",\"password\":\"$password\"}" "$base/api/v1/auth/login" |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["access_token"])')
jar="$work/cookies"
csrf=$(curl -fs -c "$jar" "$base/login" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -1)
curl -fs -o /dev/null -b "$jar" -c "$jar" -H "Origin: $base" \
  --data-urlencode "csrf=$csrf" --data-urlencode "email=$email" --data-urlencode "password=$password" \
  "$base/login"
cookies=$(sed 's/^#HttpOnly_//' "$jar" | awk '!/^#/ && NF >= 7 && $6 != "souk_flash" {printf "%s%s=%s", sep, $6, $7; sep="; "}')
year=$(date -u +%Y)

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
db_ticks() {
  local sum=0 p
  for p in $(pgrep -x postgres); do sum=$(( sum + $(cpu_ticks "$p") )); done
  echo "$sum"
}

run() { # name path header
  local name="$1" path="$2" header="$3" out
  local status
  [[ "$name" =~ ${ONLY:-.} ]] || return 0
  status=$(curl -s -o /dev/null -w '%{http_code}' -H "$header" "$base$path")
  [ "$status" = 200 ] || { echo "| $backend | $name | answered $status |"; return; }
  local souk_before db_before
  souk_before=$(cpu_ticks "$pid")
  db_before=$(db_ticks)
  out=$(wrk -t2 -c"$connections" -d"${seconds}s" --latency -H "$header" "$base$path")
  local rps p50 p99 errors requests souk_ms db_ms
  rps=$(awk '/Requests\/sec/ {printf "%d", $2}' <<<"$out")
  p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
  errors=$(awk '/Non-2xx|Socket errors/ {print}' <<<"$out" | tr '\n' ' ')
  requests=$(awk '/requests in/ {print $1}' <<<"$out")
  # CPU spent per request by souk and by PostgreSQL's processes (ticks of
  # 10 ms; SQLite runs inside souk).
  souk_ms=$(awk -v t="$(( $(cpu_ticks "$pid") - souk_before ))" -v n="$requests" 'BEGIN {printf "%.2f", t * 10 / n}')
  db_ms=$(awk -v t="$(( $(db_ticks) - db_before ))" -v n="$requests" 'BEGIN {printf "%.2f", t * 10 / n}')
  echo "| $backend | $name | $rps | $p50 | $p99 | $souk_ms ms | $db_ms ms | ${errors:-none} |"
}

api="Authorization: Bearer $token"
page="Cookie: $cookies"
echo
echo "| backend | scenario | req/s | p50 | p99 | souk CPU/req | PostgreSQL CPU/req | errors |"
echo "|---|---|---|---|---|---|---|---|"
run "API orders, first page" "/api/v1/seller/orders" "$api"
run "API orders, page 2,000" "/api/v1/seller/orders?page=2000" "$api"
run "API ledger, first page" "/api/v1/seller/ledger" "$api"
run "API ledger, a year, page 500" "/api/v1/seller/ledger?from=$((year - 1))-01-01&to=$year-12-31&page=500" "$api"
run "API balance" "/api/v1/seller/balance" "$api"
run "HTML orders" "/seller/orders" "$page"
run "HTML money (balance, payouts, ledger)" "/seller/money" "$page"
run "HTML dashboard" "/seller" "$page"
echo
echo "server peak resident memory: $(awk '/VmHWM/ {printf "%.0f MB", $2/1024}' /proc/$pid/status)"
