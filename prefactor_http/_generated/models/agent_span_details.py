from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.span_create_status import SpanCreateStatus, check_span_create_status
from ..types import UNSET, Unset, read_datetime

T = TypeVar("T", bound="AgentSpanDetails")


@_attrs_define
class AgentSpanDetails:
    """The fields of a new span, sent inside `details`.

    Attributes:
        agent_instance_id (str):
        schema_name (str):
        status (SpanCreateStatus): The statuses a span may be created with.
        payload (Any): A JSON object of the caller's own shape (a span payload, a JSON Schema).
        result_payload (Any | None): A JSON object of the caller's own shape (a span payload, a JSON Schema).
        id (None | str):
        parent_span_id (None | str):
        started_at (datetime.datetime | None):
        finished_at (datetime.datetime | None):
        idempotency_key (None | str):
    """

    agent_instance_id: str
    schema_name: str
    status: SpanCreateStatus
    payload: Any
    result_payload: Any | None = None
    id: None | str = None
    parent_span_id: None | str = None
    started_at: datetime.datetime | None = None
    finished_at: datetime.datetime | None = None
    idempotency_key: None | str = None

    def to_dict(self) -> dict[str, Any]:
        agent_instance_id = self.agent_instance_id

        schema_name = self.schema_name

        status: str = self.status

        payload = self.payload

        _result_payload_sent = (
            UNSET if self.result_payload is None else self.result_payload
        )
        result_payload = _result_payload_sent

        _id_sent = UNSET if self.id is None else self.id
        id: None | str | Unset
        if isinstance(_id_sent, Unset):
            id = UNSET
        else:
            id = _id_sent

        _parent_span_id_sent = (
            UNSET if self.parent_span_id is None else self.parent_span_id
        )
        parent_span_id: None | str | Unset
        if isinstance(_parent_span_id_sent, Unset):
            parent_span_id = UNSET
        else:
            parent_span_id = _parent_span_id_sent

        _started_at_sent = UNSET if self.started_at is None else self.started_at
        started_at: None | str | Unset
        if isinstance(_started_at_sent, Unset):
            started_at = UNSET
        elif isinstance(_started_at_sent, datetime.datetime):
            started_at = _started_at_sent.isoformat()
        else:
            started_at = _started_at_sent

        _finished_at_sent = UNSET if self.finished_at is None else self.finished_at
        finished_at: None | str | Unset
        if isinstance(_finished_at_sent, Unset):
            finished_at = UNSET
        elif isinstance(_finished_at_sent, datetime.datetime):
            finished_at = _finished_at_sent.isoformat()
        else:
            finished_at = _finished_at_sent

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
                "agent_instance_id": agent_instance_id,
                "schema_name": schema_name,
                "status": status,
                "payload": payload,
            }
        )
        if result_payload is not UNSET:
            field_dict["result_payload"] = result_payload
        if id is not UNSET:
            field_dict["id"] = id
        if parent_span_id is not UNSET:
            field_dict["parent_span_id"] = parent_span_id
        if started_at is not UNSET:
            field_dict["started_at"] = started_at
        if finished_at is not UNSET:
            field_dict["finished_at"] = finished_at
        if idempotency_key is not UNSET:
            field_dict["idempotency_key"] = idempotency_key

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        agent_instance_id = d.pop("agent_instance_id")

        schema_name = d.pop("schema_name")

        status = check_span_create_status(d.pop("status"))

        payload = d.pop("payload")

        result_payload = (
            UNSET if (_given := d.pop("result_payload", None)) is None else _given
        )

        id = UNSET if (_given := d.pop("id", None)) is None else _given

        parent_span_id = (
            UNSET if (_given := d.pop("parent_span_id", None)) is None else _given
        )

        def _parse_started_at(data: object) -> datetime.datetime | None | Unset:
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

        started_at = _parse_started_at(
            UNSET if (_given := d.pop("started_at", None)) is None else _given
        )

        def _parse_finished_at(data: object) -> datetime.datetime | None | Unset:
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

        finished_at = _parse_finished_at(
            UNSET if (_given := d.pop("finished_at", None)) is None else _given
        )

        idempotency_key = (
            UNSET if (_given := d.pop("idempotency_key", None)) is None else _given
        )

        agent_span_details = cls(
            agent_instance_id=agent_instance_id,
            schema_name=schema_name,
            status=status,
            payload=payload,
            result_payload=None
            if isinstance(result_payload, Unset)
            else result_payload,
            id=None if isinstance(id, Unset) else id,
            parent_span_id=None
            if isinstance(parent_span_id, Unset)
            else parent_span_id,
            started_at=None if isinstance(started_at, Unset) else started_at,
            finished_at=None if isinstance(finished_at, Unset) else finished_at,
            idempotency_key=None
            if isinstance(idempotency_key, Unset)
            else idempotency_key,
        )

        return agent_span_details
