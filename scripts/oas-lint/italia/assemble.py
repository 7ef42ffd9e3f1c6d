#!/usr/bin/env python3
"""Assemble AgID's "Italian Guidelines Full" Spectral profile for offline use.

Usage: python3 assemble.py UPSTREAM_DIR [OUT_DIR]

UPSTREAM_DIR is a copy of italia/api-oas-checker-rules (at least rules/ and
security/functions/). OUT_DIR (default: this folder) receives
spectral-full.yml and functions/.

It does what upstream's Makefile target `spectral.yml` (named "Italian
Guidelines Full") does: the template, then every rules/*.yml of the top level
of rules/ in name order, deep-merged into one document (maps merged, lists
appended, later scalars win) with YAML anchors expanded. Custom functions are
copied into functions/, where Spectral looks for them next to the ruleset.
The result extends only `spectral:oas`, which ships inside spectral-cli: no
URL is fetched at lint time. Needs PyYAML.
"""
import os
import shutil
import sys

import yaml


def deep_merge(into, other):
    for key, value in other.items():
        if key in into and isinstance(into[key], dict) and isinstance(value, dict):
            deep_merge(into[key], value)
        elif key in into and isinstance(into[key], list) and isinstance(value, list):
            into[key].extend(value)
        else:
            into[key] = value
    return into


class FlatDumper(yaml.SafeDumper):
    def ignore_aliases(self, data):
        return True


def _str(dumper, text):
    return dumper.represent_scalar(
        "tag:yaml.org,2002:str", text, style="|" if "\n" in text else None
    )


FlatDumper.add_representer(str, _str)


def main():
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__)
    src = sys.argv[1]
    out = sys.argv[2] if len(sys.argv) == 3 else os.path.dirname(os.path.abspath(__file__))
    rules_dir = os.path.join(src, "rules")

    merged = {}
    names = sorted(n for n in os.listdir(rules_dir) if n.endswith((".yml", ".yaml")))
    for name in names:
        with open(os.path.join(rules_dir, name), encoding="utf-8") as f:
            deep_merge(merged, yaml.full_load(f) or {})
    if "extends" in merged:
        sys.exit("a rules file declares `extends:`; check it needs no network before vendoring")

    with open(os.path.join(rules_dir, "rules-template.yml.template"), encoding="utf-8") as f:
        template = f.read()
    body = yaml.dump(merged, Dumper=FlatDumper, indent=4, sort_keys=False, width=1000)
    with open(os.path.join(out, "spectral-full.yml"), "w", encoding="utf-8") as f:
        f.write("#\tRuleset name: Italian Guidelines Full\n")
        f.write("#\tAssembled by assemble.py from: " + ", ".join(names) + "\n\n")
        f.write(template + "\n" + body)

    wanted = merged.get("functions", [])
    fn_out = os.path.join(out, "functions")
    os.makedirs(fn_out, exist_ok=True)
    for fn in wanted:
        shutil.copy(os.path.join(src, "security", "functions", fn + ".js"), fn_out)
    print(f"spectral-full.yml: {len(merged.get('rules', {}))} rules from {len(names)} files; "
          f"functions: {', '.join(wanted) or 'none'}")


if __name__ == "__main__":
    main()
