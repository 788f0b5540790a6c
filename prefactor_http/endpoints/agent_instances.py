"""Agent instances: one run of an agent, registered, started and finished."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

from prefactor_http._operations import agent_instances as operations
from prefactor_http.models.agent_instance import AgentInstance
from prefactor_http.models.types import FinishStatus, InstancePurpose

if TYPE_CHECKING:
    from prefactor_http.client import PrefactorHttpClient

__all__ = ["AgentInstanceClient"]


class AgentInstanceClient:
    """Register, start, finish, evaluate and fetch agent instances.

    Timestamps are timezone-aware datetimes or ISO 8601 strings with an
    offset; a naive datetime is refused rather than guessed at. Every method
    also takes `timeout` (seconds for the whole call, retries included) and
    `max_retries`, which override the config for that one call.
    """

    def __init__(self, http_client: PrefactorHttpClient) -> None:
        self._http = http_client

    async def register(
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
        return await self._http._execute(
            operations.register(
                agent_id=agent_id,
                agent_version=agent_version,
                agent_schema_version=agent_schema_version,
                id=id,
                idempotency_key=idempotency_key,
                update_current_version=update_current_version,
                environment_id=environment_id,
                purpose=purpose,
                external_identifier=external_identifier,
            ),
            timeout,
            max_retries,
        )

    async def start(
        self,
        agent_instance_id: str,
        timestamp: datetime | str | None = None,
        idempotency_key: str | None = None,
        *,
        timeout: float | None = None,
        max_retries: int | None = None,
    ) -> AgentInstance:
        """Mark an instance started: `POST /api/v1/agent_instance/{id}/start`."""
        return await self._http._execute(
            operations.start(
                agent_instance_id=agent_instance_id,
                timestamp=timestamp,
                idempotency_key=idempotency_key,
            ),
            timeout,
            max_retries,
        )

    async def finish(
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
        return await self._http._execute(
            operations.finish(
                agent_instance_id=agent_instance_id,
                status=status,
                timestamp=timestamp,
                idempotency_key=idempotency_key,
            ),
            timeout,
            max_retries,
        )

    async def record_quality(
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
        return await self._http._execute(
            operations.record_quality(
                agent_instance_id=agent_instance_id,
                name=name,
                payload=payload,
                idempotency_key=idempotency_key,
            ),
            timeout,
            max_retries,
        )

    async def get(
        self,
        agent_instance_id: str,
        *,
        timeout: float | None = None,
        max_retries: int | None = None,
    ) -> AgentInstance:
        """Fetch an instance: `GET /api/v1/agent_instance/{id}`."""
        return await self._http._execute(
            operations.get(agent_instance_id=agent_instance_id), timeout, max_retries
        )
