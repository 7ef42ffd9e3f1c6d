#!/usr/bin/env python3
"""Copies the seeded PostgreSQL bench database into a fresh SQLite file, for BACKEND=sqlite.

  python3 scripts/bench/sqlite-from-pg.py [SQLITE_FILE]      (default /tmp/sl_bench.sqlite)

The SQLite schema comes from the API binary's own migrations (`BIN migrate`); every table is
then filled from PostgreSQL (`\\copy ... TO STDOUT CSV`), booleans as 0/1, timestamps and dates
as the same text diesel writes. Like the app, it does not run ANALYZE (SQLITE_ANALYZE=1 does).
Env: BENCH_DB, PG_BASE, BIN as for the other scripts.
"""
import csv
import io
import os
import sqlite3
import subprocess
import sys
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
DB = os.environ.get("PG_BASE", "postgres://postgres@127.0.0.1:5432") + "/" + os.environ.get("BENCH_DB", "sl_bench")
OUT = sys.argv[1] if len(sys.argv) > 1 else "/tmp/sl_bench.sqlite"
BIN = os.environ.get("BIN") or next(
    (b for b in ("target/release/sistema-lavoro", "target/debug/sistema-lavoro") if os.access(os.path.join(ROOT, b), os.X_OK)),
    None)
if not BIN:
    sys.exit("no API binary")

t0 = time.time()
for suffix in ("", "-wal", "-shm"):
    if os.path.exists(OUT + suffix):
        os.remove(OUT + suffix)
subprocess.run([os.path.join(ROOT, BIN), "migrate"], env={**os.environ, "DATABASE_URL": OUT}, check=True,
               cwd=ROOT)

lite = sqlite3.connect(OUT, isolation_level=None)
lite.execute("PRAGMA foreign_keys = OFF")
lite.execute("PRAGMA synchronous = OFF")
tables = [r[0] for r in lite.execute(
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
    "AND name <> '__diesel_schema_migrations' ORDER BY name")]


def pg(sql):
    return subprocess.run(["psql", "-X", "-At", "-d", DB, "-c", sql], capture_output=True, text=True,
                          check=True).stdout


for t in tables:
    cols = [r[1] for r in lite.execute(f"PRAGMA table_info({t})")]
    pg_cols = dict(l.split("|") for l in pg(
        f"SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = 'public' "
        f"AND table_name = '{t}'").split("\n") if l)
    missing = [c for c in cols if c not in pg_cols]
    if missing:
        sys.exit(f"{t}: columns {missing} are not in PostgreSQL: re-seed with the same binary")
    booleans = {i for i, c in enumerate(cols) if pg_cols[c] == "boolean"}
    sel = ", ".join(f'"{c}"' for c in cols)
    p = subprocess.Popen(["psql", "-X", "-d", DB, "-c",
                          f"\\copy (SELECT {sel} FROM {t}) TO STDOUT WITH (FORMAT csv, NULL '\\N')"],
                         stdout=subprocess.PIPE)
    reader = csv.reader(io.TextIOWrapper(p.stdout, encoding="utf-8", newline=""))
    ins = f"INSERT INTO {t} ({sel}) VALUES ({', '.join('?' for _ in cols)})"
    lite.execute("BEGIN")
    n = 0
    batch = []
    for row in reader:
        row = [None if v == "\\N" else v for v in row]
        for i in booleans:
            if row[i] is not None:
                row[i] = 1 if row[i] == "t" else 0
        batch.append(row)
        if len(batch) >= 20000:
            lite.executemany(ins, batch)
            n += len(batch)
            batch = []
    lite.executemany(ins, batch)
    n += len(batch)
    lite.execute("COMMIT")
    if p.wait() != 0:
        sys.exit(f"copy of {t} failed")
    if n:
        print(f"  {t:<28} {n:>9} rows", flush=True)

if os.environ.get("SQLITE_ANALYZE"):
    lite.execute("ANALYZE")
lite.close()
print(f"{OUT}: {os.path.getsize(OUT) / 1e6:.0f} MB in {time.time() - t0:.0f}s")
