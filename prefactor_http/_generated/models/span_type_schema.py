from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, TypeMismatch, Unset

T = TypeVar("T", bound="SpanTypeSchema")


@_attrs_define
class SpanTypeSchema:
    """One span type an agent may report, with JSON Schemas for its payloads.

    Attributes:
        name (str):
        params_schema (Any): A JSON object of the caller's own shape (a span payload, a JSON Schema).
        result_schema (Any | None): A JSON object of the caller's own shape (a span payload, a JSON Schema).
        title (None | str):
        description (None | str):
        template (None | str): How the platform renders a span, e.g. `{{model}}: {{prompt}} → {{response}}`.
    """

    name: str
    params_schema: Any
    result_schema: Any | None = None
    title: None | str = None
    description: None | str = None
    template: None | str = None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        params_schema = self.params_schema

        _result_schema_sent = (
            UNSET if self.result_schema is None else self.result_schema
        )
        result_schema = _result_schema_sent

        _title_sent = UNSET if self.title is None else self.title
        title: None | str | Unset
        if isinstance(_title_sent, Unset):
            title = UNSET
        else:
            title = _title_sent

        _description_sent = UNSET if self.description is None else self.description
        description: None | str | Unset
        if isinstance(_description_sent, Unset):
            description = UNSET
        else:
            description = _description_sent

        _template_sent = UNSET if self.template is None else self.template
        template: None | str | Unset
        if isinstance(_template_sent, Unset):
            template = UNSET
        else:
            template = _template_sent

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "name": name,
                "params_schema": params_schema,
            }
        )
        if result_schema is not UNSET:
            field_dict["result_schema"] = result_schema
        if title is not UNSET:
            field_dict["title"] = title
        if description is not UNSET:
            field_dict["description"] = description
        if template is not UNSET:
            field_dict["template"] = template

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
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

        span_type_schema = cls(
            name,
            params_schema,
            result_schema,
            title,
            description,
            template,
        )
        if not src_dict.keys() <= _DECLARED.keys():
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
}
