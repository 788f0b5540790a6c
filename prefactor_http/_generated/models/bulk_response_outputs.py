from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field
from prefactor_http._model_methods import PydanticMethods

# JsonObject's recursion names JsonValue: typing.get_type_hints looks for it here.
from ..types import JsonValue as JsonValue
from ..types import TypeMismatch

T = TypeVar("T", bound="BulkResponseOutputs")


@_attrs_define
class BulkResponseOutputs(PydanticMethods):
    additional_properties: dict[str, BulkOutput] = _attrs_field(
        init=False, factory=dict
    )
    # For model_dump(): wire name -> attribute name, unannotated so that attrs leaves it alone.
    _wire_fields = {}

    def to_dict(self) -> dict[str, Any]:
        field_dict: dict[str, Any] = {}
        for prop_name, prop in self.additional_properties.items():
            field_dict[prop_name] = prop.to_dict()

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        """Read an object as the API sends it, checking each field's type (TypeMismatch).

        Args:
            src_dict: The object, as parsed from JSON.
        """
        if type(src_dict) is not dict:
            src_dict = dict(src_dict)
        bulk_response_outputs = cls()
        additional_properties = {}
        for prop_name, prop_dict in src_dict.items():
            try:
                additional_property = BulkOutput.from_dict(prop_dict)
            except TypeMismatch as error:
                additional_property = error.model
            additional_properties[prop_name] = additional_property

        bulk_response_outputs.additional_properties = additional_properties
        return bulk_response_outputs

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> BulkOutput:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: BulkOutput) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties


# Imported after the class: a model that refers back to this one finds it defined.
from ..models.bulk_output import BulkOutput  # noqa: E402
