from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from prefactor_http._model_methods import PydanticMethods

from ..models.finish_status import FinishStatus
from ..types import UNSET, JsonObject, TypeMismatch, Unset, read_datetime

# JsonObject's recursion names JsonValue: typing.get_type_hints looks for it here.
from ..types import JsonValue as JsonValue

T = TypeVar("T", bound="FinishAgentSpanRequest")
# UNSET typed as object, so that a field of any type may be compared with it.
_UNSET: object = UNSET


@_attrs_define
class FinishAgentSpanRequest(PydanticMethods):
    """
    Attributes:
        status (FinishStatus | None):
        result_payload (JsonObject | None): A JSON object of the caller's own shape (a span payload, a JSON Schema).
        timestamp (datetime.datetime | None):
        idempotency_key (None | str):
    """

    status: FinishStatus | None = None
    result_payload: JsonObject | None = None
    timestamp: datetime.datetime | None = None
    idempotency_key: None | str = None
    # For model_dump(): wire name -> attribute name, unannotated so that attrs leaves it alone.
    _wire_fields = {
        "status": "status",
        "result_payload": "result_payload",
        "timestamp": "timestamp",
        "idempotency_key": "idempotency_key",
    }

    def to_dict(self) -> dict[str, Any]:
        field_dict: dict[str, Any] = {}
        if (status := self.status) is not None and not isinstance(status, Unset):
            field_dict["status"] = status
        if (
            result_payload := self.result_payload
        ) is not None and result_payload is not _UNSET:
            field_dict["result_payload"] = result_payload
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

        result_payload: Any = src_dict.get("result_payload")
        if result_payload is not None and not isinstance(result_payload, dict):
            bad = bad or TypeMismatch(
                "result_payload", "a JSON object or null", result_payload
            )

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

        finish_agent_span_request = cls(
            status,
            result_payload,
            timestamp,
            idempotency_key,
        )
        if bad is not None:
            bad.model = finish_agent_span_request
            raise bad
        return finish_agent_span_request
