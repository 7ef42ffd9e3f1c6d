"""Static checks of openapi.yaml that Schemathesis does not make (it tolerates an invalid document).

usage: python spec_lint.py OPENAPI_YAML [SERVED_JSON_URL]

1. The document is valid OpenAPI 3.1 (openapi-spec-validator): e.g. every response has the
   required `description`.
2. Every operationId is unique (OpenAPI: "MUST be unique among all operations"); generated clients
   name their functions after it.
3. Every local `$ref` resolves.
4. With a URL: the served /api/v1/openapi.json is the same document as openapi.yaml.
0. Before all: a YAML 1.1 loader (PyYAML safe_load) reads the same document as a JSON-like one.

Prints one line per problem and exits 1 if there is any.
"""

from __future__ import annotations

import collections
import json
import sys
import urllib.request

import yaml


class JsonLikeLoader(yaml.SafeLoader):
    """YAML 1.1 turns an unquoted 2026-01-01 into a date; JSON (and YAML 1.2) keep the string."""


JsonLikeLoader.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def local_refs(node, path="#"):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                yield path, value
            else:
                yield from local_refs(value, f"{path}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from local_refs(value, f"{path}/{i}")


def resolves(doc, ref: str) -> bool:
    if not ref.startswith("#/"):
        return True
    cur = doc
    for part in ref[2:].split("/"):
        part = part.replace("~1", "/").replace("~0", "~")
        if not isinstance(cur, dict) or part not in cur:
            return False
        cur = cur[part]
    return True


def main() -> int:
    spec_path = sys.argv[1]
    with open(spec_path, encoding="utf-8") as f:
        text = f.read()
    doc = yaml.load(text, Loader=JsonLikeLoader)
    problems: list[str] = []

    # 0. A YAML 1.1 reader (PyYAML's safe_load, what most Python tooling uses) reads the same
    #    document: no unquoted date or time turned into a date object.
    if yaml.safe_load(text) != doc:
        problems.append("openapi.yaml reads differently with a YAML 1.1 loader (an unquoted date or time?)")

    # 1. OpenAPI 3.1 validity: every error, not just the first.
    from openapi_spec_validator import OpenAPIV31SpecValidator

    errors = []
    try:
        for e in OpenAPIV31SpecValidator(doc).iter_errors():
            errors.append(e)
    except Exception as exc:  # the validator gives up on a dangling $ref
        problems.append(f"openapi-spec-validator stopped: {type(exc).__name__}: {str(exc)[:160]}")
    by_kind = collections.Counter()
    examples: dict[str, str] = {}
    for e in errors:
        where = "/".join(str(p) for p in e.absolute_path)
        if e.message.startswith("Operation ID"):
            continue  # reported below, with every operation that shares it
        first = e.message.splitlines()[0]
        kind = first if len(first) < 120 else first[:117] + "..."
        # group "'description' is a required property" and the like
        key = kind.split(" on instance")[0]
        by_kind[key] += 1
        examples.setdefault(key, where)
    for kind, n in by_kind.most_common():
        problems.append(f"invalid OpenAPI 3.1 ({n}x): {kind} -- first at {examples[kind]}")

    # Missing response descriptions, listed precisely (the validator above stops at the first
    # error of some branches).
    missing = [
        f"{method.upper()} {path} {code}"
        for path, item in doc.get("paths", {}).items()
        for method, op in item.items()
        if isinstance(op, dict)
        for code, resp in op.get("responses", {}).items()
        if isinstance(resp, dict) and "$ref" not in resp and "description" not in resp
    ]
    if missing:
        problems.append(
            f"{len(missing)} responses lack the required `description`, e.g. " + "; ".join(missing[:5])
        )

    # 2. Unique operationIds.
    ids = collections.defaultdict(list)
    for path, item in doc.get("paths", {}).items():
        for method, op in item.items():
            if isinstance(op, dict) and "operationId" in op:
                ids[op["operationId"]].append(f"{method.upper()} {path}")
    for op_id, where in sorted(ids.items()):
        if len(where) > 1:
            problems.append(f"operationId {op_id!r} is used {len(where)} times: " + ", ".join(where))

    # 3. Dangling local references.
    for where, ref in local_refs(doc):
        if not resolves(doc, ref):
            problems.append(f"unresolvable $ref {ref} at {where}")

    # 4. Served document == file.
    if len(sys.argv) > 2:
        with urllib.request.urlopen(sys.argv[2], timeout=10) as r:
            served = json.load(r)
        if served != doc:
            diff = [k for k in set(served) | set(doc) if served.get(k) != doc.get(k)]
            problems.append(f"the served {sys.argv[2]} differs from {spec_path} in: {sorted(diff)}")

    for p in problems:
        print(f"  SPEC: {p}")
    if not problems:
        print("  spec: valid OpenAPI 3.1, unique operationIds, all $refs resolve, served == file")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
