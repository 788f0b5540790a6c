from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.finish_status import FinishStatus, check_finish_status
from ..types import UNSET, Unset, read_datetime

T = TypeVar("T", bound="FinishAgentSpanRequest")


@_attrs_define
class FinishAgentSpanRequest:
    """
    Attributes:
        status (FinishStatus | None):
        result_payload (Any | None): A JSON object of the caller's own shape (a span payload, a JSON Schema).
        timestamp (datetime.datetime | None):
        idempotency_key (None | str):
    """

    status: FinishStatus | None = None
    result_payload: Any | None = None
    timestamp: datetime.datetime | None = None
    idempotency_key: None | str = None

    def to_dict(self) -> dict[str, Any]:
        _status_sent = UNSET if self.status is None else self.status
        status: None | str | Unset
        if isinstance(_status_sent, Unset):
            status = UNSET
        elif isinstance(_status_sent, str):
            status = _status_sent
        else:
            status = _status_sent

        _result_payload_sent = (
            UNSET if self.result_payload is None else self.result_payload
        )
        result_payload = _result_payload_sent

        _timestamp_sent = UNSET if self.timestamp is None else self.timestamp
        timestamp: None | str | Unset
        if isinstance(_timestamp_sent, Unset):
            timestamp = UNSET
        elif isinstance(_timestamp_sent, datetime.datetime):
            timestamp = _timestamp_sent.isoformat()
        else:
            timestamp = _timestamp_sent

        _idempotency_key_sent = (
            UNSET if self.idempotency_key is None else self.idempotency_key
        )
        idempotency_key: None | str | Unset
        if isinstance(_idempotency_key_sent, Unset):
            idempotency_key = UNSET
        else:
            idempotency_key = _idempotency_key_sent

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if status is not UNSET:
            field_dict["status"] = status
        if result_payload is not UNSET:
            field_dict["result_payload"] = result_payload
        if timestamp is not UNSET:
            field_dict["timestamp"] = timestamp
        if idempotency_key is not UNSET:
            field_dict["idempotency_key"] = idempotency_key

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_status(data: object) -> FinishStatus | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                componentsschemas_optional_finish_status_type_0 = check_finish_status(
                    data
                )

                return componentsschemas_optional_finish_status_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(FinishStatus | None | Unset, data)

        status = _parse_status(
            UNSET if (_given := d.pop("status", None)) is None else _given
        )

        result_payload = (
            UNSET if (_given := d.pop("result_payload", None)) is None else _given
        )

        def _parse_timestamp(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                componentsschemas_optional_timestamp_type_0 = read_datetime(data)

                return componentsschemas_optional_timestamp_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        timestamp = _parse_timestamp(
            UNSET if (_given := d.pop("timestamp", None)) is None else _given
        )

        idempotency_key = (
            UNSET if (_given := d.pop("idempotency_key", None)) is None else _given
        )

        finish_agent_span_request = cls(
            status=None if isinstance(status, Unset) else status,
            result_payload=None
            if isinstance(result_payload, Unset)
            else result_payload,
            timestamp=None if isinstance(timestamp, Unset) else timestamp,
            idempotency_key=None
            if isinstance(idempotency_key, Unset)
            else idempotency_key,
        )

        return finish_agent_span_request
