#!/usr/bin/env bash
# The run command: builds the SPA and the API, migrates the embedded SQLite database, loads
# the demo data and serves API, docs and SPA at http://localhost:8080 (PORT to change it).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -f web/package.json ]; then
  if ! command -v npm >/dev/null; then
    echo "npm is missing: install Node.js 20+ to build the web app" >&2; exit 1
  fi
  [ -d web/node_modules ] || npm ci --prefix web --no-audit --no-fund
  npm --prefix web run build
fi
cargo build --locked --release -p sistema-lavoro
exec ./target/release/sistema-lavoro serve --demo "$@"
