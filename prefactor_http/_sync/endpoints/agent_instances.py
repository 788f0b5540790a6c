# Generated from prefactor_http/endpoints/agent_instances.py by scripts/unasync.py.
# Do not edit: change the async source, then run `make generate`.
"""Agent instances: one run of an agent, registered, started and finished.

Each method is its operation in full: it checks its arguments (before
anything is sent), fills the generated request model and hands the `Call`
to the client's retry loop.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeVar

from prefactor_http import _validate
from prefactor_http._generated.api.agent_instances import (
    finish_agent_instance,
    get_agent_instance,
    record_agent_instance_quality,
    register_agent_instance,
    start_agent_instance,
)
from prefactor_http._generated.models.agent_instance_envelope import AgentInstanceEnvelope
from prefactor_http._generated.models.agent_schema_version import AgentSchemaVersion
from prefactor_http._generated.models.agent_version import AgentVersion
from prefactor_http._generated.models.finish_agent_instance_request import (
    FinishAgentInstanceRequest,
)
from prefactor_http._generated.models.record_quality_request import RecordQualityRequest
from prefactor_http._generated.models.register_agent_instance_request import (
    RegisterAgentInstanceRequest,
)
from prefactor_http._generated.models.start_agent_instance_request import (
    StartAgentInstanceRequest,
)
from prefactor_http._generated.types import TypeMismatch
from prefactor_http._operations._core import call_key, generated_call
from prefactor_http.models.agent_instance import AgentInstance
from prefactor_http.models.types import (
    FINISH_STATUS_VALUES,
    INSTANCE_PURPOSE_VALUES,
    FinishStatus,
    InstancePurpose,
)

if TYPE_CHECKING:
    from prefactor_http._sync.client import SyncPrefactorHttpClient

__all__ = ["SyncAgentInstanceClient"]

M = TypeVar("M")


class SyncAgentInstanceClient:
    """Register, start, finish, evaluate and fetch agent instances.

    Timestamps are timezone-aware datetimes or ISO 8601 strings with an
    offset; a naive datetime is refused rather than guessed at. Every method
    also takes `timeout` (seconds for the whole call, retries included) and
    `max_retries`, which override the config for that one call.
    """

    def __init__(self, http_client: SyncPrefactorHttpClient) -> None:
        self._http = http_client

    def register(
        self,
        agent_id: str | None = None,
        agent_version: Mapping[str, Any] | None = None,
        agent_schema_version: Mapping[str, Any] | None = None,
        id: str | None = None,
        idempotency_key: str | None = None,
        update_current_version: bool = True,
        *,
        environment_id: str | None = None,
        purpose: InstancePurpose | None = None,
        external_identifier: str | None = None,
        timeout: float | None = None,
        max_retries: int | None = None,
    ) -> AgentInstance:
        """Register a new instance: `POST /api/v1/agent_instance/register`.

        `agent_version` (name, external_identifier, ...) and
        `agent_schema_version` (external_identifier and span type schemas)
        are required. `agent_id` and `environment_id` are needed with an
        account-scoped token and implied by a deployment-scoped one.
        """
        key = call_key(idempotency_key)
        target, version, schema = _in_current_order(
            agent_id,
            agent_version,
            agent_schema_version,
            defaults=id is None and idempotency_key is None and update_current_version is True,
        )
        body = RegisterAgentInstanceRequest(
            agent_version=_model("agent_version", AgentVersion, version),
            agent_schema_version=_model("agent_schema_version", AgentSchemaVersion, schema),
            update_current_version=_validate.flag("update_current_version", update_current_version),
            agent_id=_validate.optional_text("agent_id", target),
            environment_id=_validate.optional_text("environment_id", environment_id),
            id=_validate.optional_text("id", id),
            external_identifier=_validate.optional_text("external_identifier", external_identifier),
            purpose=_validate.choice("purpose", purpose, INSTANCE_PURPOSE_VALUES, optional=True),
            idempotency_key=key,
        )
        call = generated_call(
            register_agent_instance.build_request,
            AgentInstanceEnvelope,
            _instance,
            key=key,
            body=body,
        )
        return self._http._execute(call, timeout, max_retries)

    def start(
        self,
        agent_instance_id: str,
        timestamp: datetime | str | None = None,
        idempotency_key: str | None = None,
        *,
        timeout: float | None = None,
        max_retries: int | None = None,
    ) -> AgentInstance:
        """Mark an instance started: `POST /api/v1/agent_instance/{id}/start`."""
        key = call_key(idempotency_key)
        instance_id = _validate.identifier("agent_instance_id", agent_instance_id)
        body = StartAgentInstanceRequest(
            timestamp=_validate.timestamp("timestamp", timestamp),
            idempotency_key=key,
        )
        call = generated_call(
            start_agent_instance.build_request,
            AgentInstanceEnvelope,
            _instance,
            instance_id,
            key=key,
            body=body,
        )
        return self._http._execute(call, timeout, max_retries)

    def finish(
        self,
        agent_instance_id: str,
        status: FinishStatus | None = None,
        timestamp: datetime | str | None = None,
        idempotency_key: str | None = None,
        *,
        timeout: float | None = None,
        max_retries: int | None = None,
    ) -> AgentInstance:
        """Mark an instance finished: `POST /api/v1/agent_instance/{id}/finish`.

        Finishing an instance that is already terminal raises PrefactorConflictError (409).
        """
        key = call_key(idempotency_key)
        instance_id = _validate.identifier("agent_instance_id", agent_instance_id)
        body = FinishAgentInstanceRequest(
            status=_validate.choice("status", status, FINISH_STATUS_VALUES, optional=True),
            timestamp=_validate.timestamp("timestamp", timestamp),
            idempotency_key=key,
        )
        call = generated_call(
            finish_agent_instance.build_request,
            AgentInstanceEnvelope,
            _instance,
            instance_id,
            key=key,
            body=body,
        )
        return self._http._execute(call, timeout, max_retries)

    def record_quality(
        self,
        agent_instance_id: str,
        name: str,
        payload: Mapping[str, Any] | None = None,
        idempotency_key: str | None = None,
        *,
        timeout: float | None = None,
        max_retries: int | None = None,
    ) -> AgentInstance:
        """Record an evaluation: `POST /api/v1/agent_instance/{id}/record_quality`.

        `name` is a quality schema of the instance's agent schema version and
        `payload` its JSON object; leaving `payload` out removes what was
        recorded under `name`.
        """
        instance_id = _validate.identifier("agent_instance_id", agent_instance_id)
        key = call_key(idempotency_key)
        body = RecordQualityRequest(
            name=_validate.required_text("name", name),
            payload=_validate.json_object("payload", payload),
            idempotency_key=key,
        )
        call = generated_call(
            record_agent_instance_quality.build_request,
            AgentInstanceEnvelope,
            _instance,
            instance_id,
            key=key,
            body=body,
        )
        return self._http._execute(call, timeout, max_retries)

    def get(
        self,
        agent_instance_id: str,
        *,
        timeout: float | None = None,
        max_retries: int | None = None,
    ) -> AgentInstance:
        """Fetch an instance: `GET /api/v1/agent_instance/{id}`."""
        instance_id = _validate.identifier("agent_instance_id", agent_instance_id)
        call = generated_call(
            get_agent_instance.build_request, AgentInstanceEnvelope, _instance, instance_id
        )
        return self._http._execute(call, timeout, max_retries)


def _instance(envelope: AgentInstanceEnvelope) -> AgentInstance:
    return envelope.details


def _in_current_order(
    agent_id: object, agent_version: object, agent_schema_version: object, *, defaults: bool
) -> tuple[object, object, object]:
    """`register`'s first three arguments as (agent_id, agent_version, agent_schema_version).

    prefactor-http 0.4.3's order was (agent_version, agent_schema_version,
    agent_id, ...): unambiguous for three positional arguments, since
    agent_id is never a dict, so a dict first is read in that order, as long
    as the arguments after it (`defaults`) were left alone.
    """
    if isinstance(agent_id, Mapping):
        if not defaults:
            _validate.refuse(
                "agent_id",
                "is a dict: with agent_version first (the 0.4.3 order), pass every "
                "argument after agent_id by keyword",
            )
        agent_id, agent_version, agent_schema_version = (
            agent_schema_version,
            agent_id,
            agent_version,
        )
    if agent_version is None:
        _validate.refuse("agent_version", "is required")
    if agent_schema_version is None:
        _validate.refuse("agent_schema_version", "is required")
    return agent_id, agent_version, agent_schema_version


def _model(field: str, cls: type[M], value: object) -> M:
    """`value`, a dict, read as the generated model `cls`, which checks it field by field.

    The same `from_dict` reads the server's answers: one set of checks, from the spec.
    """
    data = _validate.json_object(field, value, optional=False)
    mismatch: TypeMismatch | None = None
    try:
        model: M = cls.from_dict(data)  # type: ignore[attr-defined]
    except KeyError as exc:
        _validate.refuse(field, f"needs the key {exc.args[0]!r}")
    except (TypeError, ValueError, AttributeError) as exc:
        _validate.refuse(field, f"is malformed: {exc}")
    except TypeMismatch as exc:
        mismatch = exc  # refused below, outside this handler: nothing to chain
    if mismatch is not None:
        _validate.refuse(f"{field}.{mismatch.path}", mismatch.problem)
    return model
