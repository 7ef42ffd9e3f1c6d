#!/usr/bin/env bash
# The test command: everything CI runs, in the order a failure is cheapest to find.
#   formatting, lints, the OpenAPI lint (OWASP, AgID), the API suite on SQLite, the same suite on PostgreSQL, the README
#   walkthrough, conformance to openapi.yaml (Schemathesis, a generated client), and the web app
#   (unit tests, build against openapi.yaml, end-to-end and accessibility in Chromium).
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR=never
# Snapshots are compared, never written, by the test command (see README: accepting changes).
export INSTA_UPDATE=no

step() { printf '\n== %s\n' "$*"; }

step "rustfmt"
cargo fmt --all -- --check

step "clippy (warnings denied)"
cargo clippy --locked --all-targets -- -D warnings

step "openapi.yaml against OWASP API Security and AgID's interoperability rules (Spectral, 0 errors)"
bash scripts/oas-lint.sh

step "the SMTP server the notification tests send to (aiosmtpd, in a venv under target/)"
SMTP_TEST_PYTHON=$(bash scripts/ensure-aiosmtpd.sh | tail -1)
export SMTP_TEST_PYTHON

step "API tests on SQLite"
TEST_DATABASE=sqlite cargo test --locked

step "API tests on PostgreSQL"
bash scripts/ensure-postgres.sh
TEST_DATABASE=postgres cargo test --locked

step "README walkthrough against a demo server"
if ! command -v jq >/dev/null; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo -n"   # root here; CI runners use passwordless sudo
  $sudo apt-get update -qq && $sudo apt-get install -y -qq jq >/dev/null
fi
cargo build --locked -q -p sistema-lavoro
walk_dir=$(mktemp -d)
walk_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
DATA_DIR="$walk_dir" PORT="$walk_port" STATIC_DIR="$walk_dir/none" RUST_LOG=warn \
  target/debug/sistema-lavoro serve --demo > "$walk_dir/server.log" 2>&1 &
walk_pid=$!
trap 'kill $walk_pid 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$walk_port/api/v1/health" >/dev/null && break; sleep 0.2; done
BASE="http://127.0.0.1:$walk_port" bash scripts/walkthrough.sh
kill $walk_pid; trap - EXIT; rm -rf "$walk_dir"

step "conformance to openapi.yaml: Schemathesis per role, a generated Python client's story"
# A fixed seed keeps CI reproducible; `SL_SEED=$RANDOM bash scripts/conformance/run.sh` explores.
SL_SEED=${SL_SEED:-20261129} SL_SKIP_BUILD=1 bash scripts/conformance/run.sh

if [ -f web/package.json ] && [ "${SKIP_WEB:-0}" != "1" ]; then
  step "web app"
  bash scripts/test-web.sh
fi
echo
echo "all tests passed"
