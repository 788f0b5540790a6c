"""Span calls: the wrapped create body, finish, and control signals, on both clients."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from conftest import auto_key, sent, span_json, success

from prefactor_http import AgentSpan

STARTED = datetime(2026, 11, 22, 14, 13, 5, tzinfo=UTC)


def test_create_wraps_the_span_in_details(server, twin):
    """create posts its fields inside `details` and returns a typed AgentSpan."""
    server.expect_request("/api/v1/agent_spans", method="POST").respond_with_json(
        success(span_json(parent_span_id="span-0"))
    )

    span = twin(
        lambda c: c.agent_spans.create(
            agent_instance_id="inst-1",
            schema_name="agent:llm",
            status="active",
            payload={"model": "m", "prompt": "p"},
            id="span-1",
            parent_span_id="span-0",
            started_at=STARTED,
            idempotency_key="span-create-1",
        )
    )

    [(method, path, headers, body)] = sent(server)
    assert (method, path) == ("POST", "/api/v1/agent_spans")
    assert headers["content-type"] == "application/json"
    assert body == {
        "details": {
            "agent_instance_id": "inst-1",
            "schema_name": "agent:llm",
            "status": "active",
            "payload": {"model": "m", "prompt": "p"},
            "id": "span-1",
            "parent_span_id": "span-0",
            "started_at": "2026-11-22T14:13:05+00:00",
            "idempotency_key": "span-create-1",
        }
    }
    assert isinstance(span, AgentSpan)
    assert span.id == "span-1"
    assert span.payload == {"model": "m", "prompt": "p"}
    assert span.parent_span_id == "span-0"
    assert span.started_at == STARTED


def test_create_a_finished_span_in_one_call(server, twin):
    """A span may be created complete, with its result and both times."""
    server.expect_request("/api/v1/agent_spans").respond_with_json(
        success(span_json(status="complete", result_payload={"response": "r"}))
    )

    span = twin(
        lambda c: c.agent_spans.create(
            "inst-1",
            "agent:llm",
            "complete",
            payload={"prompt": "p"},
            result_payload={"response": "r"},
            started_at=STARTED,
            finished_at="2026-11-22T14:13:06+00:00",
        )
    )

    details = sent(server)[0][3]["details"]
    assert details["status"] == "complete"
    assert details["result_payload"] == {"response": "r"}
    assert details["finished_at"] == "2026-11-22T14:13:06+00:00"
    assert span.result_payload == {"response": "r"}


def test_finish_sends_result_and_status(server, twin):
    """finish posts status, result and timestamp flat (not wrapped)."""
    server.expect_request("/api/v1/agent_spans/span-1/finish", method="POST").respond_with_json(
        success(span_json(status="failed", finished_at="2026-11-22T14:13:05+00:00"))
    )

    span = twin(
        lambda c: c.agent_spans.finish(
            "span-1", status="failed", result_payload={"error": "boom"}, timestamp=STARTED
        )
    )

    [(method, path, _, body)] = sent(server)
    assert (method, path) == ("POST", "/api/v1/agent_spans/span-1/finish")
    assert auto_key(body) == {
        "status": "failed",
        "result_payload": {"error": "boom"},
        "timestamp": "2026-11-22T14:13:05+00:00",
    }
    assert span.status == "failed"
    assert span.finished_at == STARTED


@pytest.mark.parametrize("operation", ["create", "finish"])
def test_control_signal_reaches_the_callback(server, twin, operation):
    """An answer carrying control.terminate calls the callback with the reason."""
    control = {"terminate": True, "reason": "budget exceeded"}
    server.expect_request("/api/v1/agent_spans").respond_with_json(
        success(span_json(), control=control)
    )
    server.expect_request("/api/v1/agent_spans/span-1/finish").respond_with_json(
        success(span_json(status="complete"), control=control)
    )
    reasons: list[str | None] = []

    if operation == "create":
        span = twin(
            lambda c: c.agent_spans.create(
                "inst-1", "agent:llm", "active", control_signal_callback=reasons.append
            )
        )
    else:
        span = twin(
            lambda c: c.agent_spans.finish("span-1", control_signal_callback=reasons.append)
        )

    assert reasons == ["budget exceeded"]
    assert span.id == "span-1"


@pytest.mark.parametrize(
    "control",
    [None, "null", {"terminate": False, "reason": "x"}, {"terminate": True, "reason": None}],
)
def test_callback_only_on_terminate(server, twin, control):
    """No control, a null one or terminate false leave the callback alone; null reason is None."""
    extra = {"control": None} if control == "null" else {"control": control} if control else {}
    server.expect_request("/api/v1/agent_spans").respond_with_json(success(span_json(), **extra))
    reasons: list[str | None] = []

    twin(
        lambda c: c.agent_spans.create(
            "inst-1", "agent:llm", "pending", control_signal_callback=reasons.append
        )
    )

    expected = [None] if isinstance(control, dict) and control["terminate"] else []
    assert reasons == expected


def test_a_failing_callback_does_not_resend(server, twin):
    """The callback runs after the call succeeded, so its exception never causes a retry."""
    server.expect_request("/api/v1/agent_spans").respond_with_json(
        success(span_json(), control={"terminate": True, "reason": "stop"})
    )

    def explode(reason: str | None) -> None:
        raise RuntimeError(f"agent told to stop: {reason}")

    with pytest.raises(RuntimeError, match="agent told to stop: stop"):
        twin(
            lambda c: c.agent_spans.create(
                "inst-1", "agent:llm", "active", control_signal_callback=explode
            )
        )

    assert len(sent(server)) == 1


def test_create_without_payload_sends_an_empty_object(server, twin):
    """The API requires `payload`; leaving it out sends {} rather than nothing."""
    server.expect_request("/api/v1/agent_spans").respond_with_json(success(span_json()))

    twin(lambda c: c.agent_spans.create("inst-1", ".", "pending"))

    [(_, _, _, body)] = sent(server)
    assert auto_key(body["details"]) == {
        "agent_instance_id": "inst-1",
        "schema_name": ".",
        "status": "pending",
        "payload": {},
    }
