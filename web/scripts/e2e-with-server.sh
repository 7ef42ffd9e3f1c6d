#!/usr/bin/env bash
# Starts the API binary on a fresh SQLite database with the demo data, serving web/dist,
# runs the e2e suite against it, and stops it. Usage (from the repository root or anywhere):
#   SL_BIN=target/debug/sistema-lavoro bash web/scripts/e2e-with-server.sh [test-file-filter…]
set -euo pipefail
WEB="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ROOT="$(cd "$WEB/.." && pwd)"
BIN="${SL_BIN:-$ROOT/target/debug/sistema-lavoro}"
PORT="${E2E_PORT:-18080}"
[ -x "$BIN" ] || { echo "e2e-with-server: API binary not found at $BIN (cargo build -p sistema-lavoro, or set SL_BIN)" >&2; exit 2; }
[ -f "$WEB/dist/index.html" ] || { echo "e2e-with-server: $WEB/dist missing (npm --prefix web run build)" >&2; exit 2; }

TMP="$(mktemp -d)"
LOG="$TMP/api.log"
cleanup() {
  if [ -n "${PID:-}" ] && kill -0 "$PID" 2>/dev/null; then kill "$PID"; wait "$PID" 2>/dev/null || true; fi
  rm -rf "$TMP"
}
trap cleanup EXIT

( cd "$ROOT" && PORT="$PORT" DATABASE_URL="$TMP/e2e.db" STATIC_DIR="$WEB/dist" exec "$BIN" serve --demo ) >"$LOG" 2>&1 &
PID=$!

set +e
E2E_BASE_URL="http://127.0.0.1:$PORT" node "$WEB/e2e/run.mjs" "$@"
STATUS=$?
set -e
if [ "$STATUS" -ne 0 ]; then echo "---- API log (last 40 lines) ----"; tail -n 40 "$LOG"; fi
exit "$STATUS"
