"""What the generators of the client's surface read from openapi.yaml.

A parameter of a generated method (or bulk item) is a path or query
parameter, a property of the request body, or a property of the body
property named by `x-flatten`; `classify` gives it its Python type, its
default and the check it passes before anything is sent.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


def snake(name: str) -> str:
    """The generator's module names: `registerAgentInstance` -> `register_agent_instance`."""
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name).lower()


def item_class_name(operation_id: str) -> str:
    """The typed bulk item of an operation: `createAgentSpan` -> `CreateAgentSpanItem`."""
    return operation_id[0].upper() + operation_id[1:] + "Item"


def null_clears(schema: dict[str, Any]) -> list[str]:
    """The properties of an object schema whose null clears them (`x-null-clears`)."""
    return [
        name for name, sub in (schema.get("properties") or {}).items() if sub.get("x-null-clears")
    ]


def body_model(m: Module, op: Operation, params: list[Param], value: Callable[[Param], str]) -> str:
    """The request body model filled with `value(p)` of each body parameter, as an expression.

    The fields of the `x-flatten` object go into its own model, first.
    """
    fields = [f"{p.wire}={value(p)}" for p in params if p.where == "body"]
    if "flat" in op.body:
        outer, inner = op.body["flat"]
        nested = ", ".join(f"{p.wire}={value(p)}" for p in params if p.where == "nested")
        fields.insert(0, f"{outer}={m.model(inner)}({nested})")
    return f"{m.model(op.body['name'])}({', '.join(fields)})"


def constant(name: str) -> str:
    """`SpanCreateStatus` -> `SPAN_CREATE_STATUS_VALUES`, the set the generator writes beside it."""
    return snake(name).upper() + "_VALUES"


@dataclass
class Shape:
    """A schema with its wrappers taken off: `$ref`s followed, `null` alternatives dropped."""

    schema: dict[str, Any]
    name: str | None  # the last component followed
    nullable: bool


class Spec:
    def __init__(self, spec: dict[str, Any]) -> None:
        self.raw = spec
        self.schemas: dict[str, Any] = spec["components"]["schemas"]
        self.parameters: dict[str, Any] = spec["components"].get("parameters", {})
        self.hooks: dict[str, Any] = spec.get("x-hooks", {})

    def shape(self, schema: dict[str, Any]) -> Shape:
        name, nullable = None, False
        while True:
            if "$ref" in schema:
                name = schema["$ref"].rsplit("/", 1)[1]
                schema = self.schemas[name]
                continue
            for combinator in ("oneOf", "anyOf"):
                options = schema.get(combinator)
                if options and any(option.get("type") == "null" for option in options):
                    nullable = True
                    rest = [option for option in options if option.get("type") != "null"]
                    if len(rest) == 1:
                        schema = rest[0]
                        break
            else:
                if len(schema.get("allOf", [])) == 1:
                    schema = schema["allOf"][0]
                    continue
                kind = schema.get("type")
                if isinstance(kind, list) and "null" in kind:
                    nullable = True
                    others = [k for k in kind if k != "null"]
                    schema = {**schema, "type": others[0] if len(others) == 1 else others}
                return Shape(schema, name, nullable)

    def describe(self, schema: dict[str, Any]) -> str:
        """The description nearest the use: the property's own, else its schema's."""
        while True:
            if schema.get("description"):
                return str(schema["description"])
            if "$ref" in schema:
                schema = self.schemas[schema["$ref"].rsplit("/", 1)[1]]
            elif len(schema.get("allOf", [])) == 1:
                schema = schema["allOf"][0]
            else:
                options = [o for o in schema.get("oneOf", []) if o.get("type") != "null"]
                if len(options) != 1:
                    return ""
                schema = options[0]


@dataclass
class Param:
    name: str  # the method's parameter
    wire: str  # the build_request argument or the model field it fills
    where: str  # path, query, body, nested (inside the flattened body field)
    schema: dict[str, Any]
    required: bool
    doc: str
    flag: bool = False
    default: str = "None"
    annotation: str = ""
    check: str = ""  # an expression of the argument, written `__ARG__`

    def checked(self) -> str:
        """The check applied to the argument of this name."""
        return self.check.replace("__ARG__", self.name)


@dataclass
class Operation:
    operation_id: str
    method: str  # HTTP
    path: str
    body: dict[str, Any]
    params: list[Param]
    positional: list[str]
    returns: str | None
    answer: str  # the answer schema's name
    extra: dict[str, Any] = field(default_factory=dict)


class Module:
    """The imports of one generated module, gathered while its code is written."""

    def __init__(self) -> None:
        self.imports: dict[str, set[str]] = {}

    def use(self, module: str, name: str) -> str:
        self.imports.setdefault(module, set()).add(name)
        return name

    def model(self, schema_name: str) -> str:
        return self.use(f"prefactor_http._generated.models.{snake(schema_name)}", schema_name)

    def header(self) -> str:
        lines = []
        for module in sorted(self.imports):
            names = ", ".join(sorted(self.imports[module]))
            lines.append(f"from {module} import {names}")
        return "\n".join(lines)


def classify(spec: Spec, m: Module, param: Param, defaulted: set[str]) -> None:
    """Fill in `param`'s annotation, default and check from its schema."""
    shape = spec.shape(param.schema)
    schema, name = shape.schema, shape.name
    optional = not param.required
    field_ = json.dumps(param.name)
    if param.flag:
        param.annotation, param.default = "bool", "False"
        param.check = f"_validate.flag({field_}, __ARG__)"
        return
    if name == "IdempotencyKey":
        param.annotation = "str | None"
        param.check = "key"
        return
    if name == "JsonObject":
        param.annotation = m.use("collections.abc", "Mapping") + "[str, Any]"
        m.use("typing", "Any")
        required = param.required and "x-default" not in param.schema
        param.check = f"_validate.json_object({field_}, __ARG__, optional={not required})"
        if "x-default" in param.schema:
            param.check = f"_hooks.or_default({param.check}, {param.schema['x-default']!r})"
    elif "enum" in schema and name:
        param.annotation = m.model(name)
        values = m.use(f"prefactor_http._generated.models.{snake(name)}", constant(name))
        if optional:
            param.check = f"_validate.optional_choice({field_}, __ARG__, {values})"
        else:
            param.check = f"_validate.choice({field_}, __ARG__, {values})"
    elif schema.get("type") == "string" and schema.get("format") == "date-time":
        param.annotation = m.use("datetime", "datetime") + " | str"
        param.check = f"_validate.timestamp({field_}, __ARG__)"
    elif schema.get("type") == "string":
        param.annotation = "str"
        non_empty = schema.get("minLength", 0) >= 1
        if param.where == "path":
            param.check = f"_validate.identifier({field_}, __ARG__)"
        elif optional:
            kind = "optional_text" if non_empty else "text_or_none"
            param.check = f"_validate.{kind}({field_}, __ARG__)"
        else:
            kind = "required_text" if non_empty else "text"
            param.check = f"_validate.{kind}({field_}, __ARG__)"
    elif schema.get("type") == "boolean":
        param.annotation = "bool"
        param.check = f"_validate.flag({field_}, __ARG__)"
    elif schema.get("type") == "integer":
        param.annotation = "int"
        bounds = f"minimum={schema.get('minimum', 1)}"
        if "maximum" in schema:
            bounds += f", maximum={schema['maximum']}"
        kind = "optional_count" if optional else "count"
        param.check = f"_validate.{kind}({field_}, __ARG__, {bounds})"
    elif schema.get("type") == "object" and name:
        model = m.model(name)
        # The model, or a dict literal a type checker reads key by key (scripts/typed_params.py),
        # or the 0.4.3 class of that shape (`x-compat-class`, in prefactor_http.models.compat).
        param.annotation = f"{model} | {m.use('prefactor_http.models.params', name + 'Param')}"
        if "x-compat-class" in schema:
            compat = m.use("prefactor_http.models.compat", schema["x-compat-class"])
            param.annotation += f" | {compat}"
        hook = param.schema.get("x-check", "model_argument")
        param.check = f"_hooks.{hook}({field_}, {model}, __ARG__)"
    elif (
        schema.get("type") == "array" and spec.shape(schema["items"]).schema.get("type") == "string"
    ):
        # A list of plain strings (tags, say); other arrays take a hook of their own.
        seq = m.use("collections.abc", "Sequence")
        param.annotation = f"{seq}[str]"
        param.check = f"_validate.text_list({field_}, __ARG__, optional={optional})"
    else:
        raise SystemExit(
            f"{param.wire}: no Python type for the schema {param.schema!r}; "
            "teach scripts/spec_model.py's classify, or give it an x-check hook"
        )
    if "default" in schema and not param.required:
        param.default = repr(schema["default"])
    elif optional or param.name in defaulted:  # a required one after an optional: None
        param.annotation += " | None"


def read_operation(spec: Spec, path: str, method: str, op: dict[str, Any]) -> Operation:
    """An operation's parameters, from its path, query and body (`x-flatten` opened)."""
    params: list[Param] = []
    for raw in op.get("parameters", []):
        if "$ref" in raw:
            raw = spec.parameters[raw["$ref"].rsplit("/", 1)[1]]
        name = raw.get("x-name", raw["name"])
        params.append(
            Param(
                name=name,
                wire=re.sub(r"\W", "", raw["name"]),
                where=raw["in"],
                schema=raw["schema"],
                required=raw.get("required", False),
                doc=raw.get("description", "") or spec.describe(raw["schema"]),
                flag=raw.get("x-flag", False),
            )
        )
    body: dict[str, Any] = {}
    request = op.get("requestBody")
    if request is not None:
        body_ref = request["content"]["application/json"]["schema"]["$ref"]
        body = {"name": body_ref.rsplit("/", 1)[1], "required": request.get("required", False)}
        schema = spec.schemas[body["name"]]
        flatten = op.get("x-flatten")
        for prop, sub in schema.get("properties", {}).items():
            required = prop in schema.get("required", [])
            if prop == flatten:
                inner = spec.shape(sub)
                body["flat"] = (prop, inner.name)
                for nested, nsub in inner.schema["properties"].items():
                    params.append(
                        Param(
                            nested,
                            nested,
                            "nested",
                            nsub,
                            nested in inner.schema.get("required", []),
                            spec.describe(nsub),
                        )
                    )
                continue
            params.append(Param(prop, prop, "body", sub, required, spec.describe(sub)))
    for p in params:  # an enum without a description is described by its values
        values = spec.shape(p.schema).schema.get("enum")
        if values and not p.doc:
            p.doc = "One of " + ", ".join(f"`{value}`" for value in values) + "."
    envelope = op["responses"]["200"]
    if "$ref" in envelope:
        envelope = spec.raw["components"]["responses"][envelope["$ref"].rsplit("/", 1)[1]]
    answer = envelope["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    positional = op.get("x-positional")
    if positional is None:
        positional = [p.name for p in params if p.where == "path"]
    extra = {k: v for k, v in op.items() if k.startswith("x-")}
    check_operation(spec, op, params, positional, answer)
    return Operation(
        op["operationId"],
        method.upper(),
        path,
        body,
        params,
        positional,
        op.get("x-returns"),
        answer,
        extra,
    )


# Names the generated methods use for their own locals, helpers and options: a spec
# parameter of one of these names would shadow it (or be shadowed) without an error.
RESERVED = frozenset(
    {
        "self", "key", "body", "request", "call", "answer", "nulls", "clear", "timeout",
        "max_retries", "page", "page_at", "given", "whole", "request_call", "call_key",
        "moving", "UNSET", "wire",
    }
)  # fmt: skip


def check_operation(
    spec: Spec, op: dict[str, Any], params: list[Param], positional: list[str], answer: str
) -> None:
    """Stop, naming the operation, on what the generators would turn into broken code."""
    name = op["operationId"]

    def stop(problem: str) -> None:
        raise SystemExit(f"{name}: {problem} (see CONTRIBUTING.md, The spec's extensions)")

    names = [p.name for p in params]
    for p in params:
        if p.name in RESERVED or p.name.startswith(("_", "checked_")):
            stop(f"parameter `{p.name}` clashes with a name the generated code uses: x-name it")
        if p.where not in ("path", "query", "body", "nested"):
            stop(f"parameter `{p.name}` is in {p.where}, which the generated methods do not send")
        shape = spec.shape(p.schema)
        if "enum" in shape.schema and not shape.name and not p.flag:
            stop(f"`{p.name}`'s enum is inline: make it a component schema, so it is checked")
    if len(set(names)) != len(names):
        stop("two parameters have the same name: x-name one")
    for hook_key in ("x-before", "x-after"):
        if hook_key in op and op[hook_key] not in spec.hooks:
            stop(f"{hook_key} `{op[hook_key]}` is not declared in the spec's x-hooks")
    hook = spec.hooks.get(op.get("x-after", ""), {})
    unknown = [n for n in positional if n not in names and n != hook.get("parameter")]
    if unknown or len(set(positional)) != len(positional):
        stop(f"x-positional {positional} names {unknown or 'a parameter twice'}")
    missing = [n for n in op.get("x-exactly-one-of", []) if n not in names]
    if missing:
        stop(f"x-exactly-one-of names {missing}, not parameters")
    returns = op.get("x-returns")
    if returns is not None and returns not in spec.schemas[answer].get("properties", {}):
        stop(f"x-returns `{returns}` is not a property of {answer}")
    pages = op.get("x-pages")
    wanted = {"items", "list", "iterate", "offset", "page_size", "next"}
    if pages is not None and wanted - set(pages):
        stop(f"x-pages lacks {sorted(wanted - set(pages))}")
