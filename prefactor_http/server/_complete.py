"""Full answers: every property an answer's schema declares, also those the state has no value for.

The store answers with what it keeps. In full mode `LocalApi` then walks the
answer along the operation's answer schema (through `$ref`, `allOf`, the one
`oneOf`/`anyOf` branch the value's type fits, nested objects and list items)
and gives each declared property the answer lacks a value the schema allows:

1. its `default`, if the schema gives one;
2. null, if the schema allows null (`type: [string, "null"]`, `oneOf: [X,
   {type: "null"}]`, or no type at all): "no value", as for the fields the
   store keeps as None;
3. else a plain value of its type: the first `const` or `enum` value; a
   string that fits its `format` (`date-time` is the Unix epoch) and
   `minLength`; the smallest number its bounds allow, from 0; `false`; a list
   of `minItems` items; an object with every declared property, filled the
   same way.

Each value is checked against its schema, and a property no candidate fits
(a `pattern` no plain value matches, say) stays out. Values depend on the
schema only, so each is worked out once per schema node, and a replayed
answer is completed exactly as the first. Properties the answer already has
keep their value; a map's `additionalProperties` are not declared properties
and are not walked. So a property added to an answer schema in `openapi.yaml`
is sent after `make generate`, with no change to the server.
"""

from __future__ import annotations

import copy
import math
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Final

from prefactor_http.server._spec import Spec

Schema = dict[str, Any]


class _Missing:
    """No value fits the schema."""


MISSING: Final = _Missing()

# One valid string per format jsonschema's format checker may check.
FORMAT_EXAMPLES = {
    "date-time": "1970-01-01T00:00:00+00:00",
    "date": "1970-01-01",
    "time": "00:00:00+00:00",
    "duration": "P0D",
    "email": "local@example.com",
    "idn-email": "local@example.com",
    "hostname": "localhost",
    "idn-hostname": "localhost",
    "ipv4": "127.0.0.1",
    "ipv6": "::1",
    "uri": "http://localhost/",
    "uri-reference": "/",
    "iri": "http://localhost/",
    "iri-reference": "/",
    "uri-template": "/",
    "uuid": "00000000-0000-0000-0000-000000000000",
    "json-pointer": "",
    "relative-json-pointer": "0",
    "regex": ".*",
}

_JSON_TYPES: dict[type, tuple[str, ...]] = {
    dict: ("object",),
    list: ("array",),
    str: ("string",),
    bool: ("boolean",),
    int: ("integer", "number"),
    float: ("number",),
    type(None): ("null",),
}


@dataclass(frozen=True)
class _Plan:
    """What completing a value along one schema node walks."""

    properties: tuple[tuple[str, Schema], ...]
    choices: tuple[Schema, ...]
    items: Schema | None


_EMPTY = _Plan((), (), None)


class Completer:
    """Fills the properties an answer lacks, from the answer schemas of a `Spec`."""

    def __init__(self, spec: Spec) -> None:
        self._spec = spec
        # Keyed by the id of a schema node of spec.document, which lives as long as the Spec.
        # Entries are written once, under the lock, and read without it.
        self._plans: dict[int, _Plan] = {}
        self._fillers: dict[int, Any] = {}
        self._lock = threading.RLock()
        # Nodes being worked out by the thread holding the lock: a schema that holds itself
        # (an object whose property is that object again) stops there.
        self._pending_fillers: set[int] = set()
        self._pending_plans: set[int] = set()

    def complete(self, schema: Schema | None, value: Any) -> Any:
        """`value` with every declared property it lacks filled in, in place; returns `value`."""
        if schema is None:
            return value
        plan = self._plan(schema)
        if isinstance(value, dict):
            for name, declared in plan.properties:
                if name in value:
                    self.complete(declared, value[name])
                    continue
                filler = self.filler(declared)
                if filler is not MISSING:
                    value[name] = copy.deepcopy(filler)
        elif isinstance(value, list) and plan.items is not None:
            for item in value:
                self.complete(plan.items, item)
        fitting = [branch for branch in plan.choices if self._admits(branch, value)]
        if len(fitting) == 1:
            self.complete(fitting[0], value)
        return value

    def filler(self, schema: Schema) -> Any:
        """The value an absent property of this schema gets, or `MISSING` if none fits."""
        key = id(schema)
        if key in self._fillers:
            return self._fillers[key]
        with self._lock:
            if key in self._fillers:
                return self._fillers[key]
            if key in self._pending_fillers:
                return MISSING
            self._pending_fillers.add(key)
            try:
                found = (c for c in self._candidates(schema) if self._spec.is_valid(schema, c))
                value = self._fillers[key] = next(found, MISSING)
            finally:
                self._pending_fillers.discard(key)
            return value

    def _plan(self, schema: Schema) -> _Plan:
        key = id(schema)
        plan = self._plans.get(key)
        if plan is not None:
            return plan
        with self._lock:
            plan = self._plans.get(key)
            if plan is not None:
                return plan
            if key in self._pending_plans:
                return _EMPTY
            self._pending_plans.add(key)
            try:
                plan = self._plans[key] = self._build(schema)
            finally:
                self._pending_plans.discard(key)
            return plan

    def _build(self, schema: Schema) -> _Plan:
        resolved = self._spec.resolve(schema)
        properties = {
            name: node
            for name, node in resolved.get("properties", {}).items()
            if isinstance(node, dict)
        }
        items = resolved.get("items")
        items = items if isinstance(items, dict) else None
        choices = [
            branch
            for keyword in ("oneOf", "anyOf")
            for branch in resolved.get(keyword, [])
            if isinstance(branch, dict)
        ]
        for branch in resolved.get("allOf", []):
            if isinstance(branch, dict):
                inner = self._plan(branch)
                properties.update({n: node for n, node in inner.properties if n not in properties})
                items = items if items is not None else inner.items
                choices.extend(inner.choices)
        return _Plan(tuple(properties.items()), tuple(choices), items)

    def _admits(self, schema: Schema, value: Any) -> bool:
        """Whether the schema's `type` allows the value's JSON type (no `type` allows any)."""
        declared = self._spec.resolve(schema).get("type")
        if declared is None:
            return True
        allowed = declared if isinstance(declared, list) else [declared]
        return any(kind in allowed for kind in _JSON_TYPES.get(type(value), ()))

    def _candidates(self, schema: Schema) -> Iterator[Any]:
        """Values to try for an absent property, best first; `filler` keeps the first that fits."""
        resolved = self._spec.resolve(schema)
        for node in (schema, resolved):
            if "default" in node:
                yield node["default"]
        yield None
        if "const" in resolved:
            yield resolved["const"]
        yield from (value for value in resolved.get("enum", []) if value is not None)
        for keyword in ("allOf", "oneOf", "anyOf"):
            for branch in resolved.get(keyword, []):
                if isinstance(branch, dict):
                    yield from self._candidates(branch)
        declared = resolved.get("type", "object" if "properties" in resolved else [])
        for kind in declared if isinstance(declared, list) else [declared]:
            if kind == "object":
                yield self.complete(schema, {})
            elif kind == "array":
                items = resolved.get("items")
                item = self.filler(items) if isinstance(items, dict) else MISSING
                count = resolved.get("minItems", 0)
                if count == 0 or item is not MISSING:
                    yield [copy.deepcopy(item) for _ in range(count)]
            elif kind == "string":
                yield _string(resolved)
            elif kind in ("integer", "number"):
                yield _number(resolved, integer=kind == "integer")
            elif kind == "boolean":
                yield False


def _string(schema: Schema) -> str:
    """A string of the schema's format, padded to its `minLength`."""
    text = FORMAT_EXAMPLES.get(str(schema.get("format", "")), "")
    return text + "x" * max(int(schema.get("minLength", 0)) - len(text), 0)


def _number(schema: Schema, *, integer: bool) -> int | float:
    """The number nearest 0 that the schema's bounds and `multipleOf` allow (an attempt)."""
    value: float = 0
    step = 1 if integer else 0.5
    if "minimum" in schema:
        value = max(value, schema["minimum"])
    if "exclusiveMinimum" in schema and value <= schema["exclusiveMinimum"]:
        value = schema["exclusiveMinimum"] + step
    if "maximum" in schema:
        value = min(value, schema["maximum"])
    if "exclusiveMaximum" in schema and value >= schema["exclusiveMaximum"]:
        value = schema["exclusiveMaximum"] - step
    if "multipleOf" in schema:
        value = math.ceil(value / schema["multipleOf"]) * schema["multipleOf"]
    return math.ceil(value) if integer else value
