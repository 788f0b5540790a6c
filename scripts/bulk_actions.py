"""Write `prefactor_http/models/bulk_actions.py`: a typed BulkItem per bulk action.

An operation with `x-bulk-action: group/verb` can run inside `POST
/api/v1/bulk`, with the single call's parameters flat beside `_type` (the
spec's assumption): the fields of its `x-flatten` (or `x-bulk-flatten`)
body object too. Its item class takes those parameters by keyword, typed
and checked as the method's are, so a misspelt or missing one fails type
checking (and raises at once), and builds the item's params with the same
generated models, so both routes send the same JSON.
"""

from __future__ import annotations

import re
import textwrap
from typing import Any

from spec_model import Module, Operation, Param, Spec, classify, read_operation


def pascal(operation_id: str) -> str:
    return operation_id[0].upper() + operation_id[1:]


def value(p: Param) -> str:
    """The checked argument as the item sends it."""
    if p.check == "key":
        return "None"  # the item's own key travels beside `_type`, not in the body
    return p.check.replace("value", p.name)


def item_class(spec: Spec, m: Module, op: Operation, action: str) -> list[str]:
    params = op.params
    for p in params:
        classify(spec, m, p, set())
    own = [p for p in params if p.check != "key"]
    required = [p for p in own if p.required and "x-default" not in p.schema]
    optional = [p for p in own if p not in required]
    for p in optional:
        if "x-default" in p.schema:
            p.annotation += " | None"
    lines = [f"{p.name}: {p.annotation}," for p in required]
    lines += [f"{p.name}: {p.annotation} = {p.default}," for p in optional]
    key = spec.schemas["BulkItem"]["properties"]["idempotency_key"]
    key_doc = (
        f"The item's key: unique within its bulk request, {key['minLength']} to "
        f"{key['maxLength']} visible ASCII characters."
    )
    docs = [("idempotency_key", key_doc)] + [(p.name, p.doc) for p in [*required, *optional]]
    args = []
    for name, doc in docs:
        text = f"{name}: {' '.join(doc.split())}"
        args += [f"    {line}" for line in textwrap.wrap(text, 84, subsequent_indent="    ")]
    body: list[str] = []
    flat: list[str] = []
    for p in own:
        if p.where == "path":
            flat.append(f"{p.wire}={value(p)}")
    if op.body:
        fields = [f"{p.wire}={value(p)}" for p in params if p.where == "body"]
        outer = op.extra.get("x-bulk-flatten")
        if "flat" in op.body:
            outer, inner = op.body["flat"]
            nested = ", ".join(f"{p.wire}={value(p)}" for p in params if p.where == "nested")
            fields.insert(0, f"{outer}={m.model(inner)}({nested})")
        body.append(f"wire = {m.model(op.body['name'])}({', '.join(fields)}).to_dict()")
        if outer:  # the fields of the body's `outer` object travel flat beside `_type`
            body.append(f"wire = {{**wire.pop({outer!r}), **wire}}")
        flat.append("**wire")
    queried = [p for p in own if p.where == "query"]
    if queried:
        pairs = ", ".join(f"{query_name(spec, op, p)!r}: {value(p)}" for p in queried)
        body.append(f"wire = _hooks.query_params({{{pairs}}})")
        flat.append("**wire")
    call = ", ".join([f"_type={action!r}", "idempotency_key=idempotency_key", *flat])
    body.append(f"super().__init__({call})")
    return [
        f"class {pascal(op.operation_id)}Item(BulkItem):",
        f'    """An item of `{action}` in a bulk request: what `{op.operation_id}` sends.',
        "",
        "    Args:",
        *(f"    {line}" for line in args),
        '    """',
        "",
        "    __slots__ = ()",
        "",
        "    def __init__(",
        "        self,",
        "        *,",
        "        idempotency_key: str,",
        *(f"        {line}" for line in lines),
        "    ) -> None:",
        *(f"        {line}" for line in body),
    ]


def query_name(spec: Spec, op: Operation, p: Param) -> str:
    """The query parameter's own name (`pagination[offset]`), which the bulk item nests."""
    raw = spec.raw["paths"][op.path][op.method.lower()]
    for entry in raw.get("parameters", []):
        if "$ref" not in entry and re.sub(r"\W", "", entry["name"]) == p.wire:
            return str(entry["name"])
    return p.wire


def bulk_actions_module(raw: dict[str, Any]) -> str:
    spec = Spec(raw)
    m = Module()
    m.use("prefactor_http.models.bulk", "BulkItem")
    classes: list[list[str]] = []
    names: list[str] = []
    for path, operations in raw["paths"].items():
        for method, op in operations.items():
            action = op.get("x-bulk-action")
            if action is None:
                continue
            operation = read_operation(spec, path, method, op)
            classes.append(item_class(spec, m, operation, action))
            names.append(f"{pascal(op['operationId'])}Item")
    out = [
        '"""A typed BulkItem for each bulk action of openapi.yaml (`x-bulk-action`).',
        "",
        "Generated by scripts/bulk_actions.py from openapi.yaml: do not edit.",
        '"""',
        "",
        "from __future__ import annotations",
        "",
        "from prefactor_http import _hooks, _validate",
        m.header(),
        "",
        f"__all__ = [{', '.join(repr(name) for name in sorted(names))}]",
    ]
    for lines in classes:
        out += ["", "", *lines]
    return "\n".join(out) + "\n"
