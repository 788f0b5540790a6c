"""Write `docs/reference.md`: every method, parameter, type, limit and enum, from openapi.yaml.

The prose in README.md and docs/ states no limit or enum of its own: it
links here, so a spec change that moves a bound or adds a value updates the
documentation by `make generate`, and `make check-generated` catches a
forgotten regeneration.
"""

from __future__ import annotations

import json
from typing import Any

from spec_model import (
    Module,
    Operation,
    Spec,
    classify,
    item_class_name,
    null_clears,
    read_operation,
)

HEADER = """\
# API reference

Generated from `openapi.yaml` by `scripts/reference.py` (`make generate`); do not edit.

Every method below exists on both clients: `await client.<group>.<method>(...)` on
`PrefactorHttpClient` and `client.<group>.<method>(...)` on `SyncPrefactorHttpClient`.
Each also takes `timeout` and `max_retries` by keyword. Arguments are checked
against these constraints before anything is sent; a bad one raises
`PrefactorValidationError` naming it. Each making one request also has a twin,
`client.<group>.with_raw_response.<method>(...)`, returning a `RawResponse`
(status, headers, request id) around the same result
([responses-and-options.md](responses-and-options.md)).
"""


def constraints(spec: Spec, schema: dict[str, Any]) -> str:
    """The limits and values a parameter is held to, in words."""
    shape = spec.shape(schema)
    inner = shape.schema
    parts = []
    if shape.name == "IdempotencyKey" or shape.name == "JsonObject":
        inner = spec.schemas[shape.name]
    if "enum" in inner:
        parts.append("one of " + ", ".join(f"`{value}`" for value in inner["enum"]))
    low, high = inner.get("minLength"), inner.get("maxLength")
    if low is not None and high is not None:
        parts.append(f"{low} to {high} characters")
    elif low:
        parts.append(f"at least {low} character{'s' if low > 1 else ''}")
    if "minimum" in inner and "maximum" in inner:
        parts.append(f"{inner['minimum']} to {inner['maximum']}")
    elif "minimum" in inner:
        parts.append(f"at least {inner['minimum']}")
    elif "maximum" in inner:
        parts.append(f"at most {inner['maximum']}")
    if inner.get("format") == "date-time":
        parts.append("timezone-aware datetime or ISO 8601 string with an offset")
    if "x-default" in schema:
        parts.append(f"`{json.dumps(schema['x-default'])}` when not given")
    return "; ".join(parts)


def method_section(spec: Spec, op: Operation, group: str) -> list[str]:
    module = Module()
    for p in op.params:
        classify(spec, module, p, set())
    raw = spec.raw["paths"][op.path][op.method.lower()]
    name = op.extra["x-method"]
    lines = [
        f"### `{group}.{name}`",
        "",
        f"{raw['summary']} `{op.method} {op.path}`.",
        "",
        "| parameter | type | constraints | description |",
        "|---|---|---|---|",
    ]
    rows = []
    for p in op.params:
        given = "x-default" in p.schema
        annotation = p.annotation + (" | None" if given else "")
        required = " (required)" if p.required and not given else ""
        limits = "sent as `true` when set" if p.flag else constraints(spec, p.schema)
        rows.append((f"`{p.name}`{required}", annotation, limits, p.doc))
    hook = spec.hooks.get(op.extra.get("x-after", ""))
    if hook is not None:
        rows.append((f"`{hook['parameter']}`", f"{hook['type']} | None", "", hook["description"]))
    for schema_name in {spec.shape(p.schema).name for p in op.params} - {None}:
        clearable = null_clears(spec.schemas[schema_name])
        if clearable:
            names = ", ".join(f"`{name}`" for name in clearable)
            rows.append(
                (
                    "`clear`",
                    f"Collection[{schema_name}Clearable] | None",
                    names,
                    "Fields to empty: sent as null.",
                )
            )
    for name, annotation, limits, doc in rows:
        cells = [annotation, limits, " ".join(doc.split())]
        annotation, limits, doc = (cell.replace("|", "\\|") for cell in cells)
        lines.append(f"| {name} | `{annotation}` | {limits} | {doc} |")
    pages = op.extra.get("x-pages")
    if pages:
        lines += [
            "",
            f"`{group}.{pages['list']}(...)` takes the same arguments and returns the page's "
            f"`{pages['items']}`; `{group}.{pages['iterate']}(...)` yields every item of every "
            "page.",
        ]
    action = op.extra.get("x-bulk-action")
    if action:
        item = item_class_name(op.operation_id)
        lines += [
            "",
            f"In a bulk request: `{item}` (`prefactor_http.models.bulk_actions`), "
            f"action `{action}`.",
        ]
    return [*lines, ""]


def reference(raw: dict[str, Any]) -> str:
    spec = Spec(raw)
    out = [HEADER]
    key = spec.schemas["BulkItem"]["properties"]["idempotency_key"]
    out += [
        "## Bulk items",
        "",
        f"A bulk item's `idempotency_key` holds {key['minLength']} to {key['maxLength']} "
        "characters and is unique within its request.",
        "",
    ]
    for tag in raw["tags"]:
        if "x-handwritten" in tag:
            continue
        out += [f"## `client.{tag['name']}`", "", " ".join(tag["description"].split()), ""]
        for path, operations in raw["paths"].items():
            for method, op in operations.items():
                if tag["name"] in op.get("tags", []):
                    operation = read_operation(spec, path, method, op)
                    out += method_section(spec, operation, tag["name"])
    return "\n".join(out).rstrip() + "\n"
