"""Say which operation and which field a stale generated file is missing, for `--check`.

"differs: endpoints/agent_spans.py" tells a contributor that something is
stale, not what; comparing the names the fresh and the committed modules
define (methods and their parameters, model fields, build_request
arguments) says "createAgentSpan: parameter `tags` is in openapi.yaml but
not in the committed code".
"""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

from spec_model import item_class_name, snake


def names(source: str) -> dict[str, list[str]]:
    """`Class.method` -> its parameters, `Class` -> its annotated fields, `function` -> params."""
    found: dict[str, list[str]] = {}
    tree = ast.parse(source)

    def params(node: ast.FunctionDef | ast.AsyncFunctionDef) -> list[str]:
        args = node.args
        return [a.arg for a in [*args.posonlyargs, *args.args, *args.kwonlyargs] if a.arg != "self"]

    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            found[node.name] = params(node)
        elif isinstance(node, ast.ClassDef):
            fields = []
            for item in node.body:
                if isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name):
                    fields.append(item.target.id)
                elif isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef):
                    found[f"{node.name}.{item.name}"] = params(item)
            found[node.name] = fields
    return found


def operation_of(spec: dict[str, Any], relative: str, member: str) -> str:
    """The operationId (or schema) a generated file's member stands for, as best known."""
    stem = Path(relative).stem
    for operations in spec["paths"].values():
        for op in operations.values():
            if snake(op["operationId"]) == stem:  # _generated/api/<tag>/<operation>.py
                return str(op["operationId"])
            method = member.rpartition(".")[2]
            in_group = relative.startswith("endpoints/") and stem in op.get("tags", [])
            if in_group and op.get("x-method") == method:
                return str(op["operationId"])
            item = item_class_name(op["operationId"])
            if relative.endswith("bulk_actions.py") and member.partition(".")[0] == item:
                return str(op["operationId"])
    for schema in spec["components"]["schemas"]:
        if snake(schema) == stem:
            return f"schema {schema}"
    return relative


def explain(spec: dict[str, Any], relative: str, fresh: str, committed: str | None) -> list[str]:
    """What differs between the fresh and the committed module, named by operation and field."""
    if committed is None:
        return [f"{relative}: generated from openapi.yaml but not committed"]
    new, old = names(fresh), names(committed)
    lines = []
    for member in sorted(new.keys() | old.keys()):
        where = operation_of(spec, relative, member)
        if member not in old:
            lines.append(f"{where}: `{member}` is in openapi.yaml but not in the committed code")
        elif member not in new:
            lines.append(f"{where}: `{member}` is committed but no longer in openapi.yaml")
        else:
            for name in new[member]:
                if name not in old[member]:
                    lines.append(
                        f"{where}: `{name}` ({member}) is in openapi.yaml "
                        "but not in the committed code"
                    )
            for name in old[member]:
                if name not in new[member]:
                    lines.append(f"{where}: `{name}` ({member}) is no longer in openapi.yaml")
    return lines or [f"{relative}: differs from what openapi.yaml gives (types, limits or docs)"]
