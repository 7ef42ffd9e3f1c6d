#!/usr/bin/env bash
# The run command: builds the SPA and the API, migrates the embedded SQLite database, loads
# the demo data and serves API, docs and SPA at http://localhost:8080 (PORT to change it).
#   ./scripts/run.sh --reset   starts again from an empty demo database (deletes ./data/sistema-lavoro.db*)
set -euo pipefail
cd "$(dirname "$0")/.."
step() { printf '\n== %s\n' "$*"; }
if [ "${1:-}" = "--reset" ]; then
  shift
  step "reset: removing the demo database under ${DATA_DIR:-data}/"
  rm -f "${DATA_DIR:-data}"/sistema-lavoro.db "${DATA_DIR:-data}"/sistema-lavoro.db-wal "${DATA_DIR:-data}"/sistema-lavoro.db-shm
fi
step "1/3 the web app (npm ci the first time, then vite build; about a minute)"
if [ -f web/package.json ]; then
  if ! command -v npm >/dev/null; then
    echo "npm is missing: install Node.js >= 20.19 to build the web app" >&2; exit 1
  fi
  [ -d web/node_modules ] || npm ci --prefix web --no-audit --no-fund
  npm --prefix web run build
fi
step "2/3 the API (cargo build --release: long the first time, see README; incremental after)"
cargo build --locked --release -p sistema-lavoro
step "3/3 serving at http://localhost:${PORT:-8080} (migrations and demo data first; Ctrl-C to stop)"
exec ./target/release/sistema-lavoro serve --demo "$@"
