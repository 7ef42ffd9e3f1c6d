#!/usr/bin/env bash
# Seeds a fresh PostgreSQL database with a region's worth of Sistema Lavoro data.
#
#   scripts/bench/seed-region.sh                 # default scale: 100k persons, 200k referrals, 1M follow-ups
#   SCALE=full scripts/bench/seed-region.sh      # the region target: 1M / 2M / 10M
#   SCALE=0.5 scripts/bench/seed-region.sh       # a fraction of full (0.1 = default)
#
# Environment (all optional):
#   BENCH_DB      database name (default sl_bench; dropped and recreated)
#   PG_BASE       server URL without database (default postgres://postgres@127.0.0.1:5432)
#   SCALE         default | full | a fraction of full (e.g. 0.25)
#   DISTRICTS     districts the rows are spread over (default 5; district 0 is the demo
#                 "Ambito 1 – Bergamo", so it holds 1/DISTRICTS of everything: 20k persons
#                 at the default scale, 200k at full — a large ambito)
#   NAPPROVE      proposed activations stocked for the approve benchmark (default 2000)
#   BIN           the API binary (default target/release/sistema-lavoro, else target/debug)
#
# Steps: drop/create the database; apply the schema with the binary's own migrations; load the
# demo with `serve --demo` (stopped as soon as it answers); then bulk-generate with
# generate_series (sql/00-prepare.sql, sql/10-generate.sql) into heaps whose indexes and
# constraints were set aside, and rebuild them from their saved definitions (sql/20-finish.sql;
# re-adding the foreign keys validates every generated reference); VACUUM ANALYZE.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
HERE="$ROOT/scripts/bench"
cd "$ROOT"

BENCH_DB="${BENCH_DB:-sl_bench}"
PG_BASE="${PG_BASE:-postgres://postgres@127.0.0.1:5432}"
DB_URL="$PG_BASE/$BENCH_DB"
SCALE="${SCALE:-default}"
DISTRICTS="${DISTRICTS:-5}"
NAPPROVE="${NAPPROVE:-2000}"

case "$SCALE" in
  default) F=0.1 ;;
  full) F=1 ;;
  *) F="$SCALE" ;;
esac
read -r NP NR NF < <(python3 -c "f=float('$F'); print(max(100,int(1_000_000*f)), max(200,int(2_000_000*f)), max(1000,int(10_000_000*f)))")

if [[ -z "${BIN:-}" ]]; then
  if [[ -x target/release/sistema-lavoro ]]; then BIN=target/release/sistema-lavoro
  elif [[ -x target/debug/sistema-lavoro ]]; then BIN=target/debug/sistema-lavoro
  else
    echo "no API binary: run 'cargo build --release -p sistema-lavoro' first" >&2
    exit 1
  fi
fi

PSQL=(psql -X -q -v ON_ERROR_STOP=1 -d "$DB_URL")
t_start=$(date +%s)
# psql's \echo '  - label' lines and \timing lines -> one line per label with its seconds.
steps() { awk '/^  - /{if(l)printf "%-44s %8.1f s\n", l, t/1000; l=$0; t=0; next} /^Time: /{t+=$2} END{if(l)printf "%-44s %8.1f s\n", l, t/1000}'; }
step() { printf '\n== %s  (+%ss)\n' "$1" "$(( $(date +%s) - t_start ))"; }

echo "seed-region: db=$BENCH_DB scale=$SCALE -> persons=$NP referrals=$NR follow_ups=$NF districts=$DISTRICTS bin=$BIN"

step "fresh database"
psql -X -q -d "$PG_BASE/postgres" -v ON_ERROR_STOP=1 \
  -c "DROP DATABASE IF EXISTS \"$BENCH_DB\" WITH (FORCE)" \
  -c "CREATE DATABASE \"$BENCH_DB\""

step "migrations ($BIN migrate)"
DATABASE_URL="$DB_URL" "$BIN" migrate

step "demo data ($BIN serve --demo, stopped once it answers)"
DEMO_DIR=$(mktemp -d)
PORT_DEMO=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
DATABASE_URL="$DB_URL" DATA_DIR="$DEMO_DIR" JWT_SECRET="bench-seed-secret-0123456789abcdefghijkl" \
  HOST=127.0.0.1 PORT="$PORT_DEMO" STATIC_DIR="$DEMO_DIR/none" RUST_LOG=warn \
  "$BIN" serve --demo >"$DEMO_DIR/serve.log" 2>&1 &
DEMO_PID=$!
ok=0
for _ in $(seq 1 600); do
  if curl -fs "http://127.0.0.1:$PORT_DEMO/api/v1/health" >/dev/null 2>&1; then ok=1; break; fi
  if ! kill -0 "$DEMO_PID" 2>/dev/null; then break; fi
  sleep 0.2
done
kill "$DEMO_PID" 2>/dev/null || true
wait "$DEMO_PID" 2>/dev/null || true
if [[ $ok != 1 ]]; then
  echo "the demo server did not come up:" >&2
  cat "$DEMO_DIR/serve.log" >&2
  exit 1
fi
rm -rf "$DEMO_DIR"

step "prepare: helpers, $DISTRICTS districts, indexes set aside"
"${PSQL[@]}" -v nd="$DISTRICTS" -f "$HERE/sql/00-prepare.sql"

step "generate"
"${PSQL[@]}" -v np="$NP" -v nr="$NR" -v nf="$NF" -v nd="$DISTRICTS" -v napprove="$NAPPROVE" \
  -f "$HERE/sql/10-generate.sql" | steps

step "rebuild constraints and indexes, validate foreign keys, vacuum analyze"
"${PSQL[@]}" -f "$HERE/sql/20-finish.sql" | steps

step "done"
"${PSQL[@]}" -P footer=off -c "
SELECT relname AS table, n_live_tup AS rows,
       pg_size_pretty(pg_table_size(relid)) AS heap,
       pg_size_pretty(pg_indexes_size(relid)) AS indexes
FROM pg_stat_user_tables
WHERE relname IN ('persons','referrals','cases','follow_ups','state_changes','activations','outcome_checks','meetings','users','organizations','districts','networks','network_members','agreements','documents')
ORDER BY n_live_tup DESC" \
  -c "SELECT pg_size_pretty(pg_database_size(current_database())) AS database_size"
echo "seeded $DB_URL in $(( $(date +%s) - t_start ))s"
