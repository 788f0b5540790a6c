from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field
from prefactor_http._model_methods import PydanticMethods

# JsonObject's recursion names JsonValue: typing.get_type_hints looks for it here.
from ..types import JsonValue as JsonValue
from ..types import TypeMismatch

T = TypeVar("T", bound="BulkItem")


@_attrs_define
class BulkItem(PydanticMethods):
    """One action. `_type` names it as `group/verb` (e.g.
    `agent_spans/create`); its parameters sit flat beside `_type`.
    Types this file does not know pass through: the server decides.

        Attributes:
            field_type_ (str):
            idempotency_key (str):
    """

    field_type_: str
    idempotency_key: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)
    # For model_dump(): wire name -> attribute name, unannotated so that attrs leaves it alone.
    _wire_fields = {
        "_type": "field_type_",
        "idempotency_key": "idempotency_key",
    }

    def to_dict(self) -> dict[str, Any]:
        field_dict: dict[str, Any] = dict(self.additional_properties)
        field_dict.update(
            {
                "_type": self.field_type_,
                "idempotency_key": self.idempotency_key,
            }
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
        field_type_: Any = src_dict["_type"]
        if not isinstance(field_type_, str):
            bad = bad or TypeMismatch("field_type_", "str", field_type_)

        idempotency_key: Any = src_dict["idempotency_key"]
        if not isinstance(idempotency_key, str):
            bad = bad or TypeMismatch("idempotency_key", "str", idempotency_key)

        bulk_item = cls(
            field_type_,
            idempotency_key,
        )
        if not _DECLARED_KEYS.issuperset(src_dict):
            bulk_item.additional_properties = {
                key: value for key, value in src_dict.items() if key not in _DECLARED
            }
        if bad is not None:
            bad.model = bulk_item
            raise bad
        return bulk_item

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
    "_type": "field_type_",
    "idempotency_key": "idempotency_key",
}
# The wire names as a set: issuperset() looks for an undeclared key in
# about 60% of the time a comparison of dict key views takes.
_DECLARED_KEYS = frozenset(_DECLARED)
