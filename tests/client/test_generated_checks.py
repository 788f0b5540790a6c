"""The generated `from_dict` checks each field against the type openapi.yaml gives it.

The rules are those of the generated annotations: a Literal is a str, a
list[...] a list, an int is a valid float, an Any is unchecked, and a field
the spec types JsonObject (annotated `JsonObject`) is a dict or null. The oracle below
reads them from the annotations, independently of the templates.
"""

from __future__ import annotations

import datetime
import inspect
import sys
import types
import typing
from typing import Any

import attrs
import pytest
from conftest import SPEC

from prefactor_http._generated import models
from prefactor_http._generated.models.agent_list_envelope import AgentListEnvelope
from prefactor_http._generated.models.agent_schema_version import AgentSchemaVersion
from prefactor_http._generated.models.agent_span import AgentSpan
from prefactor_http._generated.models.span_type_schema import SpanTypeSchema
from prefactor_http._generated.types import TypeMismatch, Unset

MODELS = sorted(
    (cls for cls in vars(models).values() if inspect.isclass(cls) and attrs.has(cls)),
    key=lambda cls: cls.__name__,
)
SAMPLES: list[object] = [None, "text", 5, 1.5, True, [1], {"k": 1}]
JSON_OBJECT_FIELDS = {
    f"{name}.{prop}"
    for name, schema in SPEC["components"]["schemas"].items()
    for prop, prop_schema in (schema.get("properties") or {}).items()
    if any(
        ref.get("$ref", "").endswith("/JsonObject")
        for ref in [prop_schema, *prop_schema.get("allOf", [])]
    )
}


def _fields(cls: type) -> list[tuple[str, str, Any, bool]]:
    """(attribute, wire name, annotation, required) of each declared field of `cls`."""
    hints = typing.get_type_hints(cls, localns={**vars(models), "Unset": Unset})
    declared = getattr(sys.modules[cls.__module__], "_DECLARED", None)
    wire = {attribute: name for name, attribute in declared.items()} if declared else {}
    spec_names = SPEC["components"]["schemas"].get(cls.__name__, {}).get("properties", {})
    found = []
    for field in attrs.fields(cls):
        if field.name == "additional_properties":
            continue
        name = wire.get(field.name) or next(
            name for name in spec_names if field.name in (name, f"{name}_", f"field{name}_")
        )
        found.append((field.name, name, hints[field.name], field.default is attrs.NOTHING))
    return found


def _options(hint: Any) -> tuple[Any, ...]:
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        return typing.get_args(hint)
    return (hint,)


def _accepted(hint: Any, json_object: bool) -> tuple[type, ...] | None:
    """The classes a value of a field annotated `hint` may have; None when anything goes."""
    if json_object:  # null reads as the field's default, if it has one
        return (dict, type(None))
    result: list[type] = []
    for option in _options(hint):
        origin = typing.get_origin(option)
        if option is Any:
            return None
        if origin is typing.Literal:
            result.append(str)
        elif origin is not None:
            result.append(origin)
        elif option is None or option is type(None):
            result.append(type(None))
        else:
            result.append(option)
    if float in result:
        result.append(int)
    return tuple(result)


def _names(accepted: tuple[type, ...]) -> str:
    names = {dict: "a JSON object", type(None): "null"}
    return " or ".join(sorted(names.get(cls, cls.__name__) for cls in accepted))


def _valid(hint: Any, depth: int = 0) -> Any:
    """A value of the type `hint` describes, as the wire sends it."""
    option = next(o for o in _options(hint) if o is not type(None))
    origin = typing.get_origin(option)
    if origin is typing.Literal:
        return typing.get_args(option)[0]
    if origin is list:
        return [_valid(typing.get_args(option)[0], depth + 1)] if depth < 3 else []
    if option is datetime.datetime:
        return "2026-11-22T14:13:05+00:00"
    if inspect.isclass(option) and attrs.has(option):
        return _required_only(option, depth + 1)
    return {"str": "s", "int": 3, "float": 1.5, "bool": True}.get(
        getattr(option, "__name__", ""), {"k": 1}
    )


def _required_only(cls: type, depth: int = 0) -> dict[str, Any]:
    return {name: _valid(hint, depth) for _, name, hint, required in _fields(cls) if required}


def _nullable(schema: dict[str, Any]) -> bool:
    """Whether the spec lets `schema` be null (its annotation says `| None` for absent ones too)."""
    if "$ref" in schema:
        return _nullable(SPEC["components"]["schemas"][schema["$ref"].split("/")[-1]])
    kinds = schema.get("type")
    return (
        kinds == "null"
        or (isinstance(kinds, list) and "null" in kinds)
        or any(_nullable(option) for option in schema.get("oneOf", []) + schema.get("anyOf", []))
    )


def _parsed_instead(cls: type, name: str, hint: Any, required: bool, value: object) -> bool:
    """Whether `value` is parsed (and any failure reported by the parser), not just checked.

    A field the spec lets be null reads as `X | None`: a value that fails to
    parse is kept and reported as a mismatch, so only a value that may parse is left out.
    """
    options = [o for o in _options(hint) if o is not type(None)]
    union = _nullable(SPEC["components"]["schemas"][cls.__name__]["properties"][name])
    (option,) = options
    origin = typing.get_origin(option)
    parsed_kind = (
        option is datetime.datetime
        or origin is list
        or origin is typing.Literal
        or (inspect.isclass(option) and attrs.has(option))
    )
    if not union:
        return parsed_kind and (required or value is not None)
    return (
        (option is datetime.datetime and isinstance(value, str))
        or (inspect.isclass(option) and attrs.has(option) and isinstance(value, dict))
        or (origin is list and isinstance(value, list))
    )


def _outcome(cls: type, data: dict[str, Any]) -> str:
    try:
        cls.from_dict(data)
    except TypeMismatch as exc:
        return str(exc)
    return "kept"


@pytest.mark.parametrize("cls", MODELS, ids=lambda cls: cls.__name__)
def test_each_field_takes_exactly_the_types_its_annotation_names(cls):
    """A value is kept if the annotation allows it, else refused naming the field and types."""
    expected, actual = {}, {}
    for attribute, name, hint, required in _fields(cls):
        accepted = _accepted(hint, f"{cls.__name__}.{name}" in JSON_OBJECT_FIELDS)
        for value in SAMPLES:
            if _parsed_instead(cls, name, hint, required, value):
                continue
            case = f"{name}={value!r}"
            actual[case] = _outcome(cls, {**_required_only(cls), name: value})
            if (value is None and not required) or accepted is None or isinstance(value, accepted):
                expected[case] = "kept"
            else:
                expected[case] = (
                    f"{attribute}: expected {_names(accepted)}, got {type(value).__name__}"
                )

    assert actual == expected


def test_json_object_fields_checked_by_the_models_match_the_spec():
    """Exactly the properties openapi.yaml types JsonObject refuse a value that is not a dict."""
    refused = {}
    for cls in MODELS:
        for _, name, hint, _ in _fields(cls):
            if not any(typing.get_origin(option) is dict for option in _options(hint)):
                continue
            try:
                cls.from_dict({**_required_only(cls), name: [1]})
            except TypeMismatch as exc:
                refused[f"{cls.__name__}.{name}"] = f"{exc}"

    assert refused == {
        field: f"{field.split('.')[1]}: expected a JSON object or null, got list"
        for field in JSON_OBJECT_FIELDS
    }


def test_a_missing_key_read_after_a_wrong_type_is_what_is_reported():
    """Type mismatches wait for the whole answer to be read: a missing key found later wins."""
    with pytest.raises(KeyError, match="'agent_instance_id'"):
        AgentSpan.from_dict({"type": None, "id": "s", "schema_name": "s", "status": "s"})


def test_the_first_mismatch_in_field_order_is_named_with_its_path():
    """Through nested models and list items, the first wrong field is the one reported."""
    summary = {"type": "agent", "id": "a", "name": "n", "status": "active"}
    answer = {
        "summaries": [summary, {**summary, "name": 5, "status": None}],
        "pagination": {"item_count": "x"},
    }

    with pytest.raises(TypeMismatch) as caught:
        AgentListEnvelope.from_dict(answer)

    assert str(caught.value) == "summaries[1].name: expected str, got int"


def test_a_model_refused_for_a_mismatch_still_holds_what_was_read():
    """The mismatch carries the model as read, the wrong value kept."""
    with pytest.raises(TypeMismatch) as caught:
        AgentSpan.from_dict(
            {"type": "t", "id": 5, "agent_instance_id": "i", "schema_name": "s", "status": "a"}
        )

    assert (caught.value.model.id, caught.value.model.type_) == (5, "t")


def test_undeclared_keys_are_kept_in_their_order_and_declared_ones_are_not():
    """Keys the spec does not declare stay in `additional_properties`, in the answer's order."""
    answer = {"zeta": 1, "type": "t", "id": "i", "alpha": None, "agent_instance_id": "a"}
    answer |= {"summary": None, "schema_name": "s", "status": "active", "mid": [2]}

    span = AgentSpan.from_dict(answer)

    assert list(span.additional_properties.items()) == [("zeta", 1), ("alpha", None), ("mid", [2])]


def test_an_optional_list_with_an_unreadable_item_is_kept_as_it_came():
    """As before, a list in `X | None` whose items cannot all be read is kept, unchecked."""
    items = [{"name": 5, "params_schema": {}}, {"params_schema": {}}]

    schema = AgentSchemaVersion.from_dict({"external_identifier": "e", "span_type_schemas": items})

    assert schema.span_type_schemas is items


def test_an_optional_list_of_readable_items_reports_an_items_mismatch():
    """When every item reads, a wrong field in one of them is named with its index."""
    items = [{"name": "n", "params_schema": {}}, {"name": 5, "params_schema": {}}]

    with pytest.raises(TypeMismatch) as caught:
        AgentSchemaVersion.from_dict({"external_identifier": "e", "span_type_schemas": items})

    assert str(caught.value) == "span_type_schemas[1].name: expected str, got int"
    assert isinstance(caught.value.model.span_type_schemas[1], SpanTypeSchema)
