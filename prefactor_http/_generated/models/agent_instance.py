from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.span_counts import SpanCounts


T = TypeVar("T", bound="AgentInstance")


@_attrs_define
class AgentInstance:
    """A run of an agent. Every field listed is always sent (null where
    allowed); fields the server adds later are kept. `status` and
    `purpose` are read as plain strings so that a value added to the API
    later does not make the answer unreadable: the known values are those
    of AgentStatus and InstancePurpose.

        Attributes:
            type_ (str):
            id (str):
            account_id (str):
            agent_id (str):
            agent_version_id (str):
            environment_id (str):
            agent_deployment_id (None | str): Assumed nullable: an instance registered with an account-scoped token has no
                deployment.
            status (str):
            inserted_at (datetime.datetime):
            updated_at (datetime.datetime):
            started_at (datetime.datetime | None):
            finished_at (datetime.datetime | None):
            termination_reason (None | str):
            external_identifier (None | str):
            span_counts (SpanCounts):
            purpose (None | str): Assumed nullable: instances registered before purposes existed have none.
    """

    type_: str
    id: str
    account_id: str
    agent_id: str
    agent_version_id: str
    environment_id: str
    agent_deployment_id: None | str
    status: str
    inserted_at: datetime.datetime
    updated_at: datetime.datetime
    started_at: datetime.datetime | None
    finished_at: datetime.datetime | None
    termination_reason: None | str
    external_identifier: None | str
    span_counts: SpanCounts
    purpose: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_

        id = self.id

        account_id = self.account_id

        agent_id = self.agent_id

        agent_version_id = self.agent_version_id

        environment_id = self.environment_id

        agent_deployment_id: None | str
        agent_deployment_id = self.agent_deployment_id

        status = self.status

        inserted_at = self.inserted_at.isoformat()

        updated_at = self.updated_at.isoformat()

        started_at: None | str
        if isinstance(self.started_at, datetime.datetime):
            started_at = self.started_at.isoformat()
        else:
            started_at = self.started_at

        finished_at: None | str
        if isinstance(self.finished_at, datetime.datetime):
            finished_at = self.finished_at.isoformat()
        else:
            finished_at = self.finished_at

        termination_reason: None | str
        termination_reason = self.termination_reason

        external_identifier: None | str
        external_identifier = self.external_identifier

        span_counts = self.span_counts.to_dict()

        purpose: None | str
        purpose = self.purpose

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
                "started_at": started_at,
                "finished_at": finished_at,
                "termination_reason": termination_reason,
                "external_identifier": external_identifier,
                "span_counts": span_counts,
                "purpose": purpose,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.span_counts import SpanCounts  # noqa: PLC0415

        d = dict(src_dict)
        type_ = d.pop("type")

        id = d.pop("id")

        account_id = d.pop("account_id")

        agent_id = d.pop("agent_id")

        agent_version_id = d.pop("agent_version_id")

        environment_id = d.pop("environment_id")

        def _parse_agent_deployment_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        agent_deployment_id = _parse_agent_deployment_id(d.pop("agent_deployment_id"))

        status = d.pop("status")

        inserted_at = datetime.datetime.fromisoformat(d.pop("inserted_at"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        def _parse_started_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                started_at_type_0 = datetime.datetime.fromisoformat(data)

                return started_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        started_at = _parse_started_at(d.pop("started_at"))

        def _parse_finished_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                finished_at_type_0 = datetime.datetime.fromisoformat(data)

                return finished_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        finished_at = _parse_finished_at(d.pop("finished_at"))

        def _parse_termination_reason(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        termination_reason = _parse_termination_reason(d.pop("termination_reason"))

        def _parse_external_identifier(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        external_identifier = _parse_external_identifier(d.pop("external_identifier"))

        span_counts = SpanCounts.from_dict(d.pop("span_counts"))

        def _parse_purpose(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        purpose = _parse_purpose(d.pop("purpose"))

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
