from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from prefactor_http._model_methods import PydanticMethods

from ..models.span_create_status import SpanCreateStatus, check_span_create_status
from ..types import UNSET, JsonObject, TypeMismatch, Unset, read_datetime

# JsonObject's recursion names JsonValue: typing.get_type_hints looks for it here.
from ..types import JsonValue as JsonValue

T = TypeVar("T", bound="AgentSpanDetails")
# UNSET typed as object, so that a field of any type may be compared with it.
_UNSET: object = UNSET


@_attrs_define
class AgentSpanDetails(PydanticMethods):
    """The fields of a new span, sent inside `details`.

    Attributes:
        agent_instance_id (str): The instance the span belongs to.
        schema_name (str): The span type, one of the agent schema version's span type schemas.
        status (SpanCreateStatus): The statuses a span may be created with.
        payload (JsonObject | None): A JSON object of the caller's own shape (a span payload, a JSON Schema).
        result_payload (JsonObject | None): A JSON object of the caller's own shape (a span payload, a JSON Schema).
        id (None | str): An id chosen by the caller instead of the server.
        parent_span_id (None | str): The span this one runs inside.
        started_at (datetime.datetime | None):
        finished_at (datetime.datetime | None):
        idempotency_key (None | str):
    """

    agent_instance_id: str
    schema_name: str
    status: SpanCreateStatus
    payload: JsonObject | None
    result_payload: JsonObject | None = None
    id: None | str = None
    parent_span_id: None | str = None
    started_at: datetime.datetime | None = None
    finished_at: datetime.datetime | None = None
    idempotency_key: None | str = None
    # For model_dump(): wire name -> attribute name, unannotated so that attrs leaves it alone.
    _wire_fields = {
        "agent_instance_id": "agent_instance_id",
        "schema_name": "schema_name",
        "status": "status",
        "payload": "payload",
        "result_payload": "result_payload",
        "id": "id",
        "parent_span_id": "parent_span_id",
        "started_at": "started_at",
        "finished_at": "finished_at",
        "idempotency_key": "idempotency_key",
    }

    def to_dict(self) -> dict[str, Any]:
        field_dict: dict[str, Any] = {
            "agent_instance_id": self.agent_instance_id,
            "schema_name": self.schema_name,
            "status": self.status,
            "payload": self.payload,
        }
        if (
            result_payload := self.result_payload
        ) is not None and result_payload is not _UNSET:
            field_dict["result_payload"] = result_payload
        if (id := self.id) is not None and not isinstance(id, Unset):
            field_dict["id"] = id
        if (parent_span_id := self.parent_span_id) is not None and not isinstance(
            parent_span_id, Unset
        ):
            field_dict["parent_span_id"] = parent_span_id
        if (started_at := self.started_at) is not None and not isinstance(
            started_at, Unset
        ):
            field_dict["started_at"] = (
                started_at.isoformat()
                if isinstance(started_at, datetime.datetime)
                else started_at
            )
        if (finished_at := self.finished_at) is not None and not isinstance(
            finished_at, Unset
        ):
            field_dict["finished_at"] = (
                finished_at.isoformat()
                if isinstance(finished_at, datetime.datetime)
                else finished_at
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
        agent_instance_id: Any = src_dict["agent_instance_id"]
        if not isinstance(agent_instance_id, str):
            bad = bad or TypeMismatch("agent_instance_id", "str", agent_instance_id)

        schema_name: Any = src_dict["schema_name"]
        if not isinstance(schema_name, str):
            bad = bad or TypeMismatch("schema_name", "str", schema_name)

        status: Any = src_dict["status"]
        status = check_span_create_status(status)

        payload: Any = src_dict["payload"]
        if payload is not None and not isinstance(payload, dict):
            bad = bad or TypeMismatch("payload", "a JSON object or null", payload)

        result_payload: Any = src_dict.get("result_payload")
        if result_payload is not None and not isinstance(result_payload, dict):
            bad = bad or TypeMismatch(
                "result_payload", "a JSON object or null", result_payload
            )

        id: Any = src_dict.get("id")
        if id is not None and not isinstance(id, str):
            bad = bad or TypeMismatch("id", "null or str", id)

        parent_span_id: Any = src_dict.get("parent_span_id")
        if parent_span_id is not None and not isinstance(parent_span_id, str):
            bad = bad or TypeMismatch("parent_span_id", "null or str", parent_span_id)

        started_at: Any = src_dict.get("started_at")
        if started_at is not None:
            if isinstance(started_at, str):
                try:
                    started_at = read_datetime(started_at)
                except (TypeError, ValueError, AttributeError, KeyError):
                    bad = bad or TypeMismatch(
                        "started_at", "datetime or null", started_at
                    )
            elif not isinstance(started_at, datetime.datetime):
                bad = bad or TypeMismatch("started_at", "datetime or null", started_at)

        finished_at: Any = src_dict.get("finished_at")
        if finished_at is not None:
            if isinstance(finished_at, str):
                try:
                    finished_at = read_datetime(finished_at)
                except (TypeError, ValueError, AttributeError, KeyError):
                    bad = bad or TypeMismatch(
                        "finished_at", "datetime or null", finished_at
                    )
            elif not isinstance(finished_at, datetime.datetime):
                bad = bad or TypeMismatch(
                    "finished_at", "datetime or null", finished_at
                )

        idempotency_key: Any = src_dict.get("idempotency_key")
        if idempotency_key is not None and not isinstance(idempotency_key, str):
            bad = bad or TypeMismatch("idempotency_key", "null or str", idempotency_key)

        agent_span_details = cls(
            agent_instance_id,
            schema_name,
            status,
            payload,
            result_payload,
            id,
            parent_span_id,
            started_at,
            finished_at,
            idempotency_key,
        )
        if bad is not None:
            bad.model = agent_span_details
            raise bad
        return agent_span_details
