from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset, read_datetime

T = TypeVar("T", bound="AgentInstance")


@_attrs_define
class AgentInstance:
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
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_

        id = self.id

        account_id = self.account_id

        agent_id = self.agent_id

        agent_version_id = self.agent_version_id

        environment_id = self.environment_id

        agent_deployment_id = self.agent_deployment_id

        status = self.status

        inserted_at = self.inserted_at.isoformat()

        updated_at = self.updated_at.isoformat()

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

        _termination_reason_sent = (
            UNSET if self.termination_reason is None else self.termination_reason
        )
        termination_reason: None | str | Unset
        if isinstance(_termination_reason_sent, Unset):
            termination_reason = UNSET
        else:
            termination_reason = _termination_reason_sent

        _external_identifier_sent = (
            UNSET if self.external_identifier is None else self.external_identifier
        )
        external_identifier: None | str | Unset
        if isinstance(_external_identifier_sent, Unset):
            external_identifier = UNSET
        else:
            external_identifier = _external_identifier_sent

        _span_counts_sent = UNSET if self.span_counts is None else self.span_counts
        span_counts: dict[str, Any] | None | Unset
        if isinstance(_span_counts_sent, Unset):
            span_counts = UNSET
        elif isinstance(_span_counts_sent, SpanCounts):
            span_counts = _span_counts_sent.to_dict()
        else:
            span_counts = _span_counts_sent

        _purpose_sent = UNSET if self.purpose is None else self.purpose
        purpose: None | str | Unset
        if isinstance(_purpose_sent, Unset):
            purpose = UNSET
        else:
            purpose = _purpose_sent

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "type": type_,
                "id": id,
                "account_id": account_id,
                "agent_id": agent_id,
                "agent_version_id": agent_version_id,
                "environment_id": environment_id,
                "agent_deployment_id": agent_deployment_id,
                "status": status,
                "inserted_at": inserted_at,
                "updated_at": updated_at,
            }
        )
        if started_at is not UNSET:
            field_dict["started_at"] = started_at
        if finished_at is not UNSET:
            field_dict["finished_at"] = finished_at
        if termination_reason is not UNSET:
            field_dict["termination_reason"] = termination_reason
        if external_identifier is not UNSET:
            field_dict["external_identifier"] = external_identifier
        if span_counts is not UNSET:
            field_dict["span_counts"] = span_counts
        if purpose is not UNSET:
            field_dict["purpose"] = purpose

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        type_ = d.pop("type")

        id = d.pop("id")

        account_id = d.pop("account_id")

        agent_id = d.pop("agent_id")

        agent_version_id = d.pop("agent_version_id")

        environment_id = d.pop("environment_id")

        agent_deployment_id = d.pop("agent_deployment_id")

        status = d.pop("status")

        inserted_at = read_datetime(d.pop("inserted_at"))

        updated_at = read_datetime(d.pop("updated_at"))

        def _parse_started_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                started_at_type_0 = read_datetime(data)

                return started_at_type_0
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
                finished_at_type_0 = read_datetime(data)

                return finished_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        finished_at = _parse_finished_at(
            UNSET if (_given := d.pop("finished_at", None)) is None else _given
        )

        termination_reason = (
            UNSET if (_given := d.pop("termination_reason", None)) is None else _given
        )

        external_identifier = (
            UNSET if (_given := d.pop("external_identifier", None)) is None else _given
        )

        def _parse_span_counts(data: object) -> None | SpanCounts | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                span_counts_type_0 = SpanCounts.from_dict(data)

                return span_counts_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | SpanCounts | Unset, data)

        span_counts = _parse_span_counts(
            UNSET if (_given := d.pop("span_counts", None)) is None else _given
        )

        purpose = UNSET if (_given := d.pop("purpose", None)) is None else _given

        agent_instance = cls(
            type_=type_,
            id=id,
            account_id=account_id,
            agent_id=agent_id,
            agent_version_id=agent_version_id,
            environment_id=environment_id,
            agent_deployment_id=agent_deployment_id,
            status=status,
            inserted_at=inserted_at,
            updated_at=updated_at,
            started_at=None if isinstance(started_at, Unset) else started_at,
            finished_at=None if isinstance(finished_at, Unset) else finished_at,
            termination_reason=None
            if isinstance(termination_reason, Unset)
            else termination_reason,
            external_identifier=None
            if isinstance(external_identifier, Unset)
            else external_identifier,
            span_counts=None if isinstance(span_counts, Unset) else span_counts,
            purpose=None if isinstance(purpose, Unset) else purpose,
        )

        agent_instance.additional_properties = d
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
}
# Imported after the class: a model that refers back to this one finds it defined.
from ..models.span_counts import SpanCounts  # noqa: E402
