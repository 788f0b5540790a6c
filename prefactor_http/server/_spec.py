"""The spec the local server enforces: its routes, its request checks, its answer checks.

Everything comes from `openapi.json` beside this module, which `make generate`
writes from the repository's `openapi.yaml`; nothing here names an operation's
fields, so an operation added to the spec is routed and checked without a
change here.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any, NamedTuple
from urllib.parse import unquote

import jsonschema

FieldErrors = dict[str, list[str]]


@cache
def load_spec() -> dict[str, Any]:
    """The packaged spec, parsed once."""
    text = resources.files(__package__).joinpath("openapi.json").read_text("utf-8")
    document: dict[str, Any] = json.loads(text)
    return document


@dataclass(frozen=True)
class Operation:
    """One method on one path template of the spec."""

    operation_id: str
    method: str
    template: str
    pattern: re.Pattern[str]
    body_schema: dict[str, Any] | None
    responses: dict[str, dict[str, Any] | None]
    body_required: bool = True
    query: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def literal_segments(self) -> int:
        """How specific the template is: `/agent_instance/register` beats `/{id}`."""
        return sum(1 for part in self.template.split("/") if part and "{" not in part)


class _Shape(NamedTuple):
    """What `Spec.without_null_options` needs of a schema."""

    properties: dict[str, Any]
    required: frozenset[str]
    items: dict[str, Any] | None


class NoRouteError(Exception):
    """The path is no operation's (404), or not with this method (405)."""

    def __init__(self, status: int, allowed: tuple[str, ...] = ()) -> None:
        super().__init__(status)
        self.status = status
        self.allowed = allowed


def _template_pattern(template: str) -> re.Pattern[str]:
    parts = re.split(r"(\{[^}]+\})", template)
    regex = "".join(
        f"(?P<{part[1:-1]}>[^/]+)" if part.startswith("{") else re.escape(part) for part in parts
    )
    return re.compile(f"^{regex}$")


def _json_schema(content: dict[str, Any] | None) -> dict[str, Any] | None:
    if not content or "application/json" not in content:
        return None
    schema: dict[str, Any] = content["application/json"]["schema"]
    return schema


class Spec:
    """Routes requests to the spec's operations and checks bodies against its schemas."""

    def __init__(self, document: dict[str, Any] | None = None) -> None:
        self.document = document if document is not None else load_spec()
        self._components = self.document.get("components", {})
        self._validators: dict[int, jsonschema.Draft202012Validator] = {}
        self._component_refs: dict[str, dict[str, Any]] = {}
        operations = []
        for template, item in self.document["paths"].items():
            for method, operation in item.items():
                body = operation.get("requestBody")
                parameters = [self.resolve(p) for p in operation.get("parameters", [])]
                responses = {}
                for status, response in operation["responses"].items():
                    resolved = self.resolve(response)
                    responses[status] = _json_schema(resolved.get("content"))
                operations.append(
                    Operation(
                        operation_id=operation["operationId"],
                        method=method.upper(),
                        template=template,
                        pattern=_template_pattern(template),
                        body_schema=_json_schema(body.get("content")) if body else None,
                        responses=responses,
                        body_required=bool(body.get("required", False)) if body else False,
                        query={p["name"]: p["schema"] for p in parameters if p["in"] == "query"},
                    )
                )
        operations.sort(key=lambda op: -op.literal_segments)
        self.operations: tuple[Operation, ...] = tuple(operations)
        self._by_id = {op.operation_id: op for op in operations}

    def resolve(self, node: dict[str, Any]) -> dict[str, Any]:
        """The node a `$ref` (or a chain of them) points to; any other node as is."""
        while "$ref" in node:
            section, name = node["$ref"].removeprefix("#/components/").split("/")
            node = self._components[section][name]
        return node

    def operation(self, operation_id: str) -> Operation:
        """The operation with this operationId."""
        return self._by_id[operation_id]

    def route(self, method: str, raw_path: str) -> tuple[Operation, dict[str, str]]:
        """The operation a request is for and its path parameters, percent-decoded.

        Matches the raw (still encoded) path, so an id holding `%2F` stays one segment.
        """
        allowed: list[str] = []
        for operation in self.operations:
            found = operation.pattern.match(raw_path)
            if found is None:
                continue
            if operation.method == method.upper():
                return operation, {
                    name: unquote(value) for name, value in found.groupdict().items()
                }
            allowed.append(operation.method)
        if allowed:
            raise NoRouteError(405, tuple(sorted(set(allowed))))
        raise NoRouteError(404)

    def _validator(self, schema: dict[str, Any]) -> jsonschema.Draft202012Validator:
        # Schemas are nodes of self.document, alive as long as this Spec: their id is a stable key.
        validator = self._validators.get(id(schema))
        if validator is None:
            validator = jsonschema.Draft202012Validator(
                {**schema, "components": self._components},
                format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER,
            )
            self._validators[id(schema)] = validator
        return validator

    def is_valid(self, schema: dict[str, Any], instance: Any) -> bool:
        """Whether `instance` fits `schema`, a node of this spec's document."""
        return bool(self._validator(schema).is_valid(instance))

    def _schema_errors(self, schema: dict[str, Any], instance: Any) -> FieldErrors:
        """What is wrong with `instance`, keyed by the dotted path of each field concerned."""
        errors: FieldErrors = {}
        for error in self._validator(schema).iter_errors(instance):
            where = ".".join(str(part) for part in error.absolute_path)
            for name, message in _field_messages(error, where):
                messages = errors.setdefault(name, [])
                if message not in messages:  # `required` reports once per missing field
                    messages.append(message)
        return errors

    def request_errors(self, operation: Operation, body: Any) -> FieldErrors:
        """What is wrong with a request body for this operation (empty when it fits)."""
        if operation.body_schema is None:
            return {}
        return self._schema_errors(operation.body_schema, body)

    def query_values(
        self, operation: Operation, pairs: list[tuple[str, str]]
    ) -> tuple[dict[str, Any], FieldErrors]:
        """The query parameters, typed as their schemas say, and what is wrong with them.

        A parameter the operation does not declare, or one given twice, is
        an error: the local server is strict so that client mistakes show.
        """
        values: dict[str, Any] = {}
        errors: FieldErrors = {}
        for name, text in pairs:
            schema = operation.query.get(name)
            if schema is None:
                errors.setdefault(name, []).append("is not a query parameter of this operation")
                continue
            if name in values:
                errors.setdefault(name, []).append("is given more than once")
                continue
            value: Any = text
            if self.resolve(schema).get("type") == "integer" and _INTEGER.fullmatch(text):
                value = int(text)
            for where, messages in self._schema_errors(schema, value).items():
                errors.setdefault(name if where == "body" else f"{name}.{where}", []).extend(
                    messages
                )
            values[name] = value
        return values, errors

    def without_null_options(self, schema: dict[str, Any] | None, value: Any) -> Any:
        """`value` with every null optional field left out, as if it had not been sent.

        Walks `value` along `schema`: a property the schema declares and does
        not require is dropped where it is null, in nested objects and list
        items too, unless it says `x-null-clears` (there null clears the
        field). An object whose schema declares no properties (a payload,
        a JSON Schema) is the caller's own data and stays as it is, nulls and all.
        """
        if schema is None:
            return value
        parts = self._shape(schema)
        if isinstance(value, list) and parts.items is not None:
            return [self.without_null_options(parts.items, item) for item in value]
        if not isinstance(value, dict) or not parts.properties:
            return value
        kept: dict[str, Any] = {}
        for name, field_value in value.items():
            declared = parts.properties.get(name)
            if declared is None:
                kept[name] = field_value
            elif field_value is not None or name in parts.required or _null_clears(declared):
                kept[name] = self.without_null_options(declared, field_value)
        return kept

    def _shape(self, schema: dict[str, Any]) -> _Shape:
        """The properties, required names and list items of a schema.

        Read through `$ref`, `allOf`, `oneOf` and `anyOf`, so a field declared
        nullable as `oneOf: [X, {type: null}]` is walked as X.
        """
        schema = self.resolve(schema)
        properties = dict(schema.get("properties", {}))
        required = set(schema.get("required", []))
        items = schema.get("items")
        for keyword in ("allOf", "oneOf", "anyOf"):
            for branch in schema.get(keyword, []):
                inner = self._shape(branch)
                properties.update(inner.properties)
                required |= inner.required
                items = items if items is not None else inner.items
        return _Shape(properties, frozenset(required), items)

    def component(self, name: str) -> dict[str, Any]:
        """A `$ref` to the schema `#/components/schemas/<name>`, the same node every time."""
        # Kept, not rebuilt per call: validators and answer plans are keyed by the node's id.
        return self._component_refs.setdefault(name, {"$ref": f"#/components/schemas/{name}"})

    def component_errors(self, name: str, value: Any) -> FieldErrors:
        """What is wrong with `value` as the schema `#/components/schemas/<name>`."""
        return self._schema_errors(self.component(name), value)

    def answer_problem(self, operation: Operation, status: int, body: Any) -> str | None:
        """Why an answer is not one the spec allows for this operation, or None."""
        if str(status) not in operation.responses:
            return f"{operation.operation_id} does not declare status {status}"
        schema = operation.responses[str(status)]
        if schema is None:
            return None
        errors = self._schema_errors(schema, body)
        if not errors:
            return None
        field, messages = next(iter(errors.items()))
        return f"{operation.operation_id} {status} answer: {field or 'body'}: {messages[0]}"


_INTEGER = re.compile(r"-?[0-9]{1,18}")


def _null_clears(schema: dict[str, Any]) -> bool:
    """Whether null in this property means "clear it" (`x-null-clears`), not "not given"."""
    return bool(schema.get("x-null-clears"))


def _field_messages(error: jsonschema.ValidationError, where: str) -> list[tuple[str, str]]:
    """Name the field itself for a missing or unexpected property, not its parent."""
    prefix = f"{where}." if where else ""
    instance, expected, schema = error.instance, error.validator_value, error.schema
    # An optional field is "X or null": say what is wrong with it as an X.
    not_null = [e for e in error.context or () if e.validator_value != "null"]
    if error.validator in ("oneOf", "anyOf") and not_null:
        return _field_messages(jsonschema.exceptions.best_match(not_null), where)
    if error.validator == "required" and isinstance(instance, dict) and isinstance(expected, list):
        return [(prefix + name, "is required") for name in expected if name not in instance]
    if error.validator == "additionalProperties" and isinstance(instance, dict):
        known = schema.get("properties", {}) if isinstance(schema, dict) else {}
        extra = [name for name in instance if name not in known]
        return [(prefix + name, "is not a known field") for name in extra]
    return [(where or "body", error.message)]
