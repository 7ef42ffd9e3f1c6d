#!/usr/bin/env bash
# Latency and throughput of the main lists and reads, over loopback, on a seeded database.
#
#   scripts/bench/seed-region.sh && scripts/bench/run.sh         # PostgreSQL (sl_bench)
#   BACKEND=sqlite scripts/bench/run.sh                          # SQLite copy (see sqlite-from-pg.py)
#
# Environment (all optional):
#   BACKEND       postgres (default) | sqlite
#   BENCH_DB      PostgreSQL database (default sl_bench), PG_BASE as in seed-region.sh
#   SQLITE_DB     SQLite file for BACKEND=sqlite (default /tmp/sl_bench.sqlite)
#   BIN           API binary (default target/release/sistema-lavoro, else target/debug)
#   N, N_SEQ, CONC, CAP_S   load shape (see load.py): 200 concurrent requests on 4 clients,
#                 100 sequential, each pass capped at 15 s
#   WORKERS, DB_POOL_SIZE   server settings (app defaults 2 and 8)
#   OUT           also write the figures as JSON to this file
#
# The server runs with a fixed JWT_SECRET, the rate limits off (RATE_LIMIT_PER_MINUTE=0,
# LOGIN_MAX_FAILURES=0: the figures are the product's, not 429s) and RUST_LOG=warn (no access
# log) on a free port, and is stopped at the end; any answer that is not 2xx stops the run. Every request is a GET on loopback except the approvals, each on a
# different proposed activation (the seed's 'bench-approve' stock, reset to proposed first).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
HERE="$ROOT/scripts/bench"
cd "$ROOT"

BACKEND="${BACKEND:-postgres}"
BENCH_DB="${BENCH_DB:-sl_bench}"
PG_BASE="${PG_BASE:-postgres://postgres@127.0.0.1:5432}"
SQLITE_DB="${SQLITE_DB:-/tmp/sl_bench.sqlite}"
if [[ -z "${BIN:-}" ]]; then
  if [[ -x target/release/sistema-lavoro ]]; then BIN=target/release/sistema-lavoro
  else BIN=target/debug/sistema-lavoro; fi
fi

if [[ $BACKEND == postgres ]]; then
  DB_URL="$PG_BASE/$BENCH_DB"
  q() { psql -X -At -v ON_ERROR_STOP=1 -d "$DB_URL" -c "$1"; }
else
  DB_URL="$SQLITE_DB"
  [[ -f $SQLITE_DB ]] || { echo "no $SQLITE_DB: run scripts/bench/sqlite-from-pg.py first" >&2; exit 1; }
  q() { sqlite3 -batch -noheader "$SQLITE_DB" "$1"; }
fi

# ------------------------------------------------------------------ what to ask for
DID=$(q "SELECT id FROM districts WHERE code = 'AMBITO-1-BG'")
[[ -n $DID ]] || { echo "no demo district in $DB_URL: run seed-region.sh first" >&2; exit 1; }
AG1=$(q "SELECT id FROM organizations WHERE district_id = '$DID' AND name = 'Agenzia Lavoro Orobica'")
NREF=$(q "SELECT count(*) FROM referrals WHERE district_id = '$DID'")
DEEP=$(q "SELECT id FROM referrals WHERE district_id = '$DID' ORDER BY id LIMIT 1 OFFSET $(( NREF * 9 / 10 ))")
NPER=$(q "SELECT count(*) FROM persons WHERE district_id = '$DID'")
TAX=$(q "SELECT tax_code FROM persons WHERE district_id = '$DID' ORDER BY id LIMIT 1 OFFSET $(( NPER / 2 ))")
CASE_ID=$(q "SELECT id FROM cases WHERE agency_id = '$AG1' AND status = 'active' ORDER BY id LIMIT 1 OFFSET 100")
[[ -n $CASE_ID ]] || CASE_ID=$(q "SELECT id FROM cases WHERE agency_id = '$AG1' ORDER BY id LIMIT 1")
NFU=$(q "SELECT count(*) FROM follow_ups WHERE case_id = '$CASE_ID'")
# A network agency 1 belongs to, with its groups and shared responses.
NET_ID=$(q "SELECT n.id FROM networks n JOIN network_members m ON m.network_id = n.id WHERE m.organization_id = '$AG1' AND m.withdrawn_on IS NULL AND n.kind <> 'coordination_table' AND EXISTS (SELECT 1 FROM shared_responses r WHERE r.network_id = n.id) ORDER BY n.id LIMIT 1")
AGR_ID=$(q "SELECT id FROM agreements WHERE network_id = '$NET_ID' ORDER BY id LIMIT 1")
# The region's plan (200 actions over 50 granted projects' measures), if seeded.
PLAN_ID=$(q "SELECT id FROM plans WHERE district_id = '$DID' AND title = 'Piano della regione (bench)' LIMIT 1")
NOPP=$(q "SELECT count(*) FROM opportunities WHERE status = 'published'")
# the approve stock: back to proposed, and room under agency 1's thresholds
q "UPDATE activations SET status = 'proposed', threshold_id = NULL WHERE note = 'bench-approve'" >/dev/null
q "UPDATE thresholds SET cap_cents = reserved_cents + spent_cents + 100000000000 WHERE agency_id = '$AG1'" >/dev/null
APPROVE_IDS=$(q "SELECT id FROM activations WHERE note = 'bench-approve' ORDER BY id" | paste -sd, -)

echo "backend=$BACKEND db=$DB_URL bin=$BIN"
echo "demo district: $NPER persons, $NREF referrals; deep cursor at 90%; case $CASE_ID has $NFU follow-ups;" \
     "$(tr ',' '\n' <<<"$APPROVE_IDS" | grep -c . || true) activations to approve"

# ------------------------------------------------------------------ the server
WORK=$(mktemp -d)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
DATABASE_URL="$DB_URL" DATA_DIR="$WORK" HOST=127.0.0.1 PORT="$PORT" STATIC_DIR="$WORK/none" \
  JWT_SECRET="bench-run-secret-0123456789abcdefghijklmn" ACCESS_TOKEN_TTL=3600 \
  RATE_LIMIT_PER_MINUTE=0 LOGIN_MAX_FAILURES=0 \
  RUST_LOG="${RUST_LOG:-warn}" WORKERS="${WORKERS:-2}" DB_POOL_SIZE="${DB_POOL_SIZE:-8}" \
  "$BIN" serve >"$WORK/serve.log" 2>&1 &
SERVER_PID=$!
cleanup() { kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
for _ in $(seq 1 300); do
  curl -fs "http://127.0.0.1:$PORT/api/v1/health" >/dev/null 2>&1 && break
  kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/serve.log" >&2; exit 1; }
  sleep 0.2
done

# ------------------------------------------------------------------ the endpoints
echo "plan ${PLAN_ID:-(none)}; $NOPP published opportunities"
export BASE="http://127.0.0.1:$PORT" DEEP TAX CASE_ID APPROVE_IDS NET_ID AGR_ID PLAN_ID NOPP
python3 - "$WORK/cfg.json" <<'EOF'
import json, os, sys
e = os.environ
eps = [
    ("GET /referrals?limit=50 (first page)", "coord", "/api/v1/referrals?limit=50"),
    ("GET /referrals?limit=50&after= (90% deep)", "coord", f"/api/v1/referrals?limit=50&after={e['DEEP']}"),
    ("GET /referrals?status=submitted", "coord", "/api/v1/referrals?status=submitted&limit=50"),
    ("GET /referrals (referrer: own org)", "referrer", "/api/v1/referrals?limit=50"),
    ("GET /persons?q=ros", "coord", "/api/v1/persons?q=ros&limit=50"),
    ("GET /persons?q=b (short prefix)", "coord", "/api/v1/persons?q=b&limit=50"),
    ("GET /persons?tax_code=", "coord", f"/api/v1/persons?tax_code={e['TAX']}"),
    ("GET /persons (agency operator scope)", "op1", "/api/v1/persons?limit=50"),
    ("GET /persons (referrer scope)", "referrer", "/api/v1/persons?limit=50"),
    ("GET /cases?overdue=true (coordinator)", "coord", "/api/v1/cases?overdue=true&limit=50"),
    ("GET /cases (agency operator)", "op1", "/api/v1/cases?limit=50"),
    ("GET /cases?overdue=true (agency operator)", "op1", "/api/v1/cases?overdue=true&limit=50"),
    ("GET /cases/{id}/follow-ups", "op1", f"/api/v1/cases/{e['CASE_ID']}/follow-ups?limit=50"),
    ("GET /cases/{id}/timeline", "op1", f"/api/v1/cases/{e['CASE_ID']}/timeline"),
    ("GET /reports/summary", "coord", "/api/v1/reports/summary"),
    ("GET /networks?limit=50 (coordinator: with compliance)", "coord", "/api/v1/networks?limit=50"),
    ("GET /networks (agency operator: member of)", "op1", "/api/v1/networks?limit=50"),
    ("GET /networks/{id}/members (250, a fifth withdrawn)", "coord", f"/api/v1/networks/{e['NET_ID']}/members?limit=50"),
    ("GET /networks/{id}/members?include=history", "coord", f"/api/v1/networks/{e['NET_ID']}/members?include=history&limit=50"),
    ("GET /networks/{id}/documents (500 of 100,000)", "coord", f"/api/v1/networks/{e['NET_ID']}/documents?limit=50"),
    ("GET /networks/{id}/agreements", "op1", f"/api/v1/networks/{e['NET_ID']}/agreements?limit=50"),
    ("GET /agreements/{id}/documents", "coord", f"/api/v1/agreements/{e['AGR_ID']}/documents?limit=50"),
    ("GET /organizations?limit=50 (5,000 in the region)", "coord", "/api/v1/organizations?limit=50"),
    # The audit log grows with every read above: its newest page and one filtered by action.
    ("GET /audit?limit=50 (coordinator: its district)", "coord", "/api/v1/audit?limit=50"),
    ("GET /audit?action=lookup", "coord", "/api/v1/audit?action=lookup&limit=50"),
]
if e.get("NET_ID"):
    eps += [
        ("GET /networks/{id}/working-groups", "op1", f"/api/v1/networks/{e['NET_ID']}/working-groups?limit=50"),
        ("GET /networks/{id}/shared-responses?area=housing&status=available", "op1",
         f"/api/v1/networks/{e['NET_ID']}/shared-responses?area=housing&status=available&limit=50"),
    ]
if e.get("PLAN_ID"):
    eps.append(("GET /plans/{id}/monitoring (200 actions, goal p50 < 300 ms)", "coord",
                f"/api/v1/plans/{e['PLAN_ID']}/monitoring"))
n = e.get("NOPP", "0")
eps += [
    (f"GET /public/opportunities ({n} published, goal p50 < 20 ms)", "coord", "/api/v1/public/opportunities"),
    ("GET /public/opportunities.rss", "coord", "/api/v1/public/opportunities.rss"),
    ("GET /public/opportunities.ics", "coord", "/api/v1/public/opportunities.ics"),
    ("GET /public/opportunities?area=training&municipality=016024", "coord",
     "/api/v1/public/opportunities?area=training&municipality=016024"),
]
cfg = {
    "base": e["BASE"], "password": "Demo-2026!",
    "users": {"coord": "coordinatore@demo.test", "op1": "operatore1@demo.test",
              "referrer": "assistente.sociale@demo.test"},
    "endpoints": [{"name": n, "as": u, "method": "GET", "path": p} for n, u, p in eps],
}
ids = [i for i in e.get("APPROVE_IDS", "").split(",") if i]
if ids:
    cfg["endpoints"].append({"name": "POST /activations/{id}/approve", "as": "op1", "method": "POST",
                             "path": "/api/v1/activations/{id}/approve", "ids": ids})
json.dump(cfg, open(sys.argv[1], "w"))
EOF

python3 "$HERE/load.py" "$WORK/cfg.json" ${OUT:+"$OUT"}
