from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from prefactor_http._model_methods import PydanticMethods

from ..models.instance_purpose import InstancePurpose
from ..types import UNSET, TypeMismatch, Unset

# JsonObject's recursion names JsonValue: typing.get_type_hints looks for it here.
from ..types import JsonValue as JsonValue

T = TypeVar("T", bound="RegisterAgentInstanceRequest")


@_attrs_define
class RegisterAgentInstanceRequest(PydanticMethods):
    """
    Attributes:
        agent_version (AgentVersion): The agent version this instance runs; created on first sight.
        agent_schema_version (AgentSchemaVersion): The span types of an agent version, as a list and/or as maps keyed by
            span name.
        update_current_version (bool | None): Make this version the agent's current one.
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
    # For model_dump(): wire name -> attribute name, unannotated so that attrs leaves it alone.
    _wire_fields = {
        "agent_version": "agent_version",
        "agent_schema_version": "agent_schema_version",
        "update_current_version": "update_current_version",
        "agent_id": "agent_id",
        "environment_id": "environment_id",
        "id": "id",
        "external_identifier": "external_identifier",
        "purpose": "purpose",
        "idempotency_key": "idempotency_key",
    }

    def to_dict(self) -> dict[str, Any]:
        update_current_version: bool | None | Unset
        if isinstance(self.update_current_version, Unset):
            update_current_version = UNSET
        else:
            update_current_version = self.update_current_version
        field_dict: dict[str, Any] = {
            "agent_version": self.agent_version.to_dict(),
            "agent_schema_version": self.agent_schema_version.to_dict(),
            "update_current_version": update_current_version,
        }
        if (agent_id := self.agent_id) is not None and not isinstance(agent_id, Unset):
            field_dict["agent_id"] = agent_id
        if (environment_id := self.environment_id) is not None and not isinstance(
            environment_id, Unset
        ):
            field_dict["environment_id"] = environment_id
        if (id := self.id) is not None and not isinstance(id, Unset):
            field_dict["id"] = id
        if (
            external_identifier := self.external_identifier
        ) is not None and not isinstance(external_identifier, Unset):
            field_dict["external_identifier"] = external_identifier
        if (purpose := self.purpose) is not None and not isinstance(purpose, Unset):
            field_dict["purpose"] = purpose
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
        agent_version: Any = src_dict["agent_version"]
        try:
            agent_version = AgentVersion.from_dict(agent_version)
        except TypeMismatch as error:
            agent_version = error.model
            bad = bad or error.within("agent_version")

        agent_schema_version: Any = src_dict["agent_schema_version"]
        try:
            agent_schema_version = AgentSchemaVersion.from_dict(agent_schema_version)
        except TypeMismatch as error:
            agent_schema_version = error.model
            bad = bad or error.within("agent_schema_version")

        update_current_version: Any = src_dict.get("update_current_version")
        if update_current_version is None:
            update_current_version = True
        elif not isinstance(update_current_version, bool):
            bad = bad or TypeMismatch(
                "update_current_version", "bool or null", update_current_version
            )

        agent_id: Any = src_dict.get("agent_id")
        if agent_id is not None and not isinstance(agent_id, str):
            bad = bad or TypeMismatch("agent_id", "null or str", agent_id)

        environment_id: Any = src_dict.get("environment_id")
        if environment_id is not None and not isinstance(environment_id, str):
            bad = bad or TypeMismatch("environment_id", "null or str", environment_id)

        id: Any = src_dict.get("id")
        if id is not None and not isinstance(id, str):
            bad = bad or TypeMismatch("id", "null or str", id)

        external_identifier: Any = src_dict.get("external_identifier")
        if external_identifier is not None and not isinstance(external_identifier, str):
            bad = bad or TypeMismatch(
                "external_identifier", "null or str", external_identifier
            )

        purpose: Any = src_dict.get("purpose")
        if purpose is not None and not isinstance(purpose, str):
            bad = bad or TypeMismatch("purpose", "null or str", purpose)

        idempotency_key: Any = src_dict.get("idempotency_key")
        if idempotency_key is not None and not isinstance(idempotency_key, str):
            bad = bad or TypeMismatch("idempotency_key", "null or str", idempotency_key)

        register_agent_instance_request = cls(
            agent_version,
            agent_schema_version,
            update_current_version,
            agent_id,
            environment_id,
            id,
            external_identifier,
            purpose,
            idempotency_key,
        )
        if bad is not None:
            bad.model = register_agent_instance_request
            raise bad
        return register_agent_instance_request


# Imported after the class: a model that refers back to this one finds it defined.
from ..models.agent_schema_version import AgentSchemaVersion  # noqa: E402
from ..models.agent_version import AgentVersion  # noqa: E402
