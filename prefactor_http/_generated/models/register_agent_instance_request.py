from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

from ..models.instance_purpose import InstancePurpose, check_instance_purpose
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.agent_schema_version import AgentSchemaVersion
    from ..models.agent_version import AgentVersion


T = TypeVar("T", bound="RegisterAgentInstanceRequest")


@_attrs_define
class RegisterAgentInstanceRequest:
    """
    Attributes:
        agent_version (AgentVersion): The agent version this instance runs; created on first sight.
        agent_schema_version (AgentSchemaVersion): The span types of an agent version, as a list and/or as maps keyed by
            span name.
        update_current_version (bool | Unset):  Default: True.
        agent_id (str | Unset): Needed with an account-scoped token; a deployment-scoped token implies it.
        environment_id (str | Unset): Needed with an account-scoped token; a deployment-scoped token implies it.
        id (str | Unset): An id chosen by the caller instead of the server.
        external_identifier (str | Unset): The caller's own name for this run.
        purpose (InstancePurpose | Unset):
        idempotency_key (str | Unset): Makes a retried call act once: a key the server has seen replays the
            first outcome. Assumed: 1 to 64 characters on single calls.
    """

    agent_version: AgentVersion
    agent_schema_version: AgentSchemaVersion
    update_current_version: bool | Unset = True
    agent_id: str | Unset = UNSET
    environment_id: str | Unset = UNSET
    id: str | Unset = UNSET
    external_identifier: str | Unset = UNSET
    purpose: InstancePurpose | Unset = UNSET
    idempotency_key: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        agent_version = self.agent_version.to_dict()

        agent_schema_version = self.agent_schema_version.to_dict()

        update_current_version = self.update_current_version

        agent_id = self.agent_id

        environment_id = self.environment_id

        id = self.id

        external_identifier = self.external_identifier

        purpose: str | Unset = UNSET
        if not isinstance(self.purpose, Unset):
            purpose = self.purpose

        idempotency_key = self.idempotency_key

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "agent_version": agent_version,
                "agent_schema_version": agent_schema_version,
            }
        )
        if update_current_version is not UNSET:
            field_dict["update_current_version"] = update_current_version
        if agent_id is not UNSET:
            field_dict["agent_id"] = agent_id
        if environment_id is not UNSET:
            field_dict["environment_id"] = environment_id
        if id is not UNSET:
            field_dict["id"] = id
        if external_identifier is not UNSET:
            field_dict["external_identifier"] = external_identifier
        if purpose is not UNSET:
            field_dict["purpose"] = purpose
        if idempotency_key is not UNSET:
            field_dict["idempotency_key"] = idempotency_key

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.agent_schema_version import AgentSchemaVersion  # noqa: PLC0415
        from ..models.agent_version import AgentVersion  # noqa: PLC0415

        d = dict(src_dict)
        agent_version = AgentVersion.from_dict(d.pop("agent_version"))

        agent_schema_version = AgentSchemaVersion.from_dict(
            d.pop("agent_schema_version")
        )

        update_current_version = d.pop("update_current_version", UNSET)

        agent_id = d.pop("agent_id", UNSET)

        environment_id = d.pop("environment_id", UNSET)

        id = d.pop("id", UNSET)

        external_identifier = d.pop("external_identifier", UNSET)

        _purpose = d.pop("purpose", UNSET)
        purpose: InstancePurpose | Unset
        if isinstance(_purpose, Unset):
            purpose = UNSET
        else:
            purpose = check_instance_purpose(_purpose)

        idempotency_key = d.pop("idempotency_key", UNSET)

        register_agent_instance_request = cls(
            agent_version=agent_version,
            agent_schema_version=agent_schema_version,
            update_current_version=update_current_version,
            agent_id=agent_id,
            environment_id=environment_id,
            id=id,
            external_identifier=external_identifier,
            purpose=purpose,
            idempotency_key=idempotency_key,
        )

        return register_agent_instance_request
