"""What the span calls send (`endpoints/agent_spans.py`) and how answers are read."""

from __future__ import annotations

from collections.abc import Callable

from prefactor_http import _validate
from prefactor_http._generated.api.agent_spans import create_agent_span, finish_agent_span
from prefactor_http._generated.models.agent_span_details import AgentSpanDetails
from prefactor_http._generated.models.agent_span_envelope import AgentSpanEnvelope
from prefactor_http._generated.models.create_agent_span_request import CreateAgentSpanRequest
from prefactor_http._generated.models.finish_agent_span_request import FinishAgentSpanRequest
from prefactor_http._operations._core import Call, call_key, generated_call
from prefactor_http.models.agent_span import AgentSpan, ControlSignal
from prefactor_http.models.types import FINISH_STATUS_VALUES, SPAN_CREATE_STATUS_VALUES

ControlSignalCallback = Callable[[str | None], object]


def _envelope(envelope: AgentSpanEnvelope) -> AgentSpanEnvelope:
    return envelope


def create(
    *,
    agent_instance_id: object,
    schema_name: object,
    status: object,
    payload: object,
    result_payload: object,
    id: object,
    parent_span_id: object,
    started_at: object,
    finished_at: object,
    idempotency_key: object,
) -> Call[AgentSpanEnvelope]:
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
    body = CreateAgentSpanRequest(details=details)
    return generated_call(
        create_agent_span.build_request, AgentSpanEnvelope, _envelope, key=key, body=body
    )


def finish(
    *,
    agent_span_id: object,
    status: object,
    result_payload: object,
    timestamp: object,
    idempotency_key: object,
) -> Call[AgentSpanEnvelope]:
    key = call_key(idempotency_key)
    span_id = _validate.identifier("agent_span_id", agent_span_id)
    body = FinishAgentSpanRequest(
        status=_validate.choice("status", status, FINISH_STATUS_VALUES, optional=True),
        result_payload=_validate.json_object("result_payload", result_payload),
        timestamp=_validate.timestamp("timestamp", timestamp),
        idempotency_key=key,
    )
    return generated_call(
        finish_agent_span.build_request, AgentSpanEnvelope, _envelope, span_id, key=key, body=body
    )


def deliver(envelope: AgentSpanEnvelope, callback: ControlSignalCallback | None) -> AgentSpan:
    """Return the span, first telling the callback if the platform asked the agent to stop.

    Runs after the retry loop, so an exception from the callback never causes a resend.
    """
    control = envelope.control
    if callback is not None and isinstance(control, ControlSignal) and control.terminate is True:
        reason = control.reason if isinstance(control.reason, str) else None
        callback(reason)
    return envelope.details
