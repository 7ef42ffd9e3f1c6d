#!/usr/bin/env bash
# Starts the API binary on a fresh SQLite database with the demo data, serving web/dist,
# runs the e2e suite against it, and stops it. Usage (from the repository root or anywhere):
#   SL_BIN=target/debug/sistema-lavoro bash web/scripts/e2e-with-server.sh [test-file-filter…]
# E2E_DATABASE=postgres runs it on a fresh PostgreSQL database (TEST_POSTGRES_URL's server,
# default postgres://postgres@127.0.0.1:5432), created here and dropped afterwards.
set -euo pipefail
WEB="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ROOT="$(cd "$WEB/.." && pwd)"
BIN="${SL_BIN:-$ROOT/target/debug/sistema-lavoro}"
# A free port unless E2E_PORT says otherwise: two runs on one machine must not meet.
PORT="${E2E_PORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}"
[ -x "$BIN" ] || { echo "e2e-with-server: API binary not found at $BIN (cargo build -p sistema-lavoro, or set SL_BIN)" >&2; exit 2; }
[ -f "$WEB/dist/index.html" ] || { echo "e2e-with-server: $WEB/dist missing (npm --prefix web run build)" >&2; exit 2; }

TMP="$(mktemp -d)"
LOG="$TMP/api.log"
PG_SERVER="${TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432}"
PG_DB=""
cleanup() {
  if [ -n "${PID:-}" ] && kill -0 "$PID" 2>/dev/null; then kill "$PID"; wait "$PID" 2>/dev/null || true; fi
  if [ -n "$PG_DB" ]; then psql -q "$PG_SERVER/postgres" -c "DROP DATABASE IF EXISTS $PG_DB WITH (FORCE)" >/dev/null || true; fi
  rm -rf "$TMP"
}
trap cleanup EXIT

case "${E2E_DATABASE:-sqlite}" in
  sqlite) DB_URL="$TMP/e2e.db" ;;
  postgres)
    bash "$ROOT/scripts/ensure-postgres.sh"
    PG_DB="sl_e2e_$$_$RANDOM"
    psql -q "$PG_SERVER/postgres" -c "CREATE DATABASE $PG_DB" >/dev/null
    DB_URL="$PG_SERVER/$PG_DB" ;;
  *) echo "e2e-with-server: E2E_DATABASE must be sqlite or postgres" >&2; exit 2 ;;
esac
echo "e2e-with-server: ${E2E_DATABASE:-sqlite} database"

( cd "$ROOT" && PORT="$PORT" DATABASE_URL="$DB_URL" STATIC_DIR="$WEB/dist" exec "$BIN" serve --demo ) >"$LOG" 2>&1 &
PID=$!
# Our server, not another one on the port: it must answer health while it is alive.
for _ in $(seq 1 300); do
  if ! kill -0 "$PID" 2>/dev/null; then echo "e2e-with-server: the API exited:"; cat "$LOG"; exit 1; fi
  curl -fsS "http://127.0.0.1:$PORT/api/v1/health" >/dev/null 2>&1 && break
  sleep 0.2
done

set +e
E2E_BASE_URL="http://127.0.0.1:$PORT" node "$WEB/e2e/run.mjs" "$@"
STATUS=$?
set -e
if [ "$STATUS" -ne 0 ]; then echo "---- API log (last 40 lines) ----"; tail -n 40 "$LOG"; fi
exit "$STATUS"
