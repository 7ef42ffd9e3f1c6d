#!/usr/bin/env bash
# Lighthouse on a phone: the mobile profile (simulated slow 4G, a mid-range phone's CPU) on the
# sign-in page and on each role's home, over the demo data, cold cache. Prints per page the
# performance score, FCP, LCP, TBT, CLS and the bytes transferred on that first load (with the
# JavaScript, CSS and font shares). Goals (issue 11, D17): ≥ 0.9 everywhere, the sign-in page's
# first load ≤ 150 kB.
#
#   scripts/bench/lighthouse.sh
#   PAGES="sign-in coordinator" scripts/bench/lighthouse.sh
#   BIN=target/debug/sistema-lavoro SKIP_WEB_BUILD=1 scripts/bench/lighthouse.sh
#
# Environment (all optional): BIN (default target/release/sistema-lavoro, built if missing),
# STATIC_DIR (default web/dist, built with `npm run build` unless SKIP_WEB_BUILD=1), PAGES
# (any of: sign-in referrer coordinator agency_operator admin observer), OUT_DIR (keeps each
# page's full Lighthouse JSON report), CHROME_PATH (default /usr/bin/chromium).
# Lighthouse 12.2.3 comes from scripts/bench/lighthouse/package-lock.json (npm ci, no browser
# download); Chromium from Debian's packages (web/scripts/install-chromium.sh).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
BIN="${BIN:-target/release/sistema-lavoro}"
STATIC_DIR="${STATIC_DIR:-$ROOT/web/dist}"
export CHROME_PATH="${CHROME_PATH:-/usr/bin/chromium}"
export PUPPETEER_SKIP_DOWNLOAD=1 PUPPETEER_SKIP_CHROMIUM_DOWNLOAD=1

[[ -x $CHROME_PATH ]] || bash web/scripts/install-chromium.sh
( cd scripts/bench/lighthouse && npm ci --no-audit --no-fund --silent )
if [[ ${SKIP_WEB_BUILD:-0} != 1 && $STATIC_DIR == "$ROOT/web/dist" ]]; then
  [ -d web/node_modules ] || npm ci --prefix web --no-audit --no-fund --silent
  npm --prefix web run -s build >/dev/null
fi
[[ -f $STATIC_DIR/index.html ]] || { echo "no SPA in $STATIC_DIR" >&2; exit 1; }
[[ -x $BIN ]] || cargo build --locked --release -q -p sistema-lavoro

work=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
DATABASE_URL="$work/bench.db" DATA_DIR="$work" HOST=127.0.0.1 PORT="$port" STATIC_DIR="$STATIC_DIR" \
  JWT_SECRET="bench-lighthouse-secret-0123456789abcdefgh" \
  RATE_LIMIT_PER_MINUTE=0 LOGIN_MAX_FAILURES=0 WEBHOOK_WORKER=off RUST_LOG=warn \
  "$BIN" serve --demo >"$work/serve.log" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 300); do
  curl -fs "http://127.0.0.1:$port/api/v1/health" >/dev/null 2>&1 && break
  kill -0 "$pid" 2>/dev/null || { cat "$work/serve.log" >&2; exit 1; }
  sleep 0.2
done
node scripts/bench/lighthouse/run.mjs "http://127.0.0.1:$port"
