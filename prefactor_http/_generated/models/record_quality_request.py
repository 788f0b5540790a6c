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
        payload (Any | Unset): A JSON object of the caller's own shape (a span payload, a JSON Schema).
        idempotency_key (str | Unset): Makes a retried call act once: a key the server has seen replays the
            first outcome. Assumed: 1 to 64 characters on single calls.
    """

    name: str
    payload: Any | Unset = UNSET
    idempotency_key: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        payload = self.payload

        idempotency_key = self.idempotency_key

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

        payload = d.pop("payload", UNSET)

        idempotency_key = d.pop("idempotency_key", UNSET)

        record_quality_request = cls(
            name=name,
            payload=payload,
            idempotency_key=idempotency_key,
        )

        return record_quality_request
