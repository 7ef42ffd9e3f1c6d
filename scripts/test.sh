#!/usr/bin/env bash
# The test command: everything CI runs, in the order a failure is cheapest to find.
#   formatting, lints, the API suite on SQLite, the same suite on PostgreSQL, and the web app
#   (unit tests, build against openapi.yaml, end-to-end and accessibility in Chromium).
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR=never

step() { printf '\n== %s\n' "$*"; }

step "rustfmt"
cargo fmt --all -- --check

step "clippy (warnings denied)"
cargo clippy --locked --all-targets -- -D warnings

step "API tests on SQLite"
TEST_DATABASE=sqlite cargo test --locked

step "API tests on PostgreSQL"
bash scripts/ensure-postgres.sh
TEST_DATABASE=postgres cargo test --locked

if [ -f web/package.json ] && [ "${SKIP_WEB:-0}" != "1" ]; then
  step "web app"
  bash scripts/test-web.sh
fi
echo
echo "all tests passed"
