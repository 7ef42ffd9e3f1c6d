"""Generate the Python client from openapi.yaml with openapi-python-client (pinned).

usage: python gen_client.py OPENAPI_YAML OUT_DIR

The client is generated at test time into OUT_DIR (a temporary folder, never committed) as the
package `sistema_lavoro_client`. A third party would do the same with the published document.

openapi-python-client refuses a document that is not valid OpenAPI (spec_lint.py reports why).
So that the story test still exercises the server while the document is being fixed, this
script works on a copy and repairs only *mechanical* defects, printing each repair:
  - a response without the required `description` gets its status code as description;
  - a `$ref` to a schema that does not exist becomes `{"type": "string"}`.
Nothing is repaired when openapi.yaml is valid. Set SL_STRICT_CLIENT=1 to refuse any repair.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).parent))
from spec_lint import JsonLikeLoader, resolves  # noqa: E402

PACKAGE = "sistema_lavoro_client"


def repair(doc: dict) -> list[str]:
    repairs: list[str] = []
    for path, item in doc.get("paths", {}).items():
        for method, op in item.items():
            if not isinstance(op, dict):
                continue
            for code, resp in op.get("responses", {}).items():
                if isinstance(resp, dict) and "$ref" not in resp and "description" not in resp:
                    resp["description"] = f"HTTP {code}"
                    repairs.append(f"added description to {method.upper()} {path} {code}")

    def walk(node, where):
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and not resolves(doc, ref):
                node.clear()
                node["type"] = "string"
                repairs.append(f"dangling {ref} at {where} replaced by string")
                return
            for k, v in node.items():
                walk(v, f"{where}/{k}")
        elif isinstance(node, list):
            for i, v in enumerate(node):
                walk(v, f"{where}/{i}")

    walk(doc, "#")
    return repairs


def main() -> int:
    spec_path, out_dir = sys.argv[1], Path(sys.argv[2])
    with open(spec_path, encoding="utf-8") as f:
        doc = yaml.load(f, Loader=JsonLikeLoader)
    repairs = repair(doc)
    if repairs:
        kinds = {}
        for r in repairs:
            kinds.setdefault(r.split(" ")[0] + " " + r.split(" ")[1], []).append(r)
        print(f"gen_client: openapi.yaml needed {len(repairs)} mechanical repairs to generate a client:")
        for k, rs in kinds.items():
            print(f"  {len(rs)}x {rs[0]}{' ...' if len(rs) > 1 else ''}")
        if os.environ.get("SL_STRICT_CLIENT") == "1":
            print("gen_client: SL_STRICT_CLIENT=1, refusing", file=sys.stderr)
            return 1
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        spec_copy = Path(tmp) / "openapi.json"
        spec_copy.write_text(json.dumps(doc), encoding="utf-8")
        config = Path(tmp) / "config.yaml"
        config.write_text(f"package_name_override: {PACKAGE}\nproject_name_override: {PACKAGE}\n")
        target = out_dir / PACKAGE
        cmd = [
            str(Path(sys.executable).with_name("openapi-python-client")),
            "generate",
            "--path", str(spec_copy),
            "--config", str(config),
            "--meta", "none",
            "--output-path", str(target),
            "--overwrite",
        ]
        run = subprocess.run(cmd, capture_output=True, text=True)
        out = (run.stdout + run.stderr).strip()
        if run.returncode != 0 or not (target / "client.py").exists():
            print(out)
            print("gen_client: openapi-python-client failed", file=sys.stderr)
            return 1
        warnings = [l for l in out.splitlines() if "Warning" in l or "WARNING" in l or "Unable" in l]
        if warnings:
            print("gen_client: generator warnings:\n" + out)
    print(f"gen_client: generated {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
