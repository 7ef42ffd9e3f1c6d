#!/usr/bin/env bash
# EXPLAIN (ANALYZE, BUFFERS) of the SQL behind the list endpoints, on the seeded database.
#
#   scripts/bench/explain.sh                 # summary table; full plans in /tmp/sl_bench_plans.txt
#   VERBOSE=1 scripts/bench/explain.sh       # also print every plan
#
# Each statement is the exact text diesel sends (a named prepared statement, see explain.py),
# planned both as PostgreSQL's custom plan (first 5 executions) and as its generic plan (what a
# pooled connection may use from the 6th execution on). Flags: a Seq Scan on a big table, no
# index at all, more than 1000 rows filtered out or sorted to return 51, more than 20 ms.
# Environment: BENCH_DB (default sl_bench), PG_BASE, PLANS (file for the full plans).
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
BENCH_DB="${BENCH_DB:-sl_bench}"
PG_BASE="${PG_BASE:-postgres://postgres@127.0.0.1:5432}"
exec python3 "$HERE/explain.py" "$PG_BASE/$BENCH_DB" "${PLANS:-/tmp/${BENCH_DB}_plans.txt}"
