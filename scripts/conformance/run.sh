#!/usr/bin/env bash
# Conformance of the running API to openapi.yaml (issue 5, "Proof"):
#   1. openapi.yaml is valid OpenAPI 3.1 and is what the server serves        (spec_lint.py)
#   2. a Python client generated from it drives a referral-to-case story      (story_test.py)
#   3. Schemathesis, every check, against the live server, once per demo role (schemathesis.toml)
# on a fresh temporary SQLite database with the demo loaded. Exits non-zero on any failure.
#
#   bash scripts/conformance/run.sh
#
# Environment: SL_MAX_EXAMPLES (default 10), SL_SEED (default: random, printed),
# SL_ROLES (default: all six), SL_STATEFUL=1 (add the stateful phase), SL_SKIP_BUILD=1,
# SL_KEEP=1 (keep the temporary folder: server log, reports).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
HERE=$ROOT/scripts/conformance
VENV=$ROOT/target/conformance-venv
PY=$VENV/bin/python

step() { printf '\n== conformance: %s\n' "$*"; }

# --- tools: a venv under target/ (gitignored), reinstalled when requirements.txt changes ---------
step "tools (pinned in scripts/conformance/requirements.txt)"
stamp=$(sha256sum "$HERE/requirements.txt" | cut -c1-16)
if [ ! -x "$PY" ] || [ "$(cat "$VENV/.stamp" 2>/dev/null)" != "$stamp" ]; then
  rm -rf "$VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check -r "$HERE/requirements.txt"
  echo "$stamp" > "$VENV/.stamp"
fi
export PATH="$VENV/bin:$PATH"   # openapi-python-client formats with ruff from here
"$VENV/bin/st" --version

# --- the server -----------------------------------------------------------------------------------
if [ "${SL_SKIP_BUILD:-0}" != "1" ]; then
  step "build"
  cargo build --locked -p sistema-lavoro
fi
BIN=$ROOT/target/debug/sistema-lavoro

TMP=$(mktemp -d "${TMPDIR:-/tmp}/sl-conformance.XXXXXX")
SERVER_PID=""
cleanup() {
  local rc=$?
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  if [ "${SL_KEEP:-0}" = "1" ] || [ $rc -ne 0 ]; then
    echo "conformance: kept $TMP (server.log, reports/)"
  else
    rm -rf "$TMP"
  fi
  exit $rc
}
trap cleanup EXIT INT TERM

PORT=$("$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
BASE=http://127.0.0.1:$PORT
step "server on $BASE (fresh SQLite in $TMP/data, demo loaded)"
mkdir -p "$TMP/data" "$TMP/reports"
# Access tokens live an hour so that none expires mid-run; access lines (status per request)
# are kept to count server errors independently of Schemathesis. Rate limiting and login
# throttling are off (0): a fuzzer sends thousands of requests a minute, and this run checks the
# contract, not the limiter (whose 429 must still be documented; the API tests cover it).
# Webhooks may reach loopback, where the integrator's story runs its receiver.
RATE_LIMIT_PER_MINUTE=0 LOGIN_MAX_FAILURES=0 WEBHOOK_ALLOWED_HOSTS=127.0.0.1 WEBHOOK_POLL_MS=200 \
DATA_DIR=$TMP/data DATABASE_URL=$TMP/data/sistema-lavoro.db PORT=$PORT HOST=127.0.0.1 \
  STATIC_DIR=$TMP/no-static ACCESS_TOKEN_TTL=3600 RUST_LOG=warn,access=info \
  "$BIN" serve --demo > "$TMP/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 100); do
  if curl -fsS "$BASE/api/v1/health" > /dev/null 2>&1; then break; fi
  if ! kill -0 "$SERVER_PID" 2>/dev/null; then
    echo "the server exited:"; cat "$TMP/server.log"; exit 1
  fi
  sleep 0.2
done
curl -fsS "$BASE/api/v1/health"; echo

declare -A RESULT
FAILED=0
record() { RESULT[$1]=$2; [ "$2" = pass ] || FAILED=1; }

# --- 1. the document ------------------------------------------------------------------------------
step "openapi.yaml: valid OpenAPI 3.1, unique operationIds, \$refs resolve, served == file"
if "$PY" "$HERE/spec_lint.py" openapi.yaml "$BASE/api/v1/openapi.json"; then record spec pass; else record spec FAIL; fi

# --- 2. the generated client's story (before fuzzing touches the demo data) ------------------------
step "Python client generated from openapi.yaml drives the story"
if "$PY" "$HERE/gen_client.py" openapi.yaml "$TMP/client" \
  && SL_BASE_URL=$BASE SL_CLIENT_DIR=$TMP/client "$PY" -m pytest -p no:cacheprovider -q \
       "$HERE/story_test.py"; then
  record story pass
else
  record story FAIL
fi

# --- 3. Schemathesis, one run per role -------------------------------------------------------------
login() {
  curl -fsS "$BASE/api/v1/auth/login" -H 'content-type: application/json' \
    -d "{\"email\":\"$1\",\"password\":\"Demo-2026!\"}" | "$PY" -c 'import json,sys; print(json.load(sys.stdin)["access_token"])'
}
declare -A EMAIL=(
  [referrer]=assistente.sociale@demo.test
  [agency_operator]=operatore1@demo.test
  [observer]=osservatorio@demo.test
  [coordinator]=coordinatore@demo.test
  [network_coordinator]=rete@demo.test
  [admin]=admin@demo.test
)
# Admin last: it may disable accounts or change passwords of the others.
ROLES=${SL_ROLES:-"referrer agency_operator observer coordinator network_coordinator admin"}
SEED=${SL_SEED:-$RANDOM$RANDOM}
declare -A TOKEN
for role in $ROLES; do TOKEN[$role]=$(login "${EMAIL[$role]}"); done

phases=examples,coverage,fuzzing
[ "${SL_STATEFUL:-0}" = "1" ] && phases=$phases,stateful
export SCHEMATHESIS_HOOKS=$HERE/hooks.py
for role in $ROLES; do
  step "schemathesis as $role (${EMAIL[$role]}), seed $SEED"
  out=$TMP/reports/$role
  mkdir -p "$out"
  # From $TMP: whatever Schemathesis or Hypothesis might write lands there, not in the work tree.
  if (cd "$TMP" && SL_TOKEN=${TOKEN[$role]} st --config-file "$HERE/schemathesis.toml" --no-color run \
       "$BASE/api/v1/openapi.json" \
       --checks all \
       --phases "$phases" \
       --max-examples "${SL_MAX_EXAMPLES:-10}" \
       --seed "$SEED" \
       --report junit,ndjson --report-dir "$out" \
       > "$out/output.txt" 2>&1); then
    record "st:$role" pass
  else
    record "st:$role" FAIL
  fi
  # The errors, the failures and the summary of this role's run (long generated values cut).
  sed -n '/^=* \(ERRORS\|FAILURES\) =*$/,/^=* SUMMARY =*$/p;/^=* SUMMARY =*$/,$p' "$out/output.txt" \
    | grep -v '^=* SUMMARY =*$' | cut -c1-2000 || tail -30 "$out/output.txt"
done

# --- server errors seen by the server itself ------------------------------------------------------
step "server log"
errors5xx=$(grep -cE ' [A-Z]+ /[^ ]* 5[0-9][0-9] [0-9.]+ms$' "$TMP/server.log" || true)
panics=$(grep -ciE 'panicked|ERROR sistema' "$TMP/server.log" || true)
requests=$(grep -cE ' [0-9.]+ms$' "$TMP/server.log" || true)
echo "$requests requests, $errors5xx answered 5xx, $panics panics/errors logged"
grep -E ' 5[0-9][0-9] [0-9.]+ms$|panicked|ERROR sistema' "$TMP/server.log" | head -20 || true
if [ "${errors5xx:-0}" = 0 ] && [ "${panics:-0}" = 0 ]; then record server-log pass; else record server-log FAIL; fi

# --- summary --------------------------------------------------------------------------------------
step "summary"
passed=0; failed=0
for key in spec story $(for r in $ROLES; do echo "st:$r"; done) server-log; do
  printf '  %-22s %s\n' "$key" "${RESULT[$key]:-not run}"
  if [ "${RESULT[$key]:-}" = pass ]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
done
echo "conformance: $passed passed, $failed failed"
exit $FAILED
