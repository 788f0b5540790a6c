"""Both clients end to end against the local server: real state, real faults, real HTTP.

Every test runs in both of the server's answer modes: full and sparse.
"""

from __future__ import annotations

from typing import Any

import pytest
from conftest import Twin

from prefactor_http import (
    BulkItem,
    BulkRequest,
    HttpClientConfig,
    PrefactorAuthError,
    PrefactorConflictError,
    PrefactorNotFoundError,
    PrefactorResponseContractError,
    PrefactorValidationError,
)
from prefactor_http.server import Fault, render_tree

# Each test runs against a full server and a sparse one (null fields left out of answers).
pytestmark = pytest.mark.parametrize("prefactor_server", ["full", "sparse"], indirect=True)

VERSION = {"name": "Support bot", "external_identifier": "v1"}
SCHEMA = {
    "external_identifier": "s1",
    "span_type_schemas": [
        {"name": "agent:tool", "title": "Tool Call", "params_schema": {"type": "object"}},
        {"name": "agent:llm", "title": "LLM Call", "params_schema": {"type": "object"}},
    ],
}


@pytest.fixture(params=["async", "sync"])
def live(request, prefactor_server):
    """The twin driver, its clients pointed at the local server."""

    def make_config(**overrides: Any) -> HttpClientConfig:
        settings: dict[str, Any] = {
            "api_url": prefactor_server.url,
            "api_token": prefactor_server.token,
            "initial_retry_delay": 0.001,
            "max_retry_delay": 0.005,
            "request_timeout": 5.0,
        }
        settings.update(overrides)
        return HttpClientConfig(**settings)

    driver = Twin(request.param, make_config)
    yield driver
    driver.close()


def register(live):
    return live(
        lambda c: c.agent_instances.register(agent_version=VERSION, agent_schema_version=SCHEMA)
    )


def test_a_whole_run_is_stored_as_a_tree(live, prefactor_server):
    """register, start, a tool span holding an LLM span, finish all: the server holds the tree."""
    instance = register(live)
    live(lambda c: c.agent_instances.start(instance.id))
    tool = live(lambda c: c.agent_spans.create(instance.id, "agent:tool", "active", {"q": "x"}))
    llm = live(
        lambda c: c.agent_spans.create(
            instance.id, "agent:llm", "active", {"prompt": "Hi"}, parent_span_id=tool.id
        )
    )
    live(lambda c: c.agent_spans.finish(llm.id, "complete", result_payload={"text": "Yo"}))
    live(lambda c: c.agent_spans.finish(tool.id, "complete"))
    finished = live(lambda c: c.agent_instances.finish(instance.id, status="complete"))

    current = live(lambda c: c.agent_instances.get(instance.id))

    assert (finished.status, current.status) == ("complete", "complete")
    assert (current.span_counts.total, current.span_counts.finished) == (2, 2)
    assert llm.schema_title == "LLM Call"
    assert render_tree(prefactor_server.state()) == (
        f"agent instance {instance.id} [complete] spans: 2 total, 2 finished\n"
        '└── agent:tool [complete] {"q": "x"}\n'
        '    └── agent:llm [complete] {"prompt": "Hi"} → {"text": "Yo"}'
    )


def test_every_request_carries_the_token_sdk_header_and_a_key(live, prefactor_server):
    """What crossed the wire: bearer auth (redacted in the log), SDK header, an idempotency key."""
    register(live)

    [logged] = prefactor_server.requests

    assert logged.headers["authorization"] == "[redacted]"
    assert logged.headers["x-prefactor-sdk"].startswith("prefactor-http@")
    assert logged.json["idempotency_key"].startswith("pfhttp-")


def test_finishing_twice_raises_a_conflict(live):
    """The server's 409 reaches the caller as PrefactorConflictError naming the call."""
    instance = register(live)
    live(lambda c: c.agent_instances.finish(instance.id))

    with pytest.raises(PrefactorConflictError) as caught:
        live(lambda c: c.agent_instances.finish(instance.id))

    assert caught.value.status_code == 409
    assert f"POST /api/v1/agent_instance/{instance.id}/finish: HTTP 409 [conflict]" in str(
        caught.value
    )


def test_an_unknown_instance_raises_not_found(live):
    """get of an id the server does not hold is PrefactorNotFoundError."""
    with pytest.raises(PrefactorNotFoundError):
        live(lambda c: c.agent_instances.get("no-such-instance"))


def test_a_wrong_token_raises_an_auth_error(live, prefactor_server):
    """validate_token passes with the server's token and fails with another."""
    live(lambda c: c.validate_token())
    stranger = live.new_client(api_token="not-the-token")

    with pytest.raises(PrefactorAuthError) as caught:
        live(lambda c: c.validate_token(), stranger)

    assert "not-the-token" not in str(caught.value)


def test_bulk_reports_what_ran_failed_and_never_ran(live, prefactor_server):
    """Against real state: the register succeeds, a finish of a missing span stops the rest."""
    items = [
        BulkItem(
            _type="agent_instances/register",
            idempotency_key="bulk-register-1",
            id="bulk-run",
            agent_version=VERSION,
            agent_schema_version=SCHEMA,
        ),
        BulkItem(_type="agent_spans/finish", idempotency_key="bulk-finish-1", agent_span_id="x"),
        BulkItem(
            _type="agent_instances/start", idempotency_key="bulk-start-1", agent_instance_id="r"
        ),
    ]

    response = live(lambda c: c.bulk.execute(BulkRequest(items=items)))

    assert response.succeeded == ["bulk-register-1"]
    assert response.failed == "bulk-finish-1"
    assert response.not_processed == ["bulk-start-1"]
    assert list(prefactor_server.state()["instances"]) == ["bulk-run"]


@pytest.mark.parametrize(
    "fault", [Fault.status(503, commit=True), Fault.drop(commit=True)], ids=["503", "drop"]
)
def test_a_write_committed_before_a_failure_is_stored_once(live, prefactor_server, fault):
    """The client retries with the same key; the server replays instead of acting twice."""
    instance = register(live)
    prefactor_server.inject(fault, method="POST", path="/api/v1/agent_spans")

    span = live(lambda c: c.agent_spans.create(instance.id, "agent:llm", "active", {"p": 1}))

    assert list(prefactor_server.state()["spans"]) == [span.id]
    creates = [e for e in prefactor_server.effects if e.operation == "createAgentSpan"]
    assert [e.resource_id for e in creates] == [span.id]
    assert len(prefactor_server.requests) == 3


def test_a_2xx_body_that_is_not_the_contract_raises(live, prefactor_server):
    """An empty 200 is PrefactorResponseContractError, not a half-built model."""
    prefactor_server.inject(Fault.body(200, b"[]"))

    with pytest.raises(PrefactorResponseContractError):
        register(live)


def test_a_terminated_instance_calls_the_control_signal_callback(live, prefactor_server):
    """The platform's stop request reaches the agent's callback with its reason."""
    instance = register(live)
    prefactor_server.terminate(instance.id, "budget exceeded")
    reasons: list[str | None] = []

    live(
        lambda c: c.agent_spans.create(
            instance.id, "agent:llm", "active", control_signal_callback=reasons.append
        )
    )

    assert reasons == ["budget exceeded"]


def test_raw_request_reaches_the_local_server(live, prefactor_server):
    """client.request() gets the parsed JSON of the server's answer."""
    full = {} if prefactor_server.sparse else {"details": None}  # every declared field
    assert live(lambda c: c.request("GET", "/api/v1/ping")) == {"status": "success", **full}


def test_recorded_quality_is_kept_and_shown_in_the_tree(live, prefactor_server):
    """record_quality reaches the instance; the tree lists it after the spans."""
    instance = register(live)
    live(lambda c: c.agent_spans.create(instance.id, "agent:llm", "complete", {"prompt": "Hi"}))

    answered = live(
        lambda c: c.agent_instances.record_quality(instance.id, "accuracy", {"score": 0.9})
    )

    assert answered.id == instance.id
    assert prefactor_server.state()["quality"] == {instance.id: {"accuracy": {"score": 0.9}}}
    assert render_tree(prefactor_server.state()) == (
        f"agent instance {instance.id} [pending] spans: 1 total, 1 finished\n"
        '├── agent:llm [complete] {"prompt": "Hi"}\n'
        '└── quality accuracy: {"score": 0.9}'
    )


def test_a_key_reused_for_another_instance_raises_and_changes_nothing(live, prefactor_server):
    """start(b, key) then start(c, same key): 422 `idempotency_key_reused`, c stays pending."""
    first, second = register(live), register(live)
    live(lambda c: c.agent_instances.start(first.id, idempotency_key="same-key-01"))

    with pytest.raises(PrefactorValidationError) as caught:
        live(lambda c: c.agent_instances.start(second.id, idempotency_key="same-key-01"))

    assert (caught.value.status_code, caught.value.code) == (422, "idempotency_key_reused")
    assert "'same-key-01'" in caught.value.message
    assert prefactor_server.state()["instances"][second.id]["status"] == "pending"
    assert prefactor_server.requests[-1].json["idempotency_key"] == "same-key-01"


def test_a_raw_span_create_with_its_own_key_is_accepted_and_replayed(live, prefactor_server):
    """`request()` with the key inside `details`: one span, and a resend replays it."""
    instance = register(live)
    details = {
        "agent_instance_id": instance.id,
        "schema_name": "agent:llm",
        "status": "active",
        "payload": {"prompt": "hi"},
        "idempotency_key": "raw-span-key-1",
    }

    def create(c):
        return c.request("POST", "/api/v1/agent_spans", json_data={"details": details})

    first, again = live(create), live(create)

    assert again == first
    assert len(prefactor_server.state()["spans"]) == 1
