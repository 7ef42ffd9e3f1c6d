#!/usr/bin/env python3
"""Bounded HTTP load over loopback for scripts/bench/run.sh (stdlib only).

For each endpoint: a few warm-up requests, then a sequential pass (one client: latency) and a
concurrent pass (CONC clients on keep-alive connections: throughput), each bounded by a request
count and a time cap. Prints one table row per endpoint.

Input: a JSON file (argv[1]) with base, tokens and the endpoint list, written by run.sh.
Exits non-zero when any answer was not 2xx: such a figure would measure refusals.
Env: N (requests per pass, default 200), N_SEQ (sequential pass, default 100), CONC (default 4),
CAP_S (seconds cap per pass, default 15).
"""
import http.client
import json
import os
import statistics
import sys
import threading
import time
import urllib.parse

N = int(os.environ.get("N", "200"))
N_SEQ = int(os.environ.get("N_SEQ", "100"))
CONC = int(os.environ.get("CONC", "4"))
CAP_S = float(os.environ.get("CAP_S", "15"))


def pct(xs, p):
    if not xs:
        return float("nan")
    xs = sorted(xs)
    k = max(0, min(len(xs) - 1, int(round(p / 100.0 * len(xs) + 0.5)) - 1))
    return xs[k]


class Client:
    def __init__(self, base):
        u = urllib.parse.urlsplit(base)
        self.host, self.port = u.hostname, u.port
        self.conn = None

    def request(self, method, path, token, body=None):
        for attempt in (0, 1):
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=120)
            headers = {"authorization": "Bearer " + token} if token else {}
            data = None
            if body is not None:
                data = json.dumps(body).encode()
                headers["content-type"] = "application/json"
            try:
                t0 = time.perf_counter()
                self.conn.request(method, path, body=data, headers=headers)
                r = self.conn.getresponse()
                payload = r.read()
                return r.status, payload, time.perf_counter() - t0
            except (http.client.HTTPException, ConnectionError, OSError):
                self.conn.close()
                self.conn = None
                if attempt:
                    raise
        raise RuntimeError("unreachable")


def login(base, email, password):
    c = Client(base)
    st, body, _ = c.request("POST", "/api/v1/auth/login", None, {"email": email, "password": password})
    if st != 200:
        sys.exit(f"login {email} failed: {st} {body[:200]!r}")
    return json.loads(body)["access_token"]


def run_pass(base, ep, token, n, conc, paths):
    """paths: callable i -> path (distinct ids for one-shot writes)."""
    lat, codes = [], {}
    lock = threading.Lock()
    counter = iter(range(n))
    deadline = time.perf_counter() + CAP_S

    def worker():
        c = Client(base)
        while time.perf_counter() < deadline:
            with lock:
                i = next(counter, None)
            if i is None:
                return
            st, _, dt = c.request(ep["method"], paths(i), token)
            with lock:
                lat.append(dt)
                codes[st] = codes.get(st, 0) + 1

    t0 = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(conc)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    return lat, codes, wall


def main():
    cfg = json.load(open(sys.argv[1]))
    base = cfg["base"]
    tokens = {k: login(base, v, cfg["password"]) for k, v in cfg["users"].items()}
    print(f"requests per pass: sequential {N_SEQ}, concurrent {N} x{CONC} clients "
          f"(each pass capped at {CAP_S:.0f}s); latencies in ms")
    hdr = (f"{'endpoint':<44} {'items':>5} {'KiB':>6} | {'c=1 p50':>8} {'p95':>8} {'max':>8} "
           f"{'n':>4} | {'c=' + str(CONC) + ' rps':>8} {'p50':>8} {'p95':>8} {'max':>8} {'n':>4} | errors")
    print(hdr)
    print("-" * len(hdr))
    results = []
    for ep in cfg["endpoints"]:
        token = tokens[ep["as"]]
        c = Client(base)
        if ep.get("ids"):
            ids = list(ep["ids"])

            def make(offset):
                return lambda i: ep["path"].format(id=ids[offset + i])
            # no warm-up on one-shot writes: every id is approved once
            n_seq = min(N_SEQ, len(ids) // 2)
            n_con = min(N, len(ids) - n_seq)
            seq_paths, con_paths = make(0), make(n_seq)
            items, size = "-", 0
        else:
            st, body, _ = c.request(ep["method"], ep["path"], token)
            for _ in range(2):
                c.request(ep["method"], ep["path"], token)
            try:
                doc = json.loads(body)
                items = len(doc["items"]) if isinstance(doc, dict) and "items" in doc else (
                    len(doc) if isinstance(doc, list) else "-")
            except ValueError:
                items = "?"
            size = len(body)
            n_seq, n_con = N_SEQ, N
            seq_paths = con_paths = (lambda i: ep["path"])
            if st != 200:
                sys.exit(f"{ep['name']}: warm-up answered {st}: {body[:300]!r}")
        lat1, codes1, wall1 = run_pass(base, ep, token, n_seq, 1, seq_paths)
        latc, codesc, wallc = run_pass(base, ep, token, n_con, CONC, con_paths)
        errs = {k: v for k, v in list(codes1.items()) + list(codesc.items()) if not 200 <= k < 300}
        ms = lambda x: x * 1000.0
        row = {
            "endpoint": ep["name"], "items": items, "bytes": size,
            "seq": {"n": len(lat1), "p50": ms(pct(lat1, 50)), "p95": ms(pct(lat1, 95)), "max": ms(max(lat1) if lat1 else float("nan"))},
            "conc": {"n": len(latc), "rps": len(latc) / wallc if wallc else 0.0, "p50": ms(pct(latc, 50)),
                     "p95": ms(pct(latc, 95)), "max": ms(max(latc) if latc else float("nan"))},
            "errors": errs,
        }
        results.append(row)
        s, k = row["seq"], row["conc"]
        print(f"{ep['name']:<44} {str(items):>5} {size / 1024:>6.1f} | {s['p50']:>8.1f} {s['p95']:>8.1f} {s['max']:>8.1f} "
              f"{s['n']:>4} | {k['rps']:>8.1f} {k['p50']:>8.1f} {k['p95']:>8.1f} {k['max']:>8.1f} {k['n']:>4} | "
              f"{errs if errs else ''}", flush=True)
    if len(sys.argv) > 2:
        json.dump(results, open(sys.argv[2], "w"), indent=1)
    # A figure measured on refusals (429, 401, 5xx …) is not the product's: stop with an error.
    failed = [r for r in results if r["errors"]]
    if failed:
        for r in failed:
            print(f"ERROR: {r['endpoint']} answered {r['errors']}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
