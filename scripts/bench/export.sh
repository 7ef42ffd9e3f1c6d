#!/usr/bin/env bash
# An export's memory: the demo district's referrals exported to CSV and to XLSX through
# POST /exports on a seeded database, the server's resident memory (VmRSS) sampled every 50 ms.
# Prints rows, seconds, bytes, and the RSS before, at its peak and after, for each format: a
# flat peak (a few MB over the idle server whatever the rows) says the export streams.
#
#   DISTRICTS=1 scripts/bench/seed-region.sh && scripts/bench/export.sh   # ~200k referrals in one district
#
# Environment: BENCH_DB (default sl_bench), PG_BASE, BIN (as run.sh), LIST (default referrals).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
BENCH_DB="${BENCH_DB:-sl_bench}"
PG_BASE="${PG_BASE:-postgres://postgres@127.0.0.1:5432}"
LIST="${LIST:-referrals}"
if [[ -z "${BIN:-}" ]]; then
  if [[ -x target/release/sistema-lavoro ]]; then BIN=target/release/sistema-lavoro
  else BIN=target/debug/sistema-lavoro; fi
fi
DB_URL="$PG_BASE/$BENCH_DB"
NREF=$(psql -X -At -d "$DB_URL" -c "SELECT count(*) FROM referrals r JOIN districts d ON d.id = r.district_id WHERE d.code = 'AMBITO-1-BG' AND r.status <> 'draft'")
echo "bin=$BIN db=$DB_URL list=$LIST; the demo district has $NREF referrals past draft"

WORK=$(mktemp -d)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
DATABASE_URL="$DB_URL" DATA_DIR="$WORK" HOST=127.0.0.1 PORT="$PORT" STATIC_DIR="$WORK/none" \
  JWT_SECRET="bench-run-secret-0123456789abcdefghijklmn" ACCESS_TOKEN_TTL=3600 \
  RATE_LIMIT_PER_MINUTE=0 LOGIN_MAX_FAILURES=0 RUST_LOG=warn \
  "$BIN" serve >"$WORK/serve.log" 2>&1 &
SERVER_PID=$!
cleanup() { kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
for _ in $(seq 1 300); do
  curl -fs "http://127.0.0.1:$PORT/api/v1/health" >/dev/null 2>&1 && break
  kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/serve.log" >&2; exit 1; }
  sleep 0.2
done

BASE="http://127.0.0.1:$PORT" PID="$SERVER_PID" LIST="$LIST" python3 - <<'PY'
import json, os, threading, time, urllib.request

base, pid, lst = os.environ["BASE"], os.environ["PID"], os.environ["LIST"]

def call(method, path, token=None, body=None, follow=True):
    req = urllib.request.Request(base + path, method=method,
                                 data=json.dumps(body).encode() if body is not None else None)
    req.add_header("Content-Type", "application/json")
    if token:
        req.add_header("Authorization", "Bearer " + token)
    opener = urllib.request.build_opener() if follow else urllib.request.build_opener(NoRedirect())
    try:
        with opener.open(req) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()

class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *a, **k):
        return None

def rss_kb():
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0

_, _, b = call("POST", "/api/v1/auth/login", body={"email": "coordinatore@demo.test", "password": "Demo-2026!"})
token = json.loads(b)["access_token"]
print(f"{'format':<6} {'rows':>9} {'seconds':>8} {'file MB':>8} {'RSS idle MB':>12} {'RSS peak MB':>12} {'RSS after MB':>13}")
for fmt in ("csv", "xlsx"):
    idle = rss_kb()
    peak = [idle]
    stop = threading.Event()
    def sample():
        while not stop.is_set():
            peak[0] = max(peak[0], rss_kb())
            time.sleep(0.05)
    t = threading.Thread(target=sample); t.start()
    t0 = time.time()
    status, headers, body = call("POST", "/api/v1/exports", token, {"list": lst, "format": fmt})
    assert status == 202, (status, body)
    loc = headers["Location"]
    while True:
        status, headers, body = call("GET", loc, token, follow=False)
        if status == 303:
            out = json.loads(body)
            break
        assert status == 200, (status, body)
        if json.loads(body)["state"] == "failed":
            raise SystemExit(f"export failed: {body}")
        time.sleep(0.2)
    secs = time.time() - t0
    stop.set(); t.join()
    after = rss_kb()
    print(f"{fmt:<6} {out['rows_done']:>9} {secs:>8.1f} {out['bytes']/1e6:>8.1f} {idle/1024:>12.1f} {peak[0]/1024:>12.1f} {after/1024:>13.1f}")
PY
