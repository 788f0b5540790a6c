from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.instance_purpose import InstancePurpose, check_instance_purpose
from ..types import UNSET, Unset

T = TypeVar("T", bound="RegisterAgentInstanceRequest")


@_attrs_define
class RegisterAgentInstanceRequest:
    """
    Attributes:
        agent_version (AgentVersion): The agent version this instance runs; created on first sight.
        agent_schema_version (AgentSchemaVersion): The span types of an agent version, as a list and/or as maps keyed by
            span name.
        update_current_version (bool | None):
        agent_id (None | str): Needed with an account-scoped token; a deployment-scoped token implies it.
        environment_id (None | str): Needed with an account-scoped token; a deployment-scoped token implies it.
        id (None | str): An id chosen by the caller instead of the server.
        external_identifier (None | str): The caller's own name for this run.
        purpose (InstancePurpose | None):
        idempotency_key (None | str):
    """

    agent_version: AgentVersion
    agent_schema_version: AgentSchemaVersion
    update_current_version: bool | None = True
    agent_id: None | str = None
    environment_id: None | str = None
    id: None | str = None
    external_identifier: None | str = None
    purpose: InstancePurpose | None = None
    idempotency_key: None | str = None

    def to_dict(self) -> dict[str, Any]:
        agent_version = self.agent_version.to_dict()

        agent_schema_version = self.agent_schema_version.to_dict()

        update_current_version: bool | None | Unset
        if isinstance(self.update_current_version, Unset):
            update_current_version = UNSET
        else:
            update_current_version = self.update_current_version

        _agent_id_sent = UNSET if self.agent_id is None else self.agent_id
        agent_id: None | str | Unset
        if isinstance(_agent_id_sent, Unset):
            agent_id = UNSET
        else:
            agent_id = _agent_id_sent

        _environment_id_sent = (
            UNSET if self.environment_id is None else self.environment_id
        )
        environment_id: None | str | Unset
        if isinstance(_environment_id_sent, Unset):
            environment_id = UNSET
        else:
            environment_id = _environment_id_sent

        _id_sent = UNSET if self.id is None else self.id
        id: None | str | Unset
        if isinstance(_id_sent, Unset):
            id = UNSET
        else:
            id = _id_sent

        _external_identifier_sent = (
            UNSET if self.external_identifier is None else self.external_identifier
        )
        external_identifier: None | str | Unset
        if isinstance(_external_identifier_sent, Unset):
            external_identifier = UNSET
        else:
            external_identifier = _external_identifier_sent

        _purpose_sent = UNSET if self.purpose is None else self.purpose
        purpose: None | str | Unset
        if isinstance(_purpose_sent, Unset):
            purpose = UNSET
        elif isinstance(_purpose_sent, str):
            purpose = _purpose_sent
        else:
            purpose = _purpose_sent

        _idempotency_key_sent = (
            UNSET if self.idempotency_key is None else self.idempotency_key
        )
        idempotency_key: None | str | Unset
        if isinstance(_idempotency_key_sent, Unset):
            idempotency_key = UNSET
        else:
            idempotency_key = _idempotency_key_sent

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "agent_version": agent_version,
                "agent_schema_version": agent_schema_version,
                "update_current_version": update_current_version,
            }
        )
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
        d = dict(src_dict)
        agent_version = AgentVersion.from_dict(d.pop("agent_version"))

        agent_schema_version = AgentSchemaVersion.from_dict(
            d.pop("agent_schema_version")
        )

        update_current_version = (
            UNSET
            if (_given := d.pop("update_current_version", None)) is None
            else _given
        )

        agent_id = UNSET if (_given := d.pop("agent_id", None)) is None else _given

        environment_id = (
            UNSET if (_given := d.pop("environment_id", None)) is None else _given
        )

        id = UNSET if (_given := d.pop("id", None)) is None else _given

        external_identifier = (
            UNSET if (_given := d.pop("external_identifier", None)) is None else _given
        )

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

        purpose = _parse_purpose(
            UNSET if (_given := d.pop("purpose", None)) is None else _given
        )

        idempotency_key = (
            UNSET if (_given := d.pop("idempotency_key", None)) is None else _given
        )

        register_agent_instance_request = cls(
            agent_version=agent_version,
            agent_schema_version=agent_schema_version,
            update_current_version=True
            if isinstance(update_current_version, Unset)
            else update_current_version,
            agent_id=None if isinstance(agent_id, Unset) else agent_id,
            environment_id=None
            if isinstance(environment_id, Unset)
            else environment_id,
            id=None if isinstance(id, Unset) else id,
            external_identifier=None
            if isinstance(external_identifier, Unset)
            else external_identifier,
            purpose=None if isinstance(purpose, Unset) else purpose,
            idempotency_key=None
            if isinstance(idempotency_key, Unset)
            else idempotency_key,
        )

        return register_agent_instance_request


# Imported after the class: a model that refers back to this one finds it defined.
from ..models.agent_schema_version import AgentSchemaVersion  # noqa: E402
from ..models.agent_version import AgentVersion  # noqa: E402
