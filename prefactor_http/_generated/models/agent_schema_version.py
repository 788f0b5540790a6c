from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field
from prefactor_http._model_methods import PydanticMethods

from ..types import UNSET, JsonObject, TypeMismatch, Unset

# JsonObject's recursion names JsonValue: typing.get_type_hints looks for it here.
from ..types import JsonValue as JsonValue

T = TypeVar("T", bound="AgentSchemaVersion")
# UNSET typed as object, so that a field of any type may be compared with it.
_UNSET: object = UNSET


@_attrs_define
class AgentSchemaVersion(PydanticMethods):
    """The span types of an agent version, as a list and/or as maps keyed by span name.

    Attributes:
        external_identifier (str):
        span_type_schemas (list[SpanTypeSchema] | None):
        span_schemas (JsonObject | None): A JSON object of the caller's own shape (a span payload, a JSON Schema).
        span_result_schemas (JsonObject | None): A JSON object of the caller's own shape (a span payload, a JSON
            Schema).
        quality_schemas (list[QualitySchema] | None): The qualities its instances may record (`record_quality`'s
            `name`).
    """

    external_identifier: str
    span_type_schemas: list[SpanTypeSchema] | None = None
    span_schemas: JsonObject | None = None
    span_result_schemas: JsonObject | None = None
    quality_schemas: list[QualitySchema] | None = None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)
    # For model_dump(): wire name -> attribute name, unannotated so that attrs leaves it alone.
    _wire_fields = {
        "external_identifier": "external_identifier",
        "span_type_schemas": "span_type_schemas",
        "span_schemas": "span_schemas",
        "span_result_schemas": "span_result_schemas",
        "quality_schemas": "quality_schemas",
    }

    def to_dict(self) -> dict[str, Any]:
        field_dict: dict[str, Any] = dict(self.additional_properties)
        field_dict.update(
            {
                "external_identifier": self.external_identifier,
            }
        )
        if (span_type_schemas := self.span_type_schemas) is not None and not isinstance(
            span_type_schemas, Unset
        ):
            field_dict["span_type_schemas"] = (
                [item.to_dict() for item in span_type_schemas]
                if isinstance(span_type_schemas, list)
                else span_type_schemas
            )
        if (
            span_schemas := self.span_schemas
        ) is not None and span_schemas is not _UNSET:
            field_dict["span_schemas"] = span_schemas
        if (
            span_result_schemas := self.span_result_schemas
        ) is not None and span_result_schemas is not _UNSET:
            field_dict["span_result_schemas"] = span_result_schemas
        if (quality_schemas := self.quality_schemas) is not None and not isinstance(
            quality_schemas, Unset
        ):
            field_dict["quality_schemas"] = (
                [item.to_dict() for item in quality_schemas]
                if isinstance(quality_schemas, list)
                else quality_schemas
            )

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
        external_identifier: Any = src_dict["external_identifier"]
        if not isinstance(external_identifier, str):
            bad = bad or TypeMismatch("external_identifier", "str", external_identifier)

        span_type_schemas: Any = src_dict.get("span_type_schemas")
        if span_type_schemas is not None:
            if isinstance(span_type_schemas, list):
                # An item that cannot be parsed leaves the list as it came, unchecked.
                span_type_schemas_items: list[SpanTypeSchema] = []
                span_type_schemas_bad: TypeMismatch | None = None
                try:
                    for item in span_type_schemas:
                        try:
                            span_type_schemas_items.append(
                                SpanTypeSchema.from_dict(item)
                            )
                        except TypeMismatch as error:
                            span_type_schemas_bad = (
                                span_type_schemas_bad
                                or error.within(
                                    f"span_type_schemas[{len(span_type_schemas_items)}]"
                                )
                            )
                            span_type_schemas_items.append(error.model)
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                else:
                    span_type_schemas = span_type_schemas_items
                    bad = bad or span_type_schemas_bad
            else:
                bad = bad or TypeMismatch(
                    "span_type_schemas", "list or null", span_type_schemas
                )

        span_schemas: Any = src_dict.get("span_schemas")
        if span_schemas is not None and not isinstance(span_schemas, dict):
            bad = bad or TypeMismatch(
                "span_schemas", "a JSON object or null", span_schemas
            )

        span_result_schemas: Any = src_dict.get("span_result_schemas")
        if span_result_schemas is not None and not isinstance(
            span_result_schemas, dict
        ):
            bad = bad or TypeMismatch(
                "span_result_schemas", "a JSON object or null", span_result_schemas
            )

        quality_schemas: Any = src_dict.get("quality_schemas")
        if quality_schemas is not None:
            if isinstance(quality_schemas, list):
                # An item that cannot be parsed leaves the list as it came, unchecked.
                quality_schemas_items: list[QualitySchema] = []
                quality_schemas_bad: TypeMismatch | None = None
                try:
                    for item in quality_schemas:
                        try:
                            quality_schemas_items.append(QualitySchema.from_dict(item))
                        except TypeMismatch as error:
                            quality_schemas_bad = quality_schemas_bad or error.within(
                                f"quality_schemas[{len(quality_schemas_items)}]"
                            )
                            quality_schemas_items.append(error.model)
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                else:
                    quality_schemas = quality_schemas_items
                    bad = bad or quality_schemas_bad
            else:
                bad = bad or TypeMismatch(
                    "quality_schemas", "list or null", quality_schemas
                )

        agent_schema_version = cls(
            external_identifier,
            span_type_schemas,
            span_schemas,
            span_result_schemas,
            quality_schemas,
        )
        if not _DECLARED_KEYS.issuperset(src_dict):
            agent_schema_version.additional_properties = {
                key: value for key, value in src_dict.items() if key not in _DECLARED
            }
        if bad is not None:
            bad.model = agent_schema_version
            raise bad
        return agent_schema_version

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
    "external_identifier": "external_identifier",
    "span_type_schemas": "span_type_schemas",
    "span_schemas": "span_schemas",
    "span_result_schemas": "span_result_schemas",
    "quality_schemas": "quality_schemas",
}
# The wire names as a set: issuperset() looks for an undeclared key in
# about 60% of the time a comparison of dict key views takes.
_DECLARED_KEYS = frozenset(_DECLARED)
# Imported after the class: a model that refers back to this one finds it defined.
from ..models.quality_schema import QualitySchema  # noqa: E402
from ..models.span_type_schema import SpanTypeSchema  # noqa: E402
