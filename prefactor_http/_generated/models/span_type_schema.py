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
        result_schema (Any | Unset): A JSON object of the caller's own shape (a span payload, a JSON Schema).
        title (str | Unset):
        description (str | Unset):
        template (str | Unset): How the platform renders a span, e.g. `{{model}}: {{prompt}} → {{response}}`.
    """

    name: str
    params_schema: Any
    result_schema: Any | Unset = UNSET
    title: str | Unset = UNSET
    description: str | Unset = UNSET
    template: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        params_schema = self.params_schema

        result_schema = self.result_schema

        title = self.title

        description = self.description

        template = self.template

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

        result_schema = d.pop("result_schema", UNSET)

        title = d.pop("title", UNSET)

        description = d.pop("description", UNSET)

        template = d.pop("template", UNSET)

        span_type_schema = cls(
            name=name,
            params_schema=params_schema,
            result_schema=result_schema,
            title=title,
            description=description,
            template=template,
        )

        span_type_schema.additional_properties = d
        return span_type_schema

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
