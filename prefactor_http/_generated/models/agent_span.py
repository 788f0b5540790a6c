from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field
from prefactor_http._model_methods import PydanticMethods

from ..types import UNSET, JsonObject, TypeMismatch, Unset, read_datetime

# JsonObject's recursion names JsonValue: typing.get_type_hints looks for it here.
from ..types import JsonValue as JsonValue

T = TypeVar("T", bound="AgentSpan")
# UNSET typed as object, so that a field of any type may be compared with it.
_UNSET: object = UNSET


@_attrs_define
class AgentSpan(PydanticMethods):
    """A step inside an agent instance. Only the fields listed as required
    are always sent; every other field may be null or left out, and
    reads as None (a missing `payload` as `{}`). Fields the server adds
    later are kept. `status` is a plain string for the same reason as
    on AgentInstance.

        Attributes:
            type_ (str):
            id (str):
            agent_instance_id (str):
            schema_name (str):
            status (str):
            payload (JsonObject): A JSON object of the caller's own shape (a span payload, a JSON Schema).
            account_id (None | str):
            agent_id (None | str):
            parent_span_id (None | str):
            schema_title (None | str):
            result_payload (JsonObject | None): A JSON object of the caller's own shape (a span payload, a JSON Schema).
            summary (None | str):
            started_at (datetime.datetime | None):
            inserted_at (datetime.datetime | None):
            updated_at (datetime.datetime | None):
            finished_at (datetime.datetime | None):
    """

    type_: str
    id: str
    agent_instance_id: str
    schema_name: str
    status: str
    payload: JsonObject = _attrs_field(factory=dict)
    account_id: None | str = None
    agent_id: None | str = None
    parent_span_id: None | str = None
    schema_title: None | str = None
    result_payload: JsonObject | None = None
    summary: None | str = None
    started_at: datetime.datetime | None = None
    inserted_at: datetime.datetime | None = None
    updated_at: datetime.datetime | None = None
    finished_at: datetime.datetime | None = None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)
    # For model_dump(): wire name -> attribute name, unannotated so that attrs leaves it alone.
    _wire_fields = {
        "type": "type_",
        "id": "id",
        "agent_instance_id": "agent_instance_id",
        "schema_name": "schema_name",
        "status": "status",
        "payload": "payload",
        "account_id": "account_id",
        "agent_id": "agent_id",
        "parent_span_id": "parent_span_id",
        "schema_title": "schema_title",
        "result_payload": "result_payload",
        "summary": "summary",
        "started_at": "started_at",
        "inserted_at": "inserted_at",
        "updated_at": "updated_at",
        "finished_at": "finished_at",
    }

    def to_dict(self) -> dict[str, Any]:
        field_dict: dict[str, Any] = dict(self.additional_properties)
        field_dict.update(
            {
                "type": self.type_,
                "id": self.id,
                "agent_instance_id": self.agent_instance_id,
                "schema_name": self.schema_name,
                "status": self.status,
                "payload": self.payload,
            }
        )
        if (account_id := self.account_id) is not None and not isinstance(
            account_id, Unset
        ):
            field_dict["account_id"] = account_id
        if (agent_id := self.agent_id) is not None and not isinstance(agent_id, Unset):
            field_dict["agent_id"] = agent_id
        if (parent_span_id := self.parent_span_id) is not None and not isinstance(
            parent_span_id, Unset
        ):
            field_dict["parent_span_id"] = parent_span_id
        if (schema_title := self.schema_title) is not None and not isinstance(
            schema_title, Unset
        ):
            field_dict["schema_title"] = schema_title
        if (
            result_payload := self.result_payload
        ) is not None and result_payload is not _UNSET:
            field_dict["result_payload"] = result_payload
        if (summary := self.summary) is not None and not isinstance(summary, Unset):
            field_dict["summary"] = summary
        if (started_at := self.started_at) is not None and not isinstance(
            started_at, Unset
        ):
            field_dict["started_at"] = (
                started_at.isoformat()
                if isinstance(started_at, datetime.datetime)
                else started_at
            )
        if (inserted_at := self.inserted_at) is not None and not isinstance(
            inserted_at, Unset
        ):
            field_dict["inserted_at"] = (
                inserted_at.isoformat()
                if isinstance(inserted_at, datetime.datetime)
                else inserted_at
            )
        if (updated_at := self.updated_at) is not None and not isinstance(
            updated_at, Unset
        ):
            field_dict["updated_at"] = (
                updated_at.isoformat()
                if isinstance(updated_at, datetime.datetime)
                else updated_at
            )
        if (finished_at := self.finished_at) is not None and not isinstance(
            finished_at, Unset
        ):
            field_dict["finished_at"] = (
                finished_at.isoformat()
                if isinstance(finished_at, datetime.datetime)
                else finished_at
            )

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
        type_: Any = src_dict["type"]
        if not isinstance(type_, str):
            bad = bad or TypeMismatch("type_", "str", type_)

        id: Any = src_dict["id"]
        if not isinstance(id, str):
            bad = bad or TypeMismatch("id", "str", id)

        agent_instance_id: Any = src_dict["agent_instance_id"]
        if not isinstance(agent_instance_id, str):
            bad = bad or TypeMismatch("agent_instance_id", "str", agent_instance_id)

        schema_name: Any = src_dict["schema_name"]
        if not isinstance(schema_name, str):
            bad = bad or TypeMismatch("schema_name", "str", schema_name)

        status: Any = src_dict["status"]
        if not isinstance(status, str):
            bad = bad or TypeMismatch("status", "str", status)

        payload: Any = src_dict.get("payload")
        if payload is None:
            payload = {}
        elif not isinstance(payload, dict):
            bad = bad or TypeMismatch("payload", "a JSON object or null", payload)

        account_id: Any = src_dict.get("account_id")
        if account_id is not None and not isinstance(account_id, str):
            bad = bad or TypeMismatch("account_id", "null or str", account_id)

        agent_id: Any = src_dict.get("agent_id")
        if agent_id is not None and not isinstance(agent_id, str):
            bad = bad or TypeMismatch("agent_id", "null or str", agent_id)

        parent_span_id: Any = src_dict.get("parent_span_id")
        if parent_span_id is not None and not isinstance(parent_span_id, str):
            bad = bad or TypeMismatch("parent_span_id", "null or str", parent_span_id)

        schema_title: Any = src_dict.get("schema_title")
        if schema_title is not None and not isinstance(schema_title, str):
            bad = bad or TypeMismatch("schema_title", "null or str", schema_title)

        result_payload: Any = src_dict.get("result_payload")
        if result_payload is not None and not isinstance(result_payload, dict):
            bad = bad or TypeMismatch(
                "result_payload", "a JSON object or null", result_payload
            )

        summary: Any = src_dict.get("summary")
        if summary is not None and not isinstance(summary, str):
            bad = bad or TypeMismatch("summary", "null or str", summary)

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

        inserted_at: Any = src_dict.get("inserted_at")
        if inserted_at is not None:
            if isinstance(inserted_at, str):
                try:
                    inserted_at = read_datetime(inserted_at)
                except (TypeError, ValueError, AttributeError, KeyError):
                    bad = bad or TypeMismatch(
                        "inserted_at", "datetime or null", inserted_at
                    )
            elif not isinstance(inserted_at, datetime.datetime):
                bad = bad or TypeMismatch(
                    "inserted_at", "datetime or null", inserted_at
                )

        updated_at: Any = src_dict.get("updated_at")
        if updated_at is not None:
            if isinstance(updated_at, str):
                try:
                    updated_at = read_datetime(updated_at)
                except (TypeError, ValueError, AttributeError, KeyError):
                    bad = bad or TypeMismatch(
                        "updated_at", "datetime or null", updated_at
                    )
            elif not isinstance(updated_at, datetime.datetime):
                bad = bad or TypeMismatch("updated_at", "datetime or null", updated_at)

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

        agent_span = cls(
            type_,
            id,
            agent_instance_id,
            schema_name,
            status,
            payload,
            account_id,
            agent_id,
            parent_span_id,
            schema_title,
            result_payload,
            summary,
            started_at,
            inserted_at,
            updated_at,
            finished_at,
        )
        if not _DECLARED_KEYS.issuperset(src_dict):
            agent_span.additional_properties = {
                key: value for key, value in src_dict.items() if key not in _DECLARED
            }
        if bad is not None:
            bad.model = agent_span
            raise bad
        return agent_span

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        if key in self.additional_properties or key not in _DECLARED:
            return self.additional_properties[key]
        return getattr(self, _DECLARED[key])

    def __setitem__(self, key: str, value: Any) -> None:
        if key in _DECLARED:
            setattr(self, _DECLARED[key], value)
        else:
            self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        if key in _DECLARED:
            return getattr(self, _DECLARED[key]) is not None
        return key in self.additional_properties

    # Last in the class: a `type` defined earlier would shadow the builtin in later annotations.
    @property
    def type(self) -> str:
        """The API's `type` field by its wire name, as 0.4.3 named it (also `type_`)."""
        return self.type_


# Wire names of the declared fields, and their attribute names.
_DECLARED: dict[str, str] = {
    "type": "type_",
    "id": "id",
    "agent_instance_id": "agent_instance_id",
    "schema_name": "schema_name",
    "status": "status",
    "payload": "payload",
    "account_id": "account_id",
    "agent_id": "agent_id",
    "parent_span_id": "parent_span_id",
    "schema_title": "schema_title",
    "result_payload": "result_payload",
    "summary": "summary",
    "started_at": "started_at",
    "inserted_at": "inserted_at",
    "updated_at": "updated_at",
    "finished_at": "finished_at",
}
# The wire names as a set: issuperset() looks for an undeclared key in
# about 60% of the time a comparison of dict key views takes.
_DECLARED_KEYS = frozenset(_DECLARED)
