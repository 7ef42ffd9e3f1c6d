#!/usr/bin/env bash
# Do the lists hold at region size? Seeds the default scale and SCALE=full into two PostgreSQL
# databases, measures every list and search of run.sh on each (same binary, same settings,
# one after the other) and prints their sequential p50 side by side with the ratio.
# Goal: full / default <= 1.5 for every row (index-bound: nothing that grows with the district).
#
#   scripts/bench/scale.sh                     # seeds both (~2 + ~20 min on 2 cores), then measures
#   SKIP_SEED=1 scripts/bench/scale.sh         # reuse sl_bench_default and sl_bench_full
#   FULL=0.5 scripts/bench/scale.sh            # a smaller "full" (a fraction of the region)
#
# Environment: PG_BASE, BIN, N_SEQ, N, CONC, WORKERS, DB_POOL_SIZE as in run.sh; FULL (scale of
# the big database, default full); OUT_DIR (where the two JSON result files go, default /tmp).
# The approvals are a write, not a list: they are measured but not compared.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
HERE="$ROOT/scripts/bench"
cd "$ROOT"
FULL="${FULL:-full}"
OUT_DIR="${OUT_DIR:-/tmp}"
[[ -x ${BIN:-target/release/sistema-lavoro} ]] || cargo build --locked --release -q -p sistema-lavoro

if [[ ${SKIP_SEED:-0} != 1 ]]; then
  BENCH_DB=sl_bench_default SCALE=default bash "$HERE/seed-region.sh"
  BENCH_DB=sl_bench_full SCALE="$FULL" bash "$HERE/seed-region.sh"
fi
BENCH_DB=sl_bench_default OUT="$OUT_DIR/sl_scale_default.json" bash "$HERE/run.sh"
BENCH_DB=sl_bench_full OUT="$OUT_DIR/sl_scale_full.json" bash "$HERE/run.sh"

python3 - "$OUT_DIR/sl_scale_default.json" "$OUT_DIR/sl_scale_full.json" "$FULL" <<'PY'
import json, sys
small = {r["endpoint"]: r for r in json.load(open(sys.argv[1]))}
big = {r["endpoint"]: r for r in json.load(open(sys.argv[2]))}
print()
print(f"p50 of {small and next(iter(small.values()))['seq']['n']} sequential requests, ms: "
      f"default scale (demo district 20k persons) vs SCALE={sys.argv[3]} (200k at full)")
print(f"{'endpoint':<44} {'default':>8} {'full':>8} {'ratio':>6}  goal <= 1.5")
print("-" * 80)
over = []
for name, s in small.items():
    if name not in big or name.startswith("POST"):
        continue
    a, b = s["seq"]["p50"], big[name]["seq"]["p50"]
    ratio = b / a if a else float("inf")
    mark = "ok" if ratio <= 1.5 else "OVER"
    if ratio > 1.5:
        over.append(name)
    print(f"{name:<44} {a:>8.1f} {b:>8.1f} {ratio:>6.2f}  {mark}")
print()
print(f"{len(over)} of {sum(1 for n in small if n in big and not n.startswith('POST'))} lists over 1.5x"
      + (": " + ", ".join(over) if over else ""))
PY
