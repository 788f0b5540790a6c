from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.span_type_schema import SpanTypeSchema


T = TypeVar("T", bound="AgentSchemaVersion")


@_attrs_define
class AgentSchemaVersion:
    """The span types of an agent version, as a list and/or as maps keyed by span name.

    Attributes:
        external_identifier (str):
        span_type_schemas (list[SpanTypeSchema] | Unset):
        span_schemas (Any | Unset): A JSON object of the caller's own shape (a span payload, a JSON Schema).
        span_result_schemas (Any | Unset): A JSON object of the caller's own shape (a span payload, a JSON Schema).
    """

    external_identifier: str
    span_type_schemas: list[SpanTypeSchema] | Unset = UNSET
    span_schemas: Any | Unset = UNSET
    span_result_schemas: Any | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        external_identifier = self.external_identifier

        span_type_schemas: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.span_type_schemas, Unset):
            span_type_schemas = []
            for span_type_schemas_item_data in self.span_type_schemas:
                span_type_schemas_item = span_type_schemas_item_data.to_dict()
                span_type_schemas.append(span_type_schemas_item)

        span_schemas = self.span_schemas

        span_result_schemas = self.span_result_schemas

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "external_identifier": external_identifier,
            }
        )
        if span_type_schemas is not UNSET:
            field_dict["span_type_schemas"] = span_type_schemas
        if span_schemas is not UNSET:
            field_dict["span_schemas"] = span_schemas
        if span_result_schemas is not UNSET:
            field_dict["span_result_schemas"] = span_result_schemas

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.span_type_schema import SpanTypeSchema  # noqa: PLC0415

        d = dict(src_dict)
        external_identifier = d.pop("external_identifier")

        _span_type_schemas = d.pop("span_type_schemas", UNSET)
        span_type_schemas: list[SpanTypeSchema] | Unset = UNSET
        if _span_type_schemas is not UNSET:
            span_type_schemas = []
            for span_type_schemas_item_data in _span_type_schemas:
                span_type_schemas_item = SpanTypeSchema.from_dict(
                    span_type_schemas_item_data
                )

                span_type_schemas.append(span_type_schemas_item)

        span_schemas = d.pop("span_schemas", UNSET)

        span_result_schemas = d.pop("span_result_schemas", UNSET)

        agent_schema_version = cls(
            external_identifier=external_identifier,
            span_type_schemas=span_type_schemas,
            span_schemas=span_schemas,
            span_result_schemas=span_result_schemas,
        )

        agent_schema_version.additional_properties = d
        return agent_schema_version

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
