"""Schemathesis hooks for Sistema Lavoro (loaded by run.sh through SCHEMATHESIS_HOOKS).

One custom check, `documented_constraints`, a sharper `positive_data_acceptance`.

The built-in `positive_data_acceptance` fails whenever a request that satisfies the schema gets a
4xx other than 401/403/404/409/429. On this API many of those rejections are business rules that no
JSON Schema can state: a referenced record that does not exist or is not visible to the caller
(`unknown`), a tax code whose check character is wrong (`checksum`), a follow-up dated in the
future (`future`), a field required only for some outcome (`required`), a duplicate (`duplicate`)...
So run.sh lets the built-in check accept 422 and this check looks inside the 422 instead: the
server's problem+json lists every bad field with a stable `code`, and the codes below are the
ones a schema *can* state (lengths, ranges, enums, types, patterns). A schema-valid request
rejected with one of them means openapi.yaml does not say what the server enforces: a
generated client would happily send it. That is a failure.

The one exception is a value that violates a `format` the spec does declare (`date`,
`date-time`, `email`): JSON Schema 2020-12 treats `format` as an annotation, and Schemathesis's
coverage phase sends e.g. "" for a `format: date` string. The server is right to refuse it and
the spec does say it, so that rejection is skipped.
"""

from __future__ import annotations

import json
import re
from typing import Any

import schemathesis
from schemathesis.core.failures import Failure

# Field-error codes a JSON Schema can express (see api/src/http/problem.rs and the validators).
SCHEMA_EXPRESSIBLE = {"length", "range", "enum", "type", "format", "email", "min", "max"}

# Rules that share a schema-like code but compare against another field, a date bound, or a
# date of the stored record (e.g. a first meeting "cannot be before the case was assigned").
# The server answers in Italian unless asked otherwise (Accept-Language), so both wordings.
CROSS_FIELD = re.compile(
    r"must not be (before|after|below|above) \w+$"
    r"|must be (after|before) \d{4}-\d{2}-\d{2}$"
    r"|cannot be (before|after) the \w+"
    r"|non può essere (precedente|successiv[ao]|inferiore|superiore) (a |al |alla |all')\S+"
    r"|deve essere (successiv[ao]|precedente) al \d{2}/\d{2}/\d{4}$"
    # Every date of every body and query falls in 1900–2200 (a bound `format: date` cannot state).
    r"|la data deve cadere tra il \d{4} e il \d{4}"
    r"|the date must fall between \d{4} and \d{4}"
)

FORMAT_RES = {
    "date": re.compile(r"^\d{4}-\d{2}-\d{2}$"),
    "date-time": re.compile(r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$"),
    "email": re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$"),
}


class UndocumentedConstraint(Failure):
    """A schema-valid request rejected for a rule openapi.yaml could state but does not."""

    code = "ST901"
    kind_title = "Schema-valid request rejected for an undocumented constraint"

    def __init__(self, *, operation: str, message: str, fields: list[str]) -> None:
        super().__init__(operation=operation, message=message)
        self._fields = ",".join(sorted(fields))

    __slots__ = ("_fields",)

    @property
    def _unique_key(self) -> str:
        return self._fields


def _resolve(raw: dict[str, Any], node: Any, depth: int = 0) -> Any:
    while isinstance(node, dict) and "$ref" in node and depth < 20:
        ref = node["$ref"]
        if not ref.startswith("#/"):
            return node
        target: Any = raw
        for part in ref[2:].split("/"):
            target = target.get(part, {}) if isinstance(target, dict) else {}
        node = target
        depth += 1
    return node


def _property_formats(raw: dict[str, Any], schema: Any, name: str) -> set[str]:
    """Every `format` the schema declares for top-level property `name` (through refs/oneOf)."""
    found: set[str] = set()
    stack = [schema]
    seen = 0
    while stack and seen < 50:
        seen += 1
        node = _resolve(raw, stack.pop())
        if not isinstance(node, dict):
            continue
        prop = node.get("properties", {}).get(name)
        if prop is not None:
            inner = [prop]
            while inner:
                p = _resolve(raw, inner.pop())
                if isinstance(p, dict):
                    if "format" in p:
                        found.add(p["format"])
                    for key in ("oneOf", "anyOf", "allOf"):
                        inner.extend(p.get(key, []))
                    if "items" in p:
                        inner.append(p["items"])
        for key in ("oneOf", "anyOf", "allOf"):
            stack.extend(node.get(key, []))
    return found


def _value_at(body: Any, field: str) -> Any:
    cur = body
    for part in re.findall(r"[^.\[\]]+|\[\d+\]", field):
        if part.startswith("["):
            idx = int(part[1:-1])
            cur = cur[idx] if isinstance(cur, list) and idx < len(cur) else None
        else:
            cur = cur.get(part) if isinstance(cur, dict) else None
    return cur


def _request_schema(case: Any) -> Any:
    try:
        op = case.operation.definition.raw
    except AttributeError:
        return None
    body = _resolve(case.operation.schema.raw_schema, op.get("requestBody", {}))
    return body.get("content", {}).get("application/json", {}).get("schema") if isinstance(body, dict) else None


@schemathesis.check
def documented_constraints(ctx, response, case):
    meta = case.meta
    if meta is None or not meta.generation.mode.is_positive or response.status_code != 422:
        return None
    try:
        problem = json.loads(response.content)
    except ValueError:
        return None
    errors = problem.get("errors") or []
    raw = case.operation.schema.raw_schema
    schema = _request_schema(case)
    bad = []
    for err in errors:
        code, field = err.get("code"), err.get("field", "")
        if code not in SCHEMA_EXPRESSIBLE:
            continue  # a business rule: existence, checksum, cross-field, dates in the future...
        message = err.get("message") or ""
        if CROSS_FIELD.search(message):
            continue  # compares two fields (or a date with a bound): no JSON Schema keyword for it
        top = re.split(r"[.\[]", field, maxsplit=1)[0]
        value = _value_at(case.body, field) if isinstance(case.body, dict) else None
        if code in ("length", "min") and isinstance(value, str) and value.strip() != value:
            continue  # texts are trimmed before the rules (API.md); a blank text is a missing one
        if code == "type" and isinstance(value, float) and value.is_integer():
            continue  # JSON Schema counts 5.0 as an integer; serde's i64 does not (see README)
        if schema is not None and isinstance(value, str):
            formats = _property_formats(raw, schema, top)
            if any(f in FORMAT_RES and not FORMAT_RES[f].match(value) for f in formats):
                continue  # the spec declares the format; the generator ignored it
        bad.append(f"{field}: {code} ({err.get('message')}); sent {json.dumps(value)[:80]}")
    if bad:
        raise UndocumentedConstraint(
            operation=case.operation.label,
            message="The request satisfies openapi.yaml but the server refused it for a rule the schema "
            "could state (minLength/maxLength, minimum/maximum, minItems, enum, pattern, format):\n  - "
            + "\n  - ".join(bad),
            fields=[re.sub(r"\[\d+\]", "[]", b.split(":", 1)[0]) for b in bad],
        )
    return None
