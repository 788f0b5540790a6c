from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.agent_status import AgentStatus, check_agent_status
from ..models.instance_purpose import InstancePurpose, check_instance_purpose
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.span_counts import SpanCounts


T = TypeVar("T", bound="AgentInstance")


@_attrs_define
class AgentInstance:
    """A run of an agent. Fields the server adds later are kept.

    Attributes:
        type_ (str):
        id (str):
        status (AgentStatus):
        account_id (None | str | Unset):
        agent_id (None | str | Unset):
        agent_version_id (None | str | Unset):
        environment_id (None | str | Unset):
        agent_deployment_id (None | str | Unset):
        inserted_at (datetime.datetime | None | Unset):
        updated_at (datetime.datetime | None | Unset):
        started_at (datetime.datetime | None | Unset):
        finished_at (datetime.datetime | None | Unset):
        termination_reason (None | str | Unset):
        external_identifier (None | str | Unset):
        span_counts (SpanCounts | Unset):
        purpose (InstancePurpose | None | Unset):
    """

    type_: str
    id: str
    status: AgentStatus
    account_id: None | str | Unset = UNSET
    agent_id: None | str | Unset = UNSET
    agent_version_id: None | str | Unset = UNSET
    environment_id: None | str | Unset = UNSET
    agent_deployment_id: None | str | Unset = UNSET
    inserted_at: datetime.datetime | None | Unset = UNSET
    updated_at: datetime.datetime | None | Unset = UNSET
    started_at: datetime.datetime | None | Unset = UNSET
    finished_at: datetime.datetime | None | Unset = UNSET
    termination_reason: None | str | Unset = UNSET
    external_identifier: None | str | Unset = UNSET
    span_counts: SpanCounts | Unset = UNSET
    purpose: InstancePurpose | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_

        id = self.id

        status: str = self.status

        account_id: None | str | Unset
        if isinstance(self.account_id, Unset):
            account_id = UNSET
        else:
            account_id = self.account_id

        agent_id: None | str | Unset
        if isinstance(self.agent_id, Unset):
            agent_id = UNSET
        else:
            agent_id = self.agent_id

        agent_version_id: None | str | Unset
        if isinstance(self.agent_version_id, Unset):
            agent_version_id = UNSET
        else:
            agent_version_id = self.agent_version_id

        environment_id: None | str | Unset
        if isinstance(self.environment_id, Unset):
            environment_id = UNSET
        else:
            environment_id = self.environment_id

        agent_deployment_id: None | str | Unset
        if isinstance(self.agent_deployment_id, Unset):
            agent_deployment_id = UNSET
        else:
            agent_deployment_id = self.agent_deployment_id

        inserted_at: None | str | Unset
        if isinstance(self.inserted_at, Unset):
            inserted_at = UNSET
        elif isinstance(self.inserted_at, datetime.datetime):
            inserted_at = self.inserted_at.isoformat()
        else:
            inserted_at = self.inserted_at

        updated_at: None | str | Unset
        if isinstance(self.updated_at, Unset):
            updated_at = UNSET
        elif isinstance(self.updated_at, datetime.datetime):
            updated_at = self.updated_at.isoformat()
        else:
            updated_at = self.updated_at

        started_at: None | str | Unset
        if isinstance(self.started_at, Unset):
            started_at = UNSET
        elif isinstance(self.started_at, datetime.datetime):
            started_at = self.started_at.isoformat()
        else:
            started_at = self.started_at

        finished_at: None | str | Unset
        if isinstance(self.finished_at, Unset):
            finished_at = UNSET
        elif isinstance(self.finished_at, datetime.datetime):
            finished_at = self.finished_at.isoformat()
        else:
            finished_at = self.finished_at

        termination_reason: None | str | Unset
        if isinstance(self.termination_reason, Unset):
            termination_reason = UNSET
        else:
            termination_reason = self.termination_reason

        external_identifier: None | str | Unset
        if isinstance(self.external_identifier, Unset):
            external_identifier = UNSET
        else:
            external_identifier = self.external_identifier

        span_counts: dict[str, Any] | Unset = UNSET
        if not isinstance(self.span_counts, Unset):
            span_counts = self.span_counts.to_dict()

        purpose: None | str | Unset
        if isinstance(self.purpose, Unset):
            purpose = UNSET
        elif isinstance(self.purpose, str):
            purpose = self.purpose
        else:
            purpose = self.purpose

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "type": type_,
                "id": id,
                "status": status,
            }
        )
        if account_id is not UNSET:
            field_dict["account_id"] = account_id
        if agent_id is not UNSET:
            field_dict["agent_id"] = agent_id
        if agent_version_id is not UNSET:
            field_dict["agent_version_id"] = agent_version_id
        if environment_id is not UNSET:
            field_dict["environment_id"] = environment_id
        if agent_deployment_id is not UNSET:
            field_dict["agent_deployment_id"] = agent_deployment_id
        if inserted_at is not UNSET:
            field_dict["inserted_at"] = inserted_at
        if updated_at is not UNSET:
            field_dict["updated_at"] = updated_at
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
        from ..models.span_counts import SpanCounts  # noqa: PLC0415

        d = dict(src_dict)
        type_ = d.pop("type")

        id = d.pop("id")

        status = check_agent_status(d.pop("status"))

        def _parse_account_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        account_id = _parse_account_id(d.pop("account_id", UNSET))

        def _parse_agent_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        agent_id = _parse_agent_id(d.pop("agent_id", UNSET))

        def _parse_agent_version_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        agent_version_id = _parse_agent_version_id(d.pop("agent_version_id", UNSET))

        def _parse_environment_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        environment_id = _parse_environment_id(d.pop("environment_id", UNSET))

        def _parse_agent_deployment_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        agent_deployment_id = _parse_agent_deployment_id(
            d.pop("agent_deployment_id", UNSET)
        )

        def _parse_inserted_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                inserted_at_type_0 = datetime.datetime.fromisoformat(data)

                return inserted_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        inserted_at = _parse_inserted_at(d.pop("inserted_at", UNSET))

        def _parse_updated_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                updated_at_type_0 = datetime.datetime.fromisoformat(data)

                return updated_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        updated_at = _parse_updated_at(d.pop("updated_at", UNSET))

        def _parse_started_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                started_at_type_0 = datetime.datetime.fromisoformat(data)

                return started_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        started_at = _parse_started_at(d.pop("started_at", UNSET))

        def _parse_finished_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                finished_at_type_0 = datetime.datetime.fromisoformat(data)

                return finished_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        finished_at = _parse_finished_at(d.pop("finished_at", UNSET))

        def _parse_termination_reason(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        termination_reason = _parse_termination_reason(
            d.pop("termination_reason", UNSET)
        )

        def _parse_external_identifier(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        external_identifier = _parse_external_identifier(
            d.pop("external_identifier", UNSET)
        )

        _span_counts = d.pop("span_counts", UNSET)
        span_counts: SpanCounts | Unset
        if isinstance(_span_counts, Unset):
            span_counts = UNSET
        else:
            span_counts = SpanCounts.from_dict(_span_counts)

        def _parse_purpose(data: object) -> InstancePurpose | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                purpose_type_0 = check_instance_purpose(data)

                return purpose_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(InstancePurpose | None | Unset, data)

        purpose = _parse_purpose(d.pop("purpose", UNSET))

        agent_instance = cls(
            type_=type_,
            id=id,
            status=status,
            account_id=account_id,
            agent_id=agent_id,
            agent_version_id=agent_version_id,
            environment_id=environment_id,
            agent_deployment_id=agent_deployment_id,
            inserted_at=inserted_at,
            updated_at=updated_at,
            started_at=started_at,
            finished_at=finished_at,
            termination_reason=termination_reason,
            external_identifier=external_identifier,
            span_counts=span_counts,
            purpose=purpose,
        )

        agent_instance.additional_properties = d
        return agent_instance

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
