from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="RecordQualityRequest")


@_attrs_define
class RecordQualityRequest:
    """
    Attributes:
        name (str): The quality schema this payload follows.
        payload (Any | None): A JSON object of the caller's own shape (a span payload, a JSON Schema).
        idempotency_key (None | str):
    """

    name: str
    payload: Any | None = None
    idempotency_key: None | str = None

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        _payload_sent = UNSET if self.payload is None else self.payload
        payload = _payload_sent

        _idempotency_key_sent = (
            UNSET if self.idempotency_key is None else self.idempotency_key
        )
        idempotency_key: None | str | Unset
        if isinstance(_idempotency_key_sent, Unset):
            idempotency_key = UNSET
        else:
            idempotency_key = _idempotency_key_sent

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "name": name,
            }
        )
        if payload is not UNSET:
            field_dict["payload"] = payload
        if idempotency_key is not UNSET:
            field_dict["idempotency_key"] = idempotency_key

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name")

        payload = UNSET if (_given := d.pop("payload", None)) is None else _given

        idempotency_key = (
            UNSET if (_given := d.pop("idempotency_key", None)) is None else _given
        )

        record_quality_request = cls(
            name=name,
            payload=None if isinstance(payload, Unset) else payload,
            idempotency_key=None
            if isinstance(idempotency_key, Unset)
            else idempotency_key,
        )

        return record_quality_request
