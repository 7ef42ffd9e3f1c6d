#!/usr/bin/env python3
"""EXPLAIN (ANALYZE, BUFFERS) of the SQL the list endpoints issue, as diesel sends it.

Diesel sends every query as a named prepared statement with $n parameters (seen in the server
log with log_min_duration_statement=0), so PostgreSQL plans it with the actual values for the
first five executions and may then switch to a generic plan. Each statement is therefore run as
PREPARE + EXPLAIN EXECUTE twice: plan_cache_mode = force_custom_plan and force_generic_plan.

For each: the time, whether an index serves it, which indexes, rows the executor threw away
(filtered out or sorted beyond the LIMIT), and a flag on any Seq Scan of a big table.
Usage: explain.py DATABASE_URL [plans.txt]   (env VERBOSE=1 prints every plan)
"""
import json
import os
import subprocess
import sys

DB = sys.argv[1]
PLANS_OUT = sys.argv[2] if len(sys.argv) > 2 else None
BIG = {"persons", "referrals", "cases", "follow_ups", "state_changes", "activations", "outcome_checks"}


def psql(sql):
    r = subprocess.run(["psql", "-X", "-At", "-v", "ON_ERROR_STOP=1", "-d", DB, "-c", sql],
                       capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"psql failed: {r.stderr}\n{sql[:400]}")
    return r.stdout.strip()


def lit(v):
    if isinstance(v, list):
        return "ARRAY[" + ",".join(lit(x) for x in v) + "]::text[]"
    if isinstance(v, int):
        return str(v)
    return "'" + str(v).replace("'", "''") + "'"


def cols(table):
    return psql(f"SELECT string_agg(format('%I.%I', '{table}', column_name), ', ' ORDER BY ordinal_position) "
                f"FROM information_schema.columns WHERE table_schema = 'public' AND table_name = '{table}'")


# ------------------------------------------------------------------ parameters
DID = psql("SELECT id FROM districts WHERE code = 'AMBITO-1-BG'")
if not DID:
    sys.exit("no demo district: run seed-region.sh first")
AG1 = psql(f"SELECT id FROM organizations WHERE district_id = '{DID}' AND name = 'Agenzia Lavoro Orobica'")
SOCIAL = psql(f"SELECT id FROM organizations WHERE district_id = '{DID}' AND name = 'Servizio Sociale Comune di Bergamo'")
NREF = int(psql(f"SELECT count(*) FROM referrals WHERE district_id = '{DID}'"))
DEEP = psql(f"SELECT id FROM referrals WHERE district_id = '{DID}' ORDER BY id LIMIT 1 OFFSET {NREF * 9 // 10}")
NPER = int(psql(f"SELECT count(*) FROM persons WHERE district_id = '{DID}'"))
TAX = psql(f"SELECT tax_code FROM persons WHERE district_id = '{DID}' ORDER BY id LIMIT 1 OFFSET {NPER // 2}")
CASE = psql(f"SELECT id FROM cases WHERE agency_id = '{AG1}' AND status = 'active' ORDER BY id LIMIT 1 OFFSET 100") \
    or psql(f"SELECT id FROM cases WHERE agency_id = '{AG1}' ORDER BY id LIMIT 1")
REF_OF_CASE = psql(f"SELECT referral_id FROM cases WHERE id = '{CASE}'")
ACTS = [a for a in psql(f"SELECT id FROM activations WHERE case_id = '{CASE}'").split("\n") if a]
TODAY = psql("SELECT (now() AT TIME ZONE 'Europe/Rome')::date")
OPEN4 = ["assigned", "in_charge", "active", "monitoring"]
HI = "\U0010ffff"

R, P, C, F, S, A, O = (cols(t) for t in ("referrals", "persons", "cases", "follow_ups", "state_changes",
                                         "activations", "outcome_checks"))
TH = cols("thresholds")

# (name, sql with $n, params, limit-bound?) -- the SQL text is the one diesel sends.
QUERIES = [
    ("referrals first page", f'SELECT {R} FROM referrals WHERE (referrals.district_id = $1) ORDER BY referrals.id LIMIT $2', [DID, 51]),
    ("referrals deep page (after=90%)", f'SELECT {R} FROM referrals WHERE ((referrals.district_id = $1) AND (referrals.id > $2)) ORDER BY referrals.id LIMIT $3', [DID, DEEP, 51]),
    ("referrals status=submitted", f'SELECT {R} FROM referrals WHERE ((referrals.district_id = $1) AND (referrals.status = ANY($2))) ORDER BY referrals.id LIMIT $3', [DID, ["submitted"], 51]),
    ("referrals status=accepted", f'SELECT {R} FROM referrals WHERE ((referrals.district_id = $1) AND (referrals.status = ANY($2))) ORDER BY referrals.id LIMIT $3', [DID, ["accepted"], 51]),
    ("referrals (referrer's organization)", f'SELECT {R} FROM referrals WHERE ((referrals.district_id = $1) AND (referrals.organization_id = $2)) ORDER BY referrals.id LIMIT $3', [DID, SOCIAL, 51]),
    ("persons q=ros", f'SELECT {P} FROM persons WHERE (((persons.district_id = $1) AND (persons.name_key >= $2)) AND (persons.name_key < $3)) ORDER BY persons.id LIMIT $4', [DID, "ros", "ros" + HI, 51]),
    ("persons q=b (short prefix)", f'SELECT {P} FROM persons WHERE (((persons.district_id = $1) AND (persons.name_key >= $2)) AND (persons.name_key < $3)) ORDER BY persons.id LIMIT $4', [DID, "b", "b" + HI, 51]),
    ("persons tax_code=", f'SELECT {P} FROM persons WHERE ((persons.district_id = $1) AND (persons.tax_code = $2)) ORDER BY persons.id LIMIT $3', [DID, TAX, 51]),
    ("persons (agency operator scope)", f'SELECT {P} FROM persons WHERE ((persons.district_id = $1) AND (persons.id = ANY(SELECT cases.person_id FROM cases WHERE (cases.agency_id = $2)))) ORDER BY persons.id LIMIT $3', [DID, AG1, 51]),
    ("persons (referrer scope)", f'SELECT {P} FROM persons WHERE ((persons.district_id = $1) AND ((persons.id = ANY(SELECT referrals.person_id FROM referrals WHERE (referrals.organization_id = $2))) OR (persons.created_by = ANY(SELECT users.id FROM users WHERE (users.organization_id = $3))))) ORDER BY persons.id LIMIT $4', [DID, SOCIAL, SOCIAL, 51]),
    ("cases overdue=true (coordinator)", f'SELECT {C} FROM cases WHERE (((cases.district_id = $1) AND (cases.status = ANY($2))) AND (cases.next_due_date < $3)) ORDER BY cases.id LIMIT $4', [DID, OPEN4, TODAY, 51]),
    ("cases (agency operator)", f'SELECT {C} FROM cases WHERE ((cases.district_id = $1) AND (cases.agency_id = $2)) ORDER BY cases.id LIMIT $3', [DID, AG1, 51]),
    ("cases overdue=true (agency operator)", f'SELECT {C} FROM cases WHERE ((((cases.district_id = $1) AND (cases.agency_id = $2)) AND (cases.status = ANY($3))) AND (cases.next_due_date < $4)) ORDER BY cases.id LIMIT $5', [DID, AG1, OPEN4, TODAY, 51]),
    ("cases status=active (coordinator)", f'SELECT {C} FROM cases WHERE ((cases.district_id = $1) AND (cases.status = ANY($2))) ORDER BY cases.id LIMIT $3', [DID, ["active"], 51]),
    ("case follow-ups page", f'SELECT {F} FROM follow_ups WHERE (follow_ups.case_id = $1) ORDER BY follow_ups.id LIMIT $2', [CASE, 51]),
    ("timeline: referral history", f'SELECT {S} FROM state_changes WHERE ((state_changes.entity_type = $1) AND (state_changes.entity_id = ANY($2))) ORDER BY state_changes.at, state_changes.id', ["referral", [REF_OF_CASE]]),
    ("timeline: case history", f'SELECT {S} FROM state_changes WHERE ((state_changes.entity_type = $1) AND (state_changes.entity_id = ANY($2))) ORDER BY state_changes.at, state_changes.id', ["case", [CASE]]),
    ("timeline: activations of case", f'SELECT {A} FROM activations WHERE (activations.case_id = $1) ORDER BY activations.id', [CASE]),
    ("timeline: activation histories", f'SELECT {S} FROM state_changes WHERE ((state_changes.entity_type = $1) AND (state_changes.entity_id = ANY($2))) ORDER BY state_changes.at, state_changes.id', ["activation", ACTS or ["none"]]),
    ("timeline: all follow-ups of case", f'SELECT {F} FROM follow_ups WHERE (follow_ups.case_id = $1) ORDER BY follow_ups.id', [CASE]),
    ("timeline: outcome checks", f'SELECT {O} FROM outcome_checks WHERE (outcome_checks.case_id = $1) ORDER BY outcome_checks.months', [CASE]),
    ("summary: referrals by status", 'SELECT referrals.status, COUNT(*) FROM referrals WHERE (referrals.district_id = $1) GROUP BY referrals.status', [DID]),
    ("summary: cases by status", 'SELECT cases.status, COUNT(*) FROM cases WHERE (cases.district_id = $1) GROUP BY cases.status', [DID]),
    ("summary: closed cases by outcome", 'SELECT cases.outcome, COUNT(*) FROM cases WHERE ((cases.district_id = $1) AND (cases.status = $2)) GROUP BY cases.outcome', [DID, "closed"]),
    ("summary: overdue count", 'SELECT COUNT(*) FROM cases WHERE (((cases.district_id = $1) AND (cases.status = ANY($2))) AND (cases.next_due_date < $3))', [DID, OPEN4, TODAY]),
    ("summary: thresholds of district", f'SELECT {TH} FROM thresholds WHERE (thresholds.district_id = $1) ORDER BY thresholds.id LIMIT $2', [DID, 100001]),
    ("per-row: case of referral (N+1)", f'SELECT {C} FROM cases WHERE (cases.referral_id = $1) LIMIT $2', [REF_OF_CASE, 1]),
]


def walk(node, out):
    out.append(node)
    for ch in node.get("Plans", []):
        walk(ch, out)
    return out


def analyze(sql, params, mode):
    types = []
    for v in params:
        types.append("text[]" if isinstance(v, list) else ("bigint" if isinstance(v, int) else
                     ("date" if v == TODAY else "text")))
    script = (f"SET plan_cache_mode = {mode}; SET max_parallel_workers_per_gather = "
              f"{os.environ.get('PARALLEL', '2')};\n"
              f"PREPARE q({', '.join(types)}) AS {sql};\n"
              f"EXECUTE q({', '.join(lit(v) for v in params)});\n"  # warm the cache
              f"EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) EXECUTE q({', '.join(lit(v) for v in params)});\n")
    r = subprocess.run(["psql", "-X", "-At", "-v", "ON_ERROR_STOP=1", "-d", DB], input=script,
                       capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"psql failed: {r.stderr}\n{script[:600]}")
    # the JSON plan is the last output block
    out = r.stdout
    start = out.rfind("\n[") + 1 if "\n[" in out else out.find("[")
    doc = json.loads(out[start:])[0]
    nodes = walk(doc["Plan"], [])
    idx = sorted({n["Index Name"] for n in nodes if "Index Name" in n})
    seq_big = sorted({n["Relation Name"] for n in nodes if n["Node Type"] == "Seq Scan" and n.get("Relation Name") in BIG})
    seq_any = sorted({n["Relation Name"] for n in nodes if n["Node Type"] == "Seq Scan"})
    removed = sum(int(n.get("Rows Removed by Filter", 0)) * int(n.get("Actual Loops", 1)) for n in nodes)
    sorted_rows = max([int(n.get("Actual Rows", 0)) for n in nodes if n["Node Type"] == "Sort"] + [0])
    sorts = [n for n in nodes if n["Node Type"] == "Sort"]
    buffers = doc["Plan"].get("Shared Hit Blocks", 0) + doc["Plan"].get("Shared Read Blocks", 0)
    # rows entering a Sort below a Limit: find the Sort's input rows
    sort_in = 0
    for s in sorts:
        for ch in s.get("Plans", []):
            sort_in = max(sort_in, int(ch.get("Actual Rows", 0)) * int(ch.get("Actual Loops", 1)))
    text = subprocess.run(["psql", "-X", "-At", "-d", DB], input=script.replace("FORMAT JSON", "FORMAT TEXT"),
                          capture_output=True, text=True).stdout
    text = text[text.find("QUERY PLAN") if "QUERY PLAN" in text else 0:]
    return {
        "ms": doc["Execution Time"] + doc.get("Planning Time", 0), "exec_ms": doc["Execution Time"],
        "rows": doc["Plan"].get("Actual Rows", 0), "indexes": idx, "seq_big": seq_big, "seq_any": seq_any,
        "removed": removed, "sort_in": sort_in, "buffers": buffers, "top": doc["Plan"]["Node Type"],
        "text": "\n".join(l for l in text.splitlines() if l.strip() and not l.startswith(("SET", "PREPARE"))),
    }


def main():
    print(f"database {DB}; demo district: {NPER} persons, {NREF} referrals; case {CASE}")
    print("times are warm-cache execution + planning, ms; 'thrown' = rows read then discarded by a filter"
          " or sorted to keep the LIMIT's 51\n")
    hdr = f"{'query':<38} {'plan':<7} {'ms':>8} {'rows':>5} {'thrown':>8} {'bufs':>6}  index(es) used / flags"
    print(hdr)
    print("-" * 130)
    plans = []
    flagged = []
    for name, sql, params in QUERIES:
        res = {}
        for mode, label in (("force_custom_plan", "custom"), ("force_generic_plan", "generic")):
            r = analyze(sql, params, mode)
            res[label] = r
            thrown = r["removed"] + max(0, r["sort_in"] - r["rows"])
            flags = []
            if r["seq_big"]:
                flags.append("SEQ SCAN on big table " + ",".join(r["seq_big"]))
            elif r["seq_any"]:
                flags.append("seq scan (small): " + ",".join(r["seq_any"]))
            if not r["indexes"]:
                flags.append("NO INDEX")
            if r["sort_in"] > 1000:
                flags.append(f"sorts {r['sort_in']} rows")
            if r["removed"] > 1000:
                flags.append(f"filters out {r['removed']} rows")
            if r["ms"] > 20:
                flags.append("SLOW")
            used = ",".join(r["indexes"]) or "-"
            line = f"{name if label == 'custom' else '':<38} {label:<7} {r['ms']:>8.2f} {r['rows']:>5} {thrown:>8} {r['buffers']:>6}  {used}"
            if flags:
                line += "  <-- " + "; ".join(flags)
                flagged.append((name, label, flags))
            print(line, flush=True)
            plans.append(f"=== {name} [{label} plan]\n{sql}\nparams: {params}\n{r['text']}\n")
            if os.environ.get("VERBOSE"):
                print(r["text"])
    if PLANS_OUT:
        open(PLANS_OUT, "w").write("\n".join(plans))
        print(f"\nfull plans: {PLANS_OUT}")
    print(f"\n{len(flagged)} flagged plan(s)")


main()
