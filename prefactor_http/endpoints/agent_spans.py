"""Spans: the steps inside an agent instance."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from prefactor_http._operations import agent_spans as operations
from prefactor_http._operations.agent_spans import ControlSignalCallback
from prefactor_http.models.agent_span import AgentSpan
from prefactor_http.models.types import FinishStatus, SpanCreateStatus

if TYPE_CHECKING:
    from prefactor_http.client import PrefactorHttpClient

__all__ = ["AgentSpanClient"]


class AgentSpanClient:
    """Create and finish spans.

    When an answer carries a control signal asking the agent to stop,
    `control_signal_callback(reason)` is called once the call has succeeded.
    `timeout` (seconds for the whole call, retries included) and `max_retries`
    override the config for one call.
    """

    def __init__(self, http_client: PrefactorHttpClient) -> None:
        self._http = http_client

    async def create(
        self,
        agent_instance_id: str,
        schema_name: str,
        status: SpanCreateStatus,
        payload: dict[str, Any] | None = None,
        result_payload: dict[str, Any] | None = None,
        id: str | None = None,
        parent_span_id: str | None = None,
        started_at: datetime | str | None = None,
        finished_at: datetime | str | None = None,
        idempotency_key: str | None = None,
        control_signal_callback: ControlSignalCallback | None = None,
        *,
        timeout: float | None = None,
        max_retries: int | None = None,
    ) -> AgentSpan:
        """Create a span: `POST /api/v1/agent_spans` (fields sent inside `details`)."""
        envelope = await self._http._execute(
            operations.create(
                agent_instance_id=agent_instance_id,
                schema_name=schema_name,
                status=status,
                payload=payload,
                result_payload=result_payload,
                id=id,
                parent_span_id=parent_span_id,
                started_at=started_at,
                finished_at=finished_at,
                idempotency_key=idempotency_key,
            ),
            timeout,
            max_retries,
        )
        return operations.deliver(envelope, control_signal_callback)

    async def finish(
        self,
        agent_span_id: str,
        status: FinishStatus | None = None,
        result_payload: dict[str, Any] | None = None,
        timestamp: datetime | str | None = None,
        idempotency_key: str | None = None,
        control_signal_callback: ControlSignalCallback | None = None,
        *,
        timeout: float | None = None,
        max_retries: int | None = None,
    ) -> AgentSpan:
        """Finish a span: `POST /api/v1/agent_spans/{id}/finish`."""
        envelope = await self._http._execute(
            operations.finish(
                agent_span_id=agent_span_id,
                status=status,
                result_payload=result_payload,
                timestamp=timestamp,
                idempotency_key=idempotency_key,
            ),
            timeout,
            max_retries,
        )
        return operations.deliver(envelope, control_signal_callback)
