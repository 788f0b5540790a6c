from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.span_create_status import SpanCreateStatus, check_span_create_status
from ..types import UNSET, Unset

T = TypeVar("T", bound="AgentSpanDetails")


@_attrs_define
class AgentSpanDetails:
    """The fields of a new span, sent inside `details`.

    Attributes:
        agent_instance_id (str):
        schema_name (str):
        status (SpanCreateStatus): The statuses a span may be created with.
        payload (Any): A JSON object of the caller's own shape (a span payload, a JSON Schema).
        result_payload (Any | Unset): A JSON object of the caller's own shape (a span payload, a JSON Schema).
        id (str | Unset):
        parent_span_id (str | Unset):
        started_at (datetime.datetime | Unset): ISO 8601 with an offset, e.g. `2026-11-22T14:13:05.123456+00:00`.
        finished_at (datetime.datetime | Unset): ISO 8601 with an offset, e.g. `2026-11-22T14:13:05.123456+00:00`.
        idempotency_key (str | Unset): Makes a retried call act once: a key the server has seen replays the
            first outcome. Assumed: 1 to 64 characters on single calls.
    """

    agent_instance_id: str
    schema_name: str
    status: SpanCreateStatus
    payload: Any
    result_payload: Any | Unset = UNSET
    id: str | Unset = UNSET
    parent_span_id: str | Unset = UNSET
    started_at: datetime.datetime | Unset = UNSET
    finished_at: datetime.datetime | Unset = UNSET
    idempotency_key: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        agent_instance_id = self.agent_instance_id

        schema_name = self.schema_name

        status: str = self.status

        payload = self.payload

        result_payload = self.result_payload

        id = self.id

        parent_span_id = self.parent_span_id

        started_at: str | Unset = UNSET
        if not isinstance(self.started_at, Unset):
            started_at = self.started_at.isoformat()

        finished_at: str | Unset = UNSET
        if not isinstance(self.finished_at, Unset):
            finished_at = self.finished_at.isoformat()

        idempotency_key = self.idempotency_key

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

        result_payload = d.pop("result_payload", UNSET)

        id = d.pop("id", UNSET)

        parent_span_id = d.pop("parent_span_id", UNSET)

        _started_at = d.pop("started_at", UNSET)
        started_at: datetime.datetime | Unset
        if isinstance(_started_at, Unset):
            started_at = UNSET
        else:
            started_at = datetime.datetime.fromisoformat(_started_at)

        _finished_at = d.pop("finished_at", UNSET)
        finished_at: datetime.datetime | Unset
        if isinstance(_finished_at, Unset):
            finished_at = UNSET
        else:
            finished_at = datetime.datetime.fromisoformat(_finished_at)

        idempotency_key = d.pop("idempotency_key", UNSET)

        agent_span_details = cls(
            agent_instance_id=agent_instance_id,
            schema_name=schema_name,
            status=status,
            payload=payload,
            result_payload=result_payload,
            id=id,
            parent_span_id=parent_span_id,
            started_at=started_at,
            finished_at=finished_at,
            idempotency_key=idempotency_key,
        )

        return agent_span_details
