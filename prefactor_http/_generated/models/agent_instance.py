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

T = TypeVar("T", bound="AgentInstance")
# UNSET typed as object, so that a field of any type may be compared with it.
_UNSET: object = UNSET


@_attrs_define
class AgentInstance(PydanticMethods):
    """A run of an agent. Only the fields listed as required are always
    sent; every other field may be null or left out, and reads as None.
    Fields the server adds later are kept. `status` and `purpose` are
    read as plain strings so that a value added to the API later does
    not make the answer unreadable: the known values are those of
    AgentStatus and InstancePurpose.

        Attributes:
            type_ (str):
            id (str):
            account_id (str):
            agent_id (str):
            agent_version_id (str):
            environment_id (str):
            agent_deployment_id (str):
            status (str):
            inserted_at (datetime.datetime):
            updated_at (datetime.datetime):
            started_at (datetime.datetime | None):
            finished_at (datetime.datetime | None):
            termination_reason (None | str):
            external_identifier (None | str):
            span_counts (None | SpanCounts):
            purpose (None | str): Assumed nullable: instances registered before purposes existed have none.
            quality_payloads (JsonObject | None): A JSON object of the caller's own shape (a span payload, a JSON Schema).
            quality_summaries (JsonObject | None): A JSON object of the caller's own shape (a span payload, a JSON Schema).
    """

    type_: str
    id: str
    account_id: str
    agent_id: str
    agent_version_id: str
    environment_id: str
    agent_deployment_id: str
    status: str
    inserted_at: datetime.datetime
    updated_at: datetime.datetime
    started_at: datetime.datetime | None = None
    finished_at: datetime.datetime | None = None
    termination_reason: None | str = None
    external_identifier: None | str = None
    span_counts: None | SpanCounts = None
    purpose: None | str = None
    quality_payloads: JsonObject | None = None
    quality_summaries: JsonObject | None = None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)
    # For model_dump(): wire name -> attribute name, unannotated so that attrs leaves it alone.
    _wire_fields = {
        "type": "type_",
        "id": "id",
        "account_id": "account_id",
        "agent_id": "agent_id",
        "agent_version_id": "agent_version_id",
        "environment_id": "environment_id",
        "agent_deployment_id": "agent_deployment_id",
        "status": "status",
        "inserted_at": "inserted_at",
        "updated_at": "updated_at",
        "started_at": "started_at",
        "finished_at": "finished_at",
        "termination_reason": "termination_reason",
        "external_identifier": "external_identifier",
        "span_counts": "span_counts",
        "purpose": "purpose",
        "quality_payloads": "quality_payloads",
        "quality_summaries": "quality_summaries",
    }

    def to_dict(self) -> dict[str, Any]:
        field_dict: dict[str, Any] = dict(self.additional_properties)
        field_dict.update(
            {
                "type": self.type_,
                "id": self.id,
                "account_id": self.account_id,
                "agent_id": self.agent_id,
                "agent_version_id": self.agent_version_id,
                "environment_id": self.environment_id,
                "agent_deployment_id": self.agent_deployment_id,
                "status": self.status,
                "inserted_at": self.inserted_at.isoformat(),
                "updated_at": self.updated_at.isoformat(),
            }
        )
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
        if (
            termination_reason := self.termination_reason
        ) is not None and not isinstance(termination_reason, Unset):
            field_dict["termination_reason"] = termination_reason
        if (
            external_identifier := self.external_identifier
        ) is not None and not isinstance(external_identifier, Unset):
            field_dict["external_identifier"] = external_identifier
        if (span_counts := self.span_counts) is not None and not isinstance(
            span_counts, Unset
        ):
            field_dict["span_counts"] = (
                span_counts.to_dict()
                if isinstance(span_counts, SpanCounts)
                else span_counts
            )
        if (purpose := self.purpose) is not None and not isinstance(purpose, Unset):
            field_dict["purpose"] = purpose
        if (
            quality_payloads := self.quality_payloads
        ) is not None and quality_payloads is not _UNSET:
            field_dict["quality_payloads"] = quality_payloads
        if (
            quality_summaries := self.quality_summaries
        ) is not None and quality_summaries is not _UNSET:
            field_dict["quality_summaries"] = quality_summaries

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

        account_id: Any = src_dict["account_id"]
        if not isinstance(account_id, str):
            bad = bad or TypeMismatch("account_id", "str", account_id)

        agent_id: Any = src_dict["agent_id"]
        if not isinstance(agent_id, str):
            bad = bad or TypeMismatch("agent_id", "str", agent_id)

        agent_version_id: Any = src_dict["agent_version_id"]
        if not isinstance(agent_version_id, str):
            bad = bad or TypeMismatch("agent_version_id", "str", agent_version_id)

        environment_id: Any = src_dict["environment_id"]
        if not isinstance(environment_id, str):
            bad = bad or TypeMismatch("environment_id", "str", environment_id)

        agent_deployment_id: Any = src_dict["agent_deployment_id"]
        if not isinstance(agent_deployment_id, str):
            bad = bad or TypeMismatch("agent_deployment_id", "str", agent_deployment_id)

        status: Any = src_dict["status"]
        if not isinstance(status, str):
            bad = bad or TypeMismatch("status", "str", status)

        inserted_at: Any = src_dict["inserted_at"]
        inserted_at = read_datetime(inserted_at)

        updated_at: Any = src_dict["updated_at"]
        updated_at = read_datetime(updated_at)

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

        termination_reason: Any = src_dict.get("termination_reason")
        if termination_reason is not None and not isinstance(termination_reason, str):
            bad = bad or TypeMismatch(
                "termination_reason", "null or str", termination_reason
            )

        external_identifier: Any = src_dict.get("external_identifier")
        if external_identifier is not None and not isinstance(external_identifier, str):
            bad = bad or TypeMismatch(
                "external_identifier", "null or str", external_identifier
            )

        span_counts: Any = src_dict.get("span_counts")
        if span_counts is not None:
            if isinstance(span_counts, dict):
                try:
                    span_counts = SpanCounts.from_dict(span_counts)
                except TypeMismatch as error:
                    span_counts = error.model
                    bad = bad or error.within("span_counts")
                except (TypeError, ValueError, AttributeError, KeyError):
                    bad = bad or TypeMismatch(
                        "span_counts", "SpanCounts or null", span_counts
                    )
            elif not isinstance(span_counts, SpanCounts):
                bad = bad or TypeMismatch(
                    "span_counts", "SpanCounts or null", span_counts
                )

        purpose: Any = src_dict.get("purpose")
        if purpose is not None and not isinstance(purpose, str):
            bad = bad or TypeMismatch("purpose", "null or str", purpose)

        quality_payloads: Any = src_dict.get("quality_payloads")
        if quality_payloads is not None and not isinstance(quality_payloads, dict):
            bad = bad or TypeMismatch(
                "quality_payloads", "a JSON object or null", quality_payloads
            )

        quality_summaries: Any = src_dict.get("quality_summaries")
        if quality_summaries is not None and not isinstance(quality_summaries, dict):
            bad = bad or TypeMismatch(
                "quality_summaries", "a JSON object or null", quality_summaries
            )

        agent_instance = cls(
            type_,
            id,
            account_id,
            agent_id,
            agent_version_id,
            environment_id,
            agent_deployment_id,
            status,
            inserted_at,
            updated_at,
            started_at,
            finished_at,
            termination_reason,
            external_identifier,
            span_counts,
            purpose,
            quality_payloads,
            quality_summaries,
        )
        if not _DECLARED_KEYS.issuperset(src_dict):
            agent_instance.additional_properties = {
                key: value for key, value in src_dict.items() if key not in _DECLARED
            }
        if bad is not None:
            bad.model = agent_instance
            raise bad
        return agent_instance

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
    "account_id": "account_id",
    "agent_id": "agent_id",
    "agent_version_id": "agent_version_id",
    "environment_id": "environment_id",
    "agent_deployment_id": "agent_deployment_id",
    "status": "status",
    "inserted_at": "inserted_at",
    "updated_at": "updated_at",
    "started_at": "started_at",
    "finished_at": "finished_at",
    "termination_reason": "termination_reason",
    "external_identifier": "external_identifier",
    "span_counts": "span_counts",
    "purpose": "purpose",
    "quality_payloads": "quality_payloads",
    "quality_summaries": "quality_summaries",
}
# The wire names as a set: issuperset() looks for an undeclared key in
# about 60% of the time a comparison of dict key views takes.
_DECLARED_KEYS = frozenset(_DECLARED)
# Imported after the class: a model that refers back to this one finds it defined.
from ..models.span_counts import SpanCounts  # noqa: E402
