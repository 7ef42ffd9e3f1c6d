#!/usr/bin/env bash
# The web app's tests: types generated from openapi.yaml, lint, unit/component tests, build,
# then end-to-end and accessibility in Debian's Chromium against the real API on a fresh
# demo database — SQLite, then PostgreSQL — (installs chromium with apt if missing; never
# downloads a browser).
set -euo pipefail
cd "$(dirname "$0")/.."
bash web/scripts/install-chromium.sh
npm ci --prefix web --no-audit --no-fund
npm --prefix web run lint
npm --prefix web test
npm --prefix web run build
cargo build --locked -p sistema-lavoro
SL_BIN=target/debug/sistema-lavoro bash web/scripts/e2e-with-server.sh
SL_BIN=target/debug/sistema-lavoro E2E_DATABASE=postgres bash web/scripts/e2e-with-server.sh
