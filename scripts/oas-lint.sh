#!/usr/bin/env bash
# Lints an OpenAPI document against two Spectral rulesets, with no network:
#   - OWASP API Security Top 10 (scripts/oas-lint/owasp.spectral.yaml)
#   - AgID's interoperability guidelines, as this project checks them
#     (scripts/oas-lint/agid.spectral.yaml)
#   - the national checker's "Italian Guidelines Full" profile, when a local
#     copy sits in scripts/oas-lint/italia/ (see its README.md)
# Prints, per ruleset, the number of errors and warnings and the count per rule.
#
# Usage: scripts/oas-lint.sh [path/to/openapi.yaml]   (default: the repo's openapi.yaml)
# Exit:  0 no errors; 1 a ruleset reported at least one error;
#        2 the linter could not run (install failed, ruleset missing or broken).
# Set OAS_LINT_REPORT_DIR=dir to keep Spectral's JSON reports (owasp.json, italia.json).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
tool="$here/oas-lint"
repo="$(cd "$here/.." && pwd)"

doc="${1:-$repo/openapi.yaml}"
if [[ ! -f "$doc" ]]; then
  echo "oas-lint: no such file: $doc" >&2
  exit 2
fi
doc="$(cd "$(dirname "$doc")" && pwd)/$(basename "$doc")"

command -v node >/dev/null && command -v npm >/dev/null || {
  echo "oas-lint: node and npm are needed" >&2
  exit 2
}

# Install the pinned tools only when node_modules is missing or the lockfile
# changed since the last install. Scripts are not run: the only install script
# in the tree is a telemetry ping (@scarf/scarf), which the lint does not need.
lock_hash() { node -e 'process.stdout.write(require("crypto").createHash("sha256").update(require("fs").readFileSync(process.argv[1])).digest("hex"))' "$tool/package-lock.json"; }
stamp="$tool/node_modules/.oas-lint-lockfile.sha256"
want="$(lock_hash)"
if [[ ! -x "$tool/node_modules/.bin/spectral" || ! -f "$stamp" || "$(cat "$stamp")" != "$want" ]]; then
  echo "oas-lint: installing the pinned linter (npm ci)..." >&2
  if ! (cd "$tool" && SCARF_ANALYTICS=false npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null); then
    echo "oas-lint: npm ci failed in $tool" >&2
    exit 2
  fi
  printf '%s' "$want" >"$stamp"
fi

if [[ -n "${OAS_LINT_REPORT_DIR:-}" ]]; then
  out="$OAS_LINT_REPORT_DIR"
  mkdir -p "$out"
else
  out="$(mktemp -d)"
  trap 'rm -rf "$out"' EXIT
fi

echo "oas-lint: $doc"
status=0
# lint NAME LABEL RULESET
lint() {
  local name="$1" label="$2" ruleset="$3" rc=0
  if [[ ! -f "$ruleset" ]]; then
    echo "== $label: NOT RUN, ruleset missing: $ruleset" >&2
    [[ "$name" == italia ]] && echo "   (see $tool/italia/README.md for how to vendor it)" >&2
    status=2
    return
  fi
  rm -f "$out/$name.json"
  # Spectral exits 1 when it finds errors (--fail-severity=error); anything
  # else without a report means the linter itself failed.
  (cd "$tool" && SCARF_ANALYTICS=false node_modules/.bin/spectral lint \
      --ruleset "$ruleset" --fail-severity=error --format json --output "$out/$name.json" \
      --quiet "$doc") || rc=$?
  if [[ ! -s "$out/$name.json" ]] || (( rc > 1 )); then
    echo "== $label: Spectral failed (exit $rc)" >&2
    status=2
    return
  fi
  rc=0
  node "$tool/summarize.mjs" "$label" "$out/$name.json" || rc=$?
  if (( rc == 2 )); then
    status=2
  elif (( rc == 1 && status == 0 )); then
    status=1
  fi
}

lint owasp "OWASP API Security ($(basename "$tool")/owasp.spectral.yaml)" "$tool/owasp.spectral.yaml"
lint agid "AgID interoperability, this project's checks ($(basename "$tool")/agid.spectral.yaml)" "$tool/agid.spectral.yaml"
# The national checker's own ruleset, where a local copy exists (it is not committed here:
# see italia/README.md). Missing, it is reported and skipped, not a failure.
if [[ -f "$tool/italia/spectral-full.yml" ]]; then
  lint italia "Italian Guidelines Full ($(basename "$tool")/italia/spectral-full.yml)" "$tool/italia/spectral-full.yml"
else
  echo "== Italian Guidelines Full: skipped, no local copy of the national checker's rules (see $tool/italia/README.md)"
fi

case "$status" in
  0) echo "oas-lint: no errors" ;;
  1) echo "oas-lint: errors found (exit 1)" ;;
  *) echo "oas-lint: could not run every ruleset (exit 2)" ;;
esac
exit "$status"
