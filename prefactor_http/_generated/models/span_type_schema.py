from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

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
        d = dict(src_dict)
        name = d.pop("name")

        params_schema = d.pop("params_schema")

        result_schema = (
            UNSET if (_given := d.pop("result_schema", None)) is None else _given
        )

        title = UNSET if (_given := d.pop("title", None)) is None else _given

        description = (
            UNSET if (_given := d.pop("description", None)) is None else _given
        )

        template = UNSET if (_given := d.pop("template", None)) is None else _given

        span_type_schema = cls(
            name=name,
            params_schema=params_schema,
            result_schema=None if isinstance(result_schema, Unset) else result_schema,
            title=None if isinstance(title, Unset) else title,
            description=None if isinstance(description, Unset) else description,
            template=None if isinstance(template, Unset) else template,
        )

        span_type_schema.additional_properties = d
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
