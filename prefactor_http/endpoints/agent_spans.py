"""Spans: the steps inside an agent instance.

Each method is its operation in full: it checks its arguments (before
anything is sent), fills the generated request model and hands the `Call`
to the client's retry loop.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from prefactor_http import _validate
from prefactor_http._generated.api.agent_spans import create_agent_span, finish_agent_span
from prefactor_http._generated.models.agent_span_details import AgentSpanDetails
from prefactor_http._generated.models.agent_span_envelope import AgentSpanEnvelope
from prefactor_http._generated.models.create_agent_span_request import CreateAgentSpanRequest
from prefactor_http._generated.models.finish_agent_span_request import FinishAgentSpanRequest
from prefactor_http._operations._core import call_key, generated_call
from prefactor_http.models.agent_span import AgentSpan, ControlSignal
from prefactor_http.models.types import (
    FINISH_STATUS_VALUES,
    SPAN_CREATE_STATUS_VALUES,
    FinishStatus,
    SpanCreateStatus,
)

if TYPE_CHECKING:
    from prefactor_http.client import PrefactorHttpClient

__all__ = ["AgentSpanClient"]

ControlSignalCallback = Callable[[str | None], object]


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
        key = call_key(idempotency_key)
        details = AgentSpanDetails(
            agent_instance_id=_validate.identifier("agent_instance_id", agent_instance_id),
            schema_name=_validate.required_text("schema_name", schema_name),
            status=_validate.choice("status", status, SPAN_CREATE_STATUS_VALUES),  # type: ignore[arg-type]
            payload=_validate.json_object("payload", payload) or {},
            result_payload=_validate.json_object("result_payload", result_payload),
            id=_validate.optional_text("id", id),
            parent_span_id=_validate.optional_text("parent_span_id", parent_span_id),
            started_at=_validate.timestamp("started_at", started_at),
            finished_at=_validate.timestamp("finished_at", finished_at),
            idempotency_key=key,
        )
        call = generated_call(
            create_agent_span.build_request,
            AgentSpanEnvelope,
            _envelope,
            key=key,
            body=CreateAgentSpanRequest(details=details),
        )
        envelope = await self._http._execute(call, timeout, max_retries)
        return _deliver(envelope, control_signal_callback)

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
        key = call_key(idempotency_key)
        span_id = _validate.identifier("agent_span_id", agent_span_id)
        body = FinishAgentSpanRequest(
            status=_validate.choice("status", status, FINISH_STATUS_VALUES, optional=True),
            result_payload=_validate.json_object("result_payload", result_payload),
            timestamp=_validate.timestamp("timestamp", timestamp),
            idempotency_key=key,
        )
        call = generated_call(
            finish_agent_span.build_request,
            AgentSpanEnvelope,
            _envelope,
            span_id,
            key=key,
            body=body,
        )
        envelope = await self._http._execute(call, timeout, max_retries)
        return _deliver(envelope, control_signal_callback)


def _envelope(envelope: AgentSpanEnvelope) -> AgentSpanEnvelope:
    return envelope


def _deliver(envelope: AgentSpanEnvelope, callback: ControlSignalCallback | None) -> AgentSpan:
    """Return the span, first telling the callback if the platform asked the agent to stop.

    Runs after the retry loop, so an exception from the callback never causes a resend.
    """
    control = envelope.control
    if callback is not None and isinstance(control, ControlSignal) and control.terminate is True:
        reason = control.reason if isinstance(control.reason, str) else None
        callback(reason)
    return envelope.details
