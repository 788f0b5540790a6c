from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.finish_status import FinishStatus, check_finish_status
from ..types import UNSET, Unset

T = TypeVar("T", bound="FinishAgentInstanceRequest")


@_attrs_define
class FinishAgentInstanceRequest:
    """
    Attributes:
        status (FinishStatus | Unset):
        timestamp (datetime.datetime | Unset): ISO 8601 with an offset, e.g. `2026-11-22T14:13:05.123456+00:00`.
        idempotency_key (str | Unset): Makes a retried call act once: a key the server has seen replays the
            first outcome. Assumed: 1 to 64 characters on single calls.
    """

    status: FinishStatus | Unset = UNSET
    timestamp: datetime.datetime | Unset = UNSET
    idempotency_key: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        status: str | Unset = UNSET
        if not isinstance(self.status, Unset):
            status = self.status

        timestamp: str | Unset = UNSET
        if not isinstance(self.timestamp, Unset):
            timestamp = self.timestamp.isoformat()

        idempotency_key = self.idempotency_key

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if status is not UNSET:
            field_dict["status"] = status
        if timestamp is not UNSET:
            field_dict["timestamp"] = timestamp
        if idempotency_key is not UNSET:
            field_dict["idempotency_key"] = idempotency_key

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        _status = d.pop("status", UNSET)
        status: FinishStatus | Unset
        if isinstance(_status, Unset):
            status = UNSET
        else:
            status = check_finish_status(_status)

        _timestamp = d.pop("timestamp", UNSET)
        timestamp: datetime.datetime | Unset
        if isinstance(_timestamp, Unset):
            timestamp = UNSET
        else:
            timestamp = datetime.datetime.fromisoformat(_timestamp)

        idempotency_key = d.pop("idempotency_key", UNSET)

        finish_agent_instance_request = cls(
            status=status,
            timestamp=timestamp,
            idempotency_key=idempotency_key,
        )

        return finish_agent_instance_request
