#!/usr/bin/env bash
# Checkout benchmark: buyers who fill their cart (one unit, or one unit from
# the shop and each of two sellers) and check out,
# for a while, against the release build; then a check that no unit was
# oversold; and beside it the machine's physical limit for the backend
# (pgbench simple-update, or one-row commits on SQLite with souk's pragmas).
#
#   scripts/bench-checkout.sh sqlite|postgres [buyers] [seconds]
set -euo pipefail
cd "$(dirname "$0")/.."
backend="${1:-sqlite}"
buyers="${2:-64}"
seconds="${3:-30}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/souk-target}"
cargo build --release --locked -q
cargo build --release -q --manifest-path tools/loadgen/Cargo.toml
souk="$CARGO_TARGET_DIR/release/souk"
loadgen="$CARGO_TARGET_DIR/release/souk-loadgen"
work=/tmp/souk-bench-checkout
rm -rf "$work" && mkdir -p "$work"
port=18081

case "$backend" in
  sqlite)
    export SOUK_DATABASE_URL="sqlite://$work/shop.db"
    sql() { sqlite3 "$work/shop.db" "$1"; } ;;
  postgres)
    psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS souk_bench_checkout WITH (FORCE)" >/dev/null
    psql -h 127.0.0.1 -U postgres -qc "CREATE DATABASE souk_bench_checkout" >/dev/null
    export SOUK_DATABASE_URL="postgres://postgres@127.0.0.1:5432/souk_bench_checkout"
    sql() { psql "$SOUK_DATABASE_URL" -Atqc "$1"; } ;;
  *) echo "usage: $0 sqlite|postgres [buyers] [seconds]" >&2; exit 2 ;;
esac

SOUK_LOG=warn "$souk" seed --benchmark 400 >/dev/null
stock=1000000
sql "UPDATE variants SET stock_on_hand = $stock"
sql "UPDATE products SET in_stock = TRUE"

SOUK_LOG=warn SOUK_ADDR="127.0.0.1:$port" "$souk" serve --no-demo >"$work/serve.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done

spread=$(sql "SELECT id FROM variants ORDER BY id LIMIT 1000" | paste -sd, -)
one=$(sql "SELECT id FROM variants ORDER BY id DESC LIMIT 1")
scarce=$(sql "SELECT id FROM variants ORDER BY id DESC LIMIT 1 OFFSET 1")
sql "UPDATE variants SET stock_on_hand = 500 WHERE id = $scarce"
# Carts of one unit from the shop and from each of two sellers (Northwind
# with its own shipping method, Ridgeline with the shop's): three parcels.
whose() { sql "SELECT v.id FROM variants v JOIN products p ON p.id = v.product_id WHERE $1 ORDER BY v.id LIMIT 300"; }
mapfile -t shop_v < <(whose "p.seller_id IS NULL")
mapfile -t north_v < <(whose "p.seller_id = (SELECT id FROM sellers WHERE slug = 'northwind-ceramics')")
mapfile -t ridge_v < <(whose "p.seller_id = (SELECT id FROM sellers WHERE slug = 'ridgeline-outfitters')")
carts=()
same=()
n=${#shop_v[@]}
for i in $(seq 0 299); do
  carts+=("${shop_v[i % n]}+${north_v[i % ${#north_v[@]}]}+${ridge_v[i % ${#ridge_v[@]}]}")
  # The same three lines' work from one seller: the shop's own products.
  same+=("${shop_v[(3 * i) % n]}+${shop_v[(3 * i + 1) % n]}+${shop_v[(3 * i + 2) % n]}")
done
mixed=$(IFS=,; echo "${carts[*]}")
one_seller=$(IFS=,; echo "${same[*]}")

echo "| backend | scenario | orders | orders/s | p50 | p99 | 409 | errors |"
echo "|---|---|---|---|---|---|---|---|"
report() { # name output
  local line="$2"
  get() { sed -n "s/.*$1=\([^ ]*\).*/\1/p" <<<"$line"; }
  echo "| $backend | $1 | $(get orders) | $(get orders_per_sec) | $(get p50_ms) ms | $(get p99_ms) ms | $(get refused_409) | $(get failed) |"
}
report "1,000 variants" "$("$loadgen" "http://127.0.0.1:$port" "$buyers" "$seconds" "$spread")"
report "one variant (contention)" "$("$loadgen" "http://127.0.0.1:$port" "$buyers" "$seconds" "$one")"
report "one variant, 500 in stock" "$("$loadgen" "http://127.0.0.1:$port" "$buyers" 10 "$scarce")"
report "three lines of the shop per cart (1 parcel)" "$("$loadgen" "http://127.0.0.1:$port" "$buyers" "$seconds" "$one_seller")"
report "shop + two sellers per cart (3 parcels)" "$("$loadgen" "http://127.0.0.1:$port" "$buyers" "$seconds" "$mixed")"
kill $pid; wait $pid 2>/dev/null || true

echo
# Every unit that left the shelf is in exactly one order line, and no
# stock went below zero.
negative=$(sql "SELECT COUNT(*) FROM variants WHERE stock_on_hand < 0")
mismatch=$(sql "SELECT COUNT(*) FROM variants v WHERE v.stock_on_hand + COALESCE((SELECT SUM(quantity) FROM order_items i WHERE i.variant_id = v.id), 0) <> CASE WHEN v.id = $scarce THEN 500 ELSE $stock END AND v.id IN ($spread,$one,$scarce,${mixed//+/,},${one_seller//+/,})")
# Every order's shipping is the sum of its parcels'.
parcels=$(sql "SELECT COUNT(*) FROM orders o WHERE o.shipping_total <> (SELECT COALESCE(SUM(f.shipping_total), 0) FROM fulfilments f WHERE f.order_id = o.id)")
scarce_sold=$(sql "SELECT COALESCE(SUM(quantity), 0) FROM order_items WHERE variant_id = $scarce")
echo "oversell check: variants below zero: $negative; variants whose stock + units ordered differ from the start: $mismatch; units sold of the 500 in stock: $scarce_sold; orders whose parcels' shipping differs from theirs: $parcels"

echo
case "$backend" in
  postgres)
    psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS souk_bench_pgbench WITH (FORCE)" >/dev/null
    psql -h 127.0.0.1 -U postgres -qc "CREATE DATABASE souk_bench_pgbench" >/dev/null
    pgbench -h 127.0.0.1 -U postgres -i -q -s 10 souk_bench_pgbench >/dev/null 2>&1
    tps=$(pgbench -h 127.0.0.1 -U postgres -b simple-update -c "$buyers" -j 2 -T "$seconds" souk_bench_pgbench 2>/dev/null | awk '/^tps/ {printf "%d", $3}')
    echo "physical limit: pgbench simple-update, $buyers clients, ${seconds}s: $tps transactions/s" ;;
  sqlite)
    rate=$(python3 - "$work/commits.db" <<'PY'
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], isolation_level=None)
for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "foreign_keys=ON", "busy_timeout=10000"):
    db.execute(f"PRAGMA {pragma}")
db.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER)")
n, end = 0, time.time() + 10
while time.time() < end:
    db.execute("BEGIN IMMEDIATE"); db.execute("INSERT INTO t (v) VALUES (?)", (n,)); db.execute("COMMIT"); n += 1
print(int(n / 10))
PY
)
    echo "physical limit: one-row commits on SQLite (WAL, synchronous=NORMAL, BEGIN IMMEDIATE), one writer: $rate commits/s" ;;
esac
