"""Check that a generated model holds the types its fields declare.

The generated `from_dict` checks that required keys are present and parses
what it can, but it keeps a wrong-typed value as it is (an `id` of null, an
`inserted_at` of "garbage"). Both directions need the types to hold: a
caller's `agent_version` before it is sent, and the server's answer before it
is returned. The expected types are read once per class from the generated
annotations, so they follow `openapi.yaml`.
"""

from __future__ import annotations

import types
import typing
from typing import Any

import attrs

from prefactor_http._generated import models as generated_models
from prefactor_http._generated.types import Unset

_NAMESPACE = {**vars(generated_models), "Unset": Unset}

# Properties typed JsonObject in openapi.yaml: the generator types them Any
# (see the comment there), so the dict check is made here by name. A test
# keeps this set equal to the spec's.
JSON_OBJECT_FIELDS = frozenset(
    {
        "AgentVersion.runtime_environment",
        "AgentSchemaVersion.span_result_schemas",
        "AgentSchemaVersion.span_schemas",
        "AgentSpan.payload",
        "AgentSpan.result_payload",
        "AgentSpanDetails.payload",
        "AgentSpanDetails.result_payload",
        "FinishAgentSpanRequest.result_payload",
        "PingEnvelope.details",
        "RecordQualityRequest.payload",
        "SpanTypeSchema.params_schema",
        "SpanTypeSchema.result_schema",
    }
)
_JSON_OBJECT = (dict, type(None), Unset)
_NAMES = {dict: "a JSON object", type(None): "null"}


def first_mismatch(model: object, where: str = "") -> tuple[str, str] | None:
    """The first field (dotted path) whose value has the wrong type, and what it should be."""
    for name, allowed, may_nest in _field_types(type(model)):
        value = getattr(model, name)
        if allowed is not None and not isinstance(value, allowed):
            expected = " or ".join(
                sorted(_NAMES.get(t, t.__name__) for t in allowed if t is not Unset)
            )
            return f"{where}{name}", f"expected {expected}, got {type(value).__name__}"
        if may_nest:
            for index, item in _nested(value):
                found = first_mismatch(item, f"{where}{name}{index}.")
                if found:
                    return found
    return None


def _nested(value: object) -> list[tuple[str, object]]:
    if attrs.has(type(value)):
        return [("", value)]
    if isinstance(value, list):
        return [(f"[{i}]", item) for i, item in enumerate(value) if attrs.has(type(item))]
    return []


# Per field: its name, the classes its value may have (None: any), and
# whether a model may sit inside it (a nested model or a list of them).
FieldTypes = tuple[tuple[str, tuple[type, ...] | None, bool], ...]
_FIELD_TYPES: dict[type, FieldTypes] = {}


def _field_types(cls: type) -> FieldTypes:
    """Each field's accepted classes, worked out once per model class."""
    known = _FIELD_TYPES.get(cls)
    if known is None:
        hints = typing.get_type_hints(cls, localns=_NAMESPACE)
        fields = []
        for field in attrs.fields(cls):
            if field.name == "additional_properties":
                continue
            allowed = _runtime_types(hints[field.name])
            if allowed is None and f"{cls.__name__}.{field.name}" in JSON_OBJECT_FIELDS:
                allowed = _JSON_OBJECT
            may_nest = allowed is not None and any(t is list or attrs.has(t) for t in allowed)
            fields.append((field.name, allowed, may_nest))
        known = _FIELD_TYPES[cls] = tuple(fields)
    return known


def _runtime_types(hint: Any) -> tuple[type, ...] | None:
    """The classes isinstance() should accept for `hint`; None when anything goes."""
    options = typing.get_args(hint) if _is_union(hint) else (hint,)
    result: list[type] = []
    for option in options:
        origin = typing.get_origin(option)
        if option is Any:
            return None
        if origin is typing.Literal:
            result.append(str)  # the generated parser already checks the values
        elif origin is not None:
            result.append(origin)  # list[...] / dict[...]: the container's class
        elif option is None or option is type(None):
            result.append(type(None))
        else:
            result.append(option)
    if float in result:
        result.append(int)  # JSON numbers: 1 is a valid float
    return tuple(result)


def _is_union(hint: Any) -> bool:
    return typing.get_origin(hint) in (typing.Union, types.UnionType)
