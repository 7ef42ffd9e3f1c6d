#!/usr/bin/env bash
# The read path against the cheapest request, in one run against one server: `/api/v1/health`
# requests per second, `GET /api/v1/cases/{id}` per second as an agency operator, and their
# ratio, on SQLite and on PostgreSQL (goal: ≥ 0.5 on both).
#
#   scripts/bench/ratio.sh                 # both backends, demo data, release build
#   BACKENDS=sqlite scripts/bench/ratio.sh
#
# Environment (all optional): BACKENDS (sqlite postgres), BIN (default target/release, built if
# missing), DURATION (seconds per measurement, 10), ROUNDS (3: health and case measured one
# after the other that many times; each round's ratio is printed, the median is the result,
# so a neighbour stealing the CPU for a few seconds does not decide it), THREADS (wrk
# threads, 2), CONNS (32), WORKERS (server threads, 2), DB_POOL_SIZE (8), PG_BASE
# (postgres://postgres@127.0.0.1:5432).
# wrk comes from Debian's packages (installed if missing). The server runs with the rate limits
# off; a run with any non-2xx answer stops with an error.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
BACKENDS="${BACKENDS:-sqlite postgres}"
DURATION="${DURATION:-10}"
ROUNDS="${ROUNDS:-3}"
THREADS="${THREADS:-2}"
CONNS="${CONNS:-32}"
PG_BASE="${PG_BASE:-postgres://postgres@127.0.0.1:5432}"
BIN="${BIN:-target/release/sistema-lavoro}"

if ! command -v wrk >/dev/null; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo -n"
  $sudo apt-get update -qq && $sudo apt-get install -y -qq wrk >/dev/null
fi
[[ -x $BIN ]] || cargo build --locked --release -q -p sistema-lavoro

# wrk with a header; prints requests/s, fails on any non-2xx answer.
rps() { # url [header]
  local out
  if [[ -n ${2:-} ]]; then
    out=$(wrk -t"$THREADS" -c"$CONNS" -d"${DURATION}s" -H "$2" "$1")
  else
    out=$(wrk -t"$THREADS" -c"$CONNS" -d"${DURATION}s" "$1")
  fi
  if grep -q "Non-2xx" <<<"$out"; then
    echo "ERROR: non-2xx answers from $1:" >&2; echo "$out" >&2; exit 1
  fi
  awk '/Requests\/sec/ {print $2}' <<<"$out"
}

results=()
for backend in $BACKENDS; do
  work=$(mktemp -d)
  case $backend in
    sqlite) url="$work/bench.db" ;;
    postgres)
      bash scripts/ensure-postgres.sh >/dev/null
      db="sl_ratio_$$"
      psql -X -q "$PG_BASE/postgres" -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
      url="$PG_BASE/$db" ;;
    *) echo "unknown backend $backend" >&2; exit 2 ;;
  esac
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  DATABASE_URL="$url" DATA_DIR="$work" HOST=127.0.0.1 PORT="$port" STATIC_DIR="$work/none" \
    JWT_SECRET="bench-ratio-secret-0123456789abcdefghijk" ACCESS_TOKEN_TTL=3600 \
    RATE_LIMIT_PER_MINUTE=0 LOGIN_MAX_FAILURES=0 WEBHOOK_WORKER=off RUST_LOG=warn \
    WORKERS="${WORKERS:-2}" DB_POOL_SIZE="${DB_POOL_SIZE:-8}" \
    "$BIN" serve --demo >"$work/serve.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 300); do
    curl -fs "http://127.0.0.1:$port/api/v1/health" >/dev/null 2>&1 && break
    kill -0 "$pid" 2>/dev/null || { cat "$work/serve.log" >&2; exit 1; }
    sleep 0.2
  done
  base="http://127.0.0.1:$port/api/v1"
  token=$(curl -fs "$base/auth/login" -H 'Content-Type: application/json' \
    -d '{"email":"operatore1@demo.test","password":"Demo-2026!"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
  case_id=$(curl -fs "$base/cases?limit=1" -H "Authorization: Bearer $token" | python3 -c 'import json,sys; print(json.load(sys.stdin)["items"][0]["id"])')
  # Warm both paths, then measure one after the other on the same server.
  wrk -t1 -c4 -d2s "$base/health" >/dev/null
  wrk -t1 -c4 -d2s -H "Authorization: Bearer $token" "$base/cases/$case_id" >/dev/null
  rounds=()
  for round in $(seq 1 "$ROUNDS"); do
    health=$(rps "$base/health")
    case_rps=$(rps "$base/cases/$case_id" "Authorization: Bearer $token")
    rounds+=("$health $case_rps")
    printf '%-9s round %d: health %s rps, cases/{id} %s rps, ratio %s\n' "$backend" "$round" \
      "$health" "$case_rps" "$(python3 -c "print(f'{$case_rps / $health:.2f}')")" >&2
  done
  # The round with the median ratio.
  results+=("$(printf '%s\n' "${rounds[@]}" | python3 -c '
import sys
rows = [tuple(map(float, l.split())) for l in sys.stdin if l.strip()]
rows.sort(key=lambda r: r[1] / r[0])
h, c = rows[len(rows) // 2]
print(f"%-9s %12.0f %16.0f %7.2f" % (sys.argv[1], h, c, c / h))' "$backend")")
  kill "$pid"; wait "$pid" 2>/dev/null || true
  [[ $backend == postgres ]] && psql -X -q "$PG_BASE/postgres" -c "DROP DATABASE IF EXISTS $db WITH (FORCE)"
  rm -rf "$work"
done
echo
echo "wrk ${THREADS} threads x ${CONNS} connections x ${DURATION}s, median of ${ROUNDS} rounds, server WORKERS=${WORKERS:-2}, release build"
printf '%-9s %12s %16s %7s\n' backend "health rps" "cases/{id} rps" "ratio (goal >= 0.5)"
printf '%s\n' "${results[@]}"
