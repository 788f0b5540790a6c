"""The request bodies prefactor-http 0.4.3 exported, for code that builds a body by hand.

0.4.3's methods built these themselves; code reached for them to send a
call through `request()` or to see what a method sends. Like the other
0.4.3 shapes (`prefactor_http.models.compat`), each is a read-only `Mapping`
of its JSON form (fields left at None are left out) with `model_dump()`, so
`client.request("POST", path, json_data=FinishSpanRequest(status="failed"))`
sends what 0.4.3 sent for the same call. Our own methods, which take the
fields as arguments, remain the way to call the API.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from prefactor_http.models.compat import (
    AgentSchemaVersionForRegister,
    AgentVersionForRegister,
    _Shape,
)
from prefactor_http.models.types import AgentStatus, FinishStatus, InstancePurpose

__all__ = [
    "CreateAgentSpanRequest",
    "FinishSpanRequest",
    "RegisterAgentInstanceRequest",
    "TimestampRequest",
]


@attrs.define(kw_only=True, eq=True)
class RegisterAgentInstanceRequest(_Shape):
    """The body of `POST /api/v1/agent_instance/register`.

    Attributes:
        agent_version: The agent version the instance runs (`name`, `external_identifier`, ...).
        agent_schema_version: The schema version its spans follow.
        agent_id: The agent, when the token does not name one.
        environment_id: The environment, when the token does not name one.
        id: The instance's id, chosen by the caller.
        external_identifier: The caller's own id for the instance.
        idempotency_key: Makes a resent register act once.
        update_current_version: Make this version the agent's current one.
        purpose: What the run is for.
    """

    agent_version: AgentVersionForRegister | Mapping[str, Any]
    agent_schema_version: AgentSchemaVersionForRegister | Mapping[str, Any]
    agent_id: str | None = None
    environment_id: str | None = None
    id: str | None = None
    external_identifier: str | None = None
    idempotency_key: str | None = None
    update_current_version: bool | None = None
    purpose: InstancePurpose | None = None


@attrs.define(kw_only=True, eq=True)
class TimestampRequest(_Shape):
    """The body of an instance start: when it started (ISO 8601 with an offset) and a key.

    Attributes:
        timestamp: When it started, ISO 8601 with an offset.
        idempotency_key: Makes a resent start act once.
    """

    timestamp: str | None = None
    idempotency_key: str | None = None


@attrs.define(kw_only=True, eq=True)
class CreateAgentSpanRequest(_Shape):
    """The body of `POST /api/v1/agent_spans`; `payload` is always sent (`{}` when not given).

    Attributes:
        agent_instance_id: The instance the span belongs to.
        schema_name: The span type, such as `agent:llm`.
        status: The span's status.
        payload: The span's data.
        result_payload: Its result's data.
        id: The span's id, chosen by the caller.
        parent_span_id: The span it nests in.
        started_at: When it started, ISO 8601 with an offset.
        finished_at: When it finished, ISO 8601 with an offset.
        idempotency_key: Makes a resent create act once.
    """

    agent_instance_id: str
    schema_name: str
    status: AgentStatus
    payload: Mapping[str, Any] = attrs.field(factory=dict)
    result_payload: Mapping[str, Any] | None = None
    id: str | None = None
    parent_span_id: str | None = None
    started_at: str | None = None
    finished_at: str | None = None
    idempotency_key: str | None = None


@attrs.define(kw_only=True, eq=True)
class FinishSpanRequest(_Shape):
    """The body of a span finish.

    Attributes:
        status: How the span ended.
        result_payload: Its result's data.
        timestamp: When it finished, ISO 8601 with an offset.
        idempotency_key: Makes a resent finish act once.
    """

    status: FinishStatus | None = None
    result_payload: Mapping[str, Any] | None = None
    timestamp: str | None = None
    idempotency_key: str | None = None
