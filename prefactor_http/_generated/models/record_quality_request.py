from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from prefactor_http._model_methods import PydanticMethods

from ..types import UNSET, JsonObject, TypeMismatch, Unset

# JsonObject's recursion names JsonValue: typing.get_type_hints looks for it here.
from ..types import JsonValue as JsonValue

T = TypeVar("T", bound="RecordQualityRequest")
# UNSET typed as object, so that a field of any type may be compared with it.
_UNSET: object = UNSET


@_attrs_define
class RecordQualityRequest(PydanticMethods):
    """
    Attributes:
        name (str): The quality schema this payload follows.
        payload (JsonObject | None): A JSON object of the caller's own shape (a span payload, a JSON Schema).
        idempotency_key (None | str):
    """

    name: str
    payload: JsonObject | None = None
    idempotency_key: None | str = None
    # For model_dump(): wire name -> attribute name, unannotated so that attrs leaves it alone.
    _wire_fields = {
        "name": "name",
        "payload": "payload",
        "idempotency_key": "idempotency_key",
    }

    def to_dict(self) -> dict[str, Any]:
        field_dict: dict[str, Any] = {
            "name": self.name,
        }
        if (payload := self.payload) is not None and payload is not _UNSET:
            field_dict["payload"] = payload
        if (idempotency_key := self.idempotency_key) is not None and not isinstance(
            idempotency_key, Unset
        ):
            field_dict["idempotency_key"] = idempotency_key

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

        payload: Any = src_dict.get("payload")
        if payload is not None and not isinstance(payload, dict):
            bad = bad or TypeMismatch("payload", "a JSON object or null", payload)

        idempotency_key: Any = src_dict.get("idempotency_key")
        if idempotency_key is not None and not isinstance(idempotency_key, str):
            bad = bad or TypeMismatch("idempotency_key", "null or str", idempotency_key)

        record_quality_request = cls(
            name,
            payload,
            idempotency_key,
        )
        if bad is not None:
            bad.model = record_quality_request
            raise bad
        return record_quality_request
