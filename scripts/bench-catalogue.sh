#!/usr/bin/env bash
# Catalogue benchmark: a generated catalogue of 100,000 products (about
# 300,000 variants), the release build, wrk at 64 connections; the JSON
# API and the storefront's HTML pages.
#
#   scripts/bench-catalogue.sh sqlite|postgres [products] [seconds]
#
# Prints one Markdown table row per scenario and the server's peak memory.
set -euo pipefail
cd "$(dirname "$0")/.."
backend="${1:-sqlite}"
products="${2:-100000}"
seconds="${3:-20}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/souk-target}"
command -v wrk >/dev/null || { apt-get install -y wrk >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y wrk >/dev/null; }; }

cargo build --release --locked -q
souk="$CARGO_TARGET_DIR/release/souk"
work=/tmp/souk-bench
mkdir -p "$work"
port=18080
case "$backend" in
  sqlite)
    db="$work/catalogue-$products.db"
    export SOUK_DATABASE_URL="sqlite://$db"
    fresh=0; [ -f "$db" ] || fresh=1 ;;
  postgres)
    name="souk_bench_$products"
    export SOUK_DATABASE_URL="postgres://postgres@127.0.0.1:5432/$name"
    fresh=0
    if ! psql -h 127.0.0.1 -U postgres -Atqc "SELECT 1 FROM pg_database WHERE datname = '$name'" | grep -q 1; then
      psql -h 127.0.0.1 -U postgres -qc "CREATE DATABASE $name"; fresh=1
    fi ;;
  *) echo "usage: $0 sqlite|postgres [products] [seconds]" >&2; exit 2 ;;
esac
if [ "$fresh" = 1 ]; then
  start=$(date +%s)
  SOUK_LOG=warn "$souk" seed --benchmark "$products"
  echo "seeded in $(( $(date +%s) - start )) s" >&2
  [ "$backend" = postgres ] && psql "$SOUK_DATABASE_URL" -qc "VACUUM ANALYZE" >/dev/null
fi

SOUK_LOG=warn SOUK_ADDR="127.0.0.1:$port" "$souk" serve --no-demo >"$work/serve.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done

base="http://127.0.0.1:$port/api/v1/store"
# Slugs of 2,000 products spread over the catalogue, for product pages.
: >"$work/slugs.txt"
for page in $(seq 1 40 800); do
  curl -fs "$base/products?per_page=50&page=$page&sort=price_asc" | python3 -c '
import json, sys
for item in json.load(sys.stdin)["items"]:
    print(item["slug"])' >>"$work/slugs.txt"
done
for prefix in api html; do
  path=/api/v1/store/products/; [ "$prefix" = html ] && path=/products/
  cat >"$work/slugs-$prefix.lua" <<LUA
local slugs = {}
for line in io.lines("$work/slugs.txt") do slugs[#slugs + 1] = line end
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", "$path" .. slugs[(i % #slugs) + 1])
end
LUA
done

run() { # name path-or-script
  local name="$1" target="$2" out
  if [[ "$target" == *.lua ]]; then
    out=$(wrk -t2 -c64 -d"${seconds}s" --latency -s "$target" "http://127.0.0.1:$port")
  else
    curl -fs -o /dev/null "http://127.0.0.1:$port$target" || { echo "| $name | request failed |"; return; }
    out=$(wrk -t2 -c64 -d"${seconds}s" --latency "http://127.0.0.1:$port$target")
  fi
  local rps p50 p99 errors
  rps=$(awk '/Requests\/sec/ {printf "%d", $2}' <<<"$out")
  p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
  errors=$(awk '/Non-2xx|Socket errors/ {print}' <<<"$out" | tr '\n' ' ')
  echo "| $backend | $name | $rps | $p50 | $p99 | ${errors:-none} |"
}

echo "| backend | scenario | req/s | p50 | p99 | errors |"
echo "|---|---|---|---|---|---|"
run "product by slug (2,000 different)" "$work/slugs-api.lua"
run "first listing page" "/api/v1/store/products"
run "category filter" "/api/v1/store/products?category=knitwear"
run "text search" "/api/v1/store/products?q=merino%20sweater"
run "price sort, page 50" "/api/v1/store/products?sort=price_asc&page=50"
run "HTML product page (2,000 different)" "$work/slugs-html.lua"
run "HTML category page" "/categories/knitwear"
run "HTML catalogue page" "/products"
echo
echo "server peak resident memory: $(awk '/VmHWM/ {printf "%.0f MB", $2/1024}' /proc/$pid/status)"
