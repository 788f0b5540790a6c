"""What the agent instance calls send (`endpoints/agent_instances.py`) and how answers are read."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeVar

from prefactor_http import _validate
from prefactor_http._conform import first_mismatch
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
from prefactor_http._operations._core import Call, call_key, generated_call
from prefactor_http.models.agent_instance import AgentInstance
from prefactor_http.models.types import FINISH_STATUS_VALUES, INSTANCE_PURPOSE_VALUES

M = TypeVar("M")


def _instance(envelope: AgentInstanceEnvelope) -> AgentInstance:
    return envelope.details


def _model(field: str, cls: type[M], value: object) -> M:
    data = _validate.json_object(field, value, optional=False)
    try:
        model: M = cls.from_dict(data)  # type: ignore[attr-defined]
    except KeyError as exc:
        _validate.refuse(field, f"needs the key {exc.args[0]!r}")
    except (TypeError, ValueError, AttributeError) as exc:
        _validate.refuse(field, f"is malformed: {exc}")
    mismatch = first_mismatch(model)
    if mismatch:
        _validate.refuse(f"{field}.{mismatch[0]}", mismatch[1])
    return model


def register(
    *,
    agent_id: object,
    agent_version: object,
    agent_schema_version: object,
    id: object,
    idempotency_key: object,
    update_current_version: object,
    environment_id: object,
    purpose: object,
    external_identifier: object,
) -> Call[AgentInstance]:
    key = call_key(idempotency_key)
    if isinstance(agent_id, Mapping):
        # prefactor-http 0.4.3's order, (agent_version, agent_schema_version, agent_id, ...):
        # unambiguous for three positional arguments, since agent_id is never a dict.
        if id is not None or idempotency_key is not None or update_current_version is not True:
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
    body = RegisterAgentInstanceRequest(
        agent_version=_model("agent_version", AgentVersion, agent_version),
        agent_schema_version=_model(
            "agent_schema_version", AgentSchemaVersion, agent_schema_version
        ),
        update_current_version=_validate.flag("update_current_version", update_current_version),
        agent_id=_validate.optional_text("agent_id", agent_id),
        environment_id=_validate.optional_text("environment_id", environment_id),
        id=_validate.optional_text("id", id),
        external_identifier=_validate.optional_text("external_identifier", external_identifier),
        purpose=_validate.choice("purpose", purpose, INSTANCE_PURPOSE_VALUES, optional=True),
        idempotency_key=key,
    )
    return generated_call(
        register_agent_instance.build_request, AgentInstanceEnvelope, _instance, key=key, body=body
    )


def start(
    *, agent_instance_id: object, timestamp: object, idempotency_key: object
) -> Call[AgentInstance]:
    key = call_key(idempotency_key)
    instance_id = _validate.identifier("agent_instance_id", agent_instance_id)
    body = StartAgentInstanceRequest(
        timestamp=_validate.timestamp("timestamp", timestamp),
        idempotency_key=key,
    )
    return generated_call(
        start_agent_instance.build_request,
        AgentInstanceEnvelope,
        _instance,
        instance_id,
        key=key,
        body=body,
    )


def finish(
    *, agent_instance_id: object, status: object, timestamp: object, idempotency_key: object
) -> Call[AgentInstance]:
    key = call_key(idempotency_key)
    instance_id = _validate.identifier("agent_instance_id", agent_instance_id)
    body = FinishAgentInstanceRequest(
        status=_validate.choice("status", status, FINISH_STATUS_VALUES, optional=True),
        timestamp=_validate.timestamp("timestamp", timestamp),
        idempotency_key=key,
    )
    return generated_call(
        finish_agent_instance.build_request,
        AgentInstanceEnvelope,
        _instance,
        instance_id,
        key=key,
        body=body,
    )


def record_quality(
    *, agent_instance_id: object, name: object, payload: object, idempotency_key: object
) -> Call[AgentInstance]:
    instance_id = _validate.identifier("agent_instance_id", agent_instance_id)
    key = call_key(idempotency_key)
    body = RecordQualityRequest(
        name=_validate.required_text("name", name),
        payload=_validate.json_object("payload", payload),
        idempotency_key=key,
    )
    return generated_call(
        record_agent_instance_quality.build_request,
        AgentInstanceEnvelope,
        _instance,
        instance_id,
        key=key,
        body=body,
    )


def get(*, agent_instance_id: object) -> Call[AgentInstance]:
    instance_id = _validate.identifier("agent_instance_id", agent_instance_id)
    return generated_call(
        get_agent_instance.build_request, AgentInstanceEnvelope, _instance, instance_id
    )
