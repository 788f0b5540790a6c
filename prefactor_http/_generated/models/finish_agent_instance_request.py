from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from prefactor_http._model_methods import PydanticMethods

from ..models.finish_status import FinishStatus

# JsonObject's recursion names JsonValue: typing.get_type_hints looks for it here.
from ..types import JsonValue as JsonValue
from ..types import TypeMismatch, Unset, read_datetime

T = TypeVar("T", bound="FinishAgentInstanceRequest")


@_attrs_define
class FinishAgentInstanceRequest(PydanticMethods):
    """
    Attributes:
        status (FinishStatus | None):
        timestamp (datetime.datetime | None):
        idempotency_key (None | str):
    """

    status: FinishStatus | None = None
    timestamp: datetime.datetime | None = None
    idempotency_key: None | str = None
    # For model_dump(): wire name -> attribute name, unannotated so that attrs leaves it alone.
    _wire_fields = {
        "status": "status",
        "timestamp": "timestamp",
        "idempotency_key": "idempotency_key",
    }

    def to_dict(self) -> dict[str, Any]:
        field_dict: dict[str, Any] = {}
        if (status := self.status) is not None and not isinstance(status, Unset):
            field_dict["status"] = status
        if (timestamp := self.timestamp) is not None and not isinstance(
            timestamp, Unset
        ):
            field_dict["timestamp"] = (
                timestamp.isoformat()
                if isinstance(timestamp, datetime.datetime)
                else timestamp
            )
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
        status: Any = src_dict.get("status")
        if status is not None and not isinstance(status, str):
            bad = bad or TypeMismatch("status", "null or str", status)

        timestamp: Any = src_dict.get("timestamp")
        if timestamp is not None:
            if isinstance(timestamp, str):
                try:
                    timestamp = read_datetime(timestamp)
                except (TypeError, ValueError, AttributeError, KeyError):
                    bad = bad or TypeMismatch(
                        "timestamp", "datetime or null", timestamp
                    )
            elif not isinstance(timestamp, datetime.datetime):
                bad = bad or TypeMismatch("timestamp", "datetime or null", timestamp)

        idempotency_key: Any = src_dict.get("idempotency_key")
        if idempotency_key is not None and not isinstance(idempotency_key, str):
            bad = bad or TypeMismatch("idempotency_key", "null or str", idempotency_key)

        finish_agent_instance_request = cls(
            status,
            timestamp,
            idempotency_key,
        )
        if bad is not None:
            bad.model = finish_agent_instance_request
            raise bad
        return finish_agent_instance_request
