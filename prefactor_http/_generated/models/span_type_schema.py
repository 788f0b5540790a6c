from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field
from prefactor_http._model_methods import PydanticMethods

from ..types import UNSET, JsonObject, TypeMismatch, Unset

# JsonObject's recursion names JsonValue: typing.get_type_hints looks for it here.
from ..types import JsonValue as JsonValue

T = TypeVar("T", bound="SpanTypeSchema")
# UNSET typed as object, so that a field of any type may be compared with it.
_UNSET: object = UNSET


@_attrs_define
class SpanTypeSchema(PydanticMethods):
    """One span type an agent may report, with JSON Schemas for its payloads.

    Attributes:
        name (str):
        params_schema (JsonObject | None): A JSON object of the caller's own shape (a span payload, a JSON Schema).
        result_schema (JsonObject | None): A JSON object of the caller's own shape (a span payload, a JSON Schema).
        title (None | str):
        description (None | str):
        template (None | str): How the platform renders a span, e.g. `{{model}}: {{prompt}} → {{response}}`.
        data_risk (JsonObject | None): A JSON object of the caller's own shape (a span payload, a JSON Schema).
    """

    name: str
    params_schema: JsonObject | None
    result_schema: JsonObject | None = None
    title: None | str = None
    description: None | str = None
    template: None | str = None
    data_risk: JsonObject | None = None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)
    # For model_dump(): wire name -> attribute name, unannotated so that attrs leaves it alone.
    _wire_fields = {
        "name": "name",
        "params_schema": "params_schema",
        "result_schema": "result_schema",
        "title": "title",
        "description": "description",
        "template": "template",
        "data_risk": "data_risk",
    }

    def to_dict(self) -> dict[str, Any]:
        field_dict: dict[str, Any] = dict(self.additional_properties)
        field_dict.update(
            {
                "name": self.name,
                "params_schema": self.params_schema,
            }
        )
        if (
            result_schema := self.result_schema
        ) is not None and result_schema is not _UNSET:
            field_dict["result_schema"] = result_schema
        if (title := self.title) is not None and not isinstance(title, Unset):
            field_dict["title"] = title
        if (description := self.description) is not None and not isinstance(
            description, Unset
        ):
            field_dict["description"] = description
        if (template := self.template) is not None and not isinstance(template, Unset):
            field_dict["template"] = template
        if (data_risk := self.data_risk) is not None and data_risk is not _UNSET:
            field_dict["data_risk"] = data_risk

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        """Read an object as the API sends it, checking each field's type (TypeMismatch).

        Args:
            src_dict: The object, as parsed from JSON.
        """
        if type(src_dict) is not dict:
            src_dict = dict(src_dict)
        bad: TypeMismatch | None = None
        name: Any = src_dict["name"]
        if not isinstance(name, str):
            bad = bad or TypeMismatch("name", "str", name)

        params_schema: Any = src_dict["params_schema"]
        if params_schema is not None and not isinstance(params_schema, dict):
            bad = bad or TypeMismatch(
                "params_schema", "a JSON object or null", params_schema
            )

        result_schema: Any = src_dict.get("result_schema")
        if result_schema is not None and not isinstance(result_schema, dict):
            bad = bad or TypeMismatch(
                "result_schema", "a JSON object or null", result_schema
            )

        title: Any = src_dict.get("title")
        if title is not None and not isinstance(title, str):
            bad = bad or TypeMismatch("title", "null or str", title)

        description: Any = src_dict.get("description")
        if description is not None and not isinstance(description, str):
            bad = bad or TypeMismatch("description", "null or str", description)

        template: Any = src_dict.get("template")
        if template is not None and not isinstance(template, str):
            bad = bad or TypeMismatch("template", "null or str", template)

        data_risk: Any = src_dict.get("data_risk")
        if data_risk is not None and not isinstance(data_risk, dict):
            bad = bad or TypeMismatch("data_risk", "a JSON object or null", data_risk)

        span_type_schema = cls(
            name,
            params_schema,
            result_schema,
            title,
            description,
            template,
            data_risk,
        )
        if not _DECLARED_KEYS.issuperset(src_dict):
            span_type_schema.additional_properties = {
                key: value for key, value in src_dict.items() if key not in _DECLARED
            }
        if bad is not None:
            bad.model = span_type_schema
            raise bad
        return span_type_schema

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        if key in self.additional_properties or key not in _DECLARED:
            return self.additional_properties[key]
        return getattr(self, _DECLARED[key])

    def __setitem__(self, key: str, value: Any) -> None:
        if key in _DECLARED:
            setattr(self, _DECLARED[key], value)
        else:
            self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        if key in _DECLARED:
            return getattr(self, _DECLARED[key]) is not None
        return key in self.additional_properties


# Wire names of the declared fields, and their attribute names.
_DECLARED: dict[str, str] = {
    "name": "name",
    "params_schema": "params_schema",
    "result_schema": "result_schema",
    "title": "title",
    "description": "description",
    "template": "template",
    "data_risk": "data_risk",
}
# The wire names as a set: issuperset() looks for an undeclared key in
# about 60% of the time a comparison of dict key views takes.
_DECLARED_KEYS = frozenset(_DECLARED)
