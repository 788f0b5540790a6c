"""Agent instance calls: what each sends and what the caller gets back, on both clients."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from conftest import TOKEN, auto_key, instance_json, sent, success

from prefactor_http import PACKAGE_VERSION, AgentInstance, PrefactorValidationError

AGENT_VERSION = {"name": "Support bot", "external_identifier": "v1.2.0", "description": "d"}
SCHEMA_VERSION = {
    "external_identifier": "schema-v1",
    "span_type_schemas": [
        {
            "name": "agent:llm",
            "title": "LLM Call",
            "params_schema": {"type": "object", "properties": {"prompt": {"type": "string"}}},
            "result_schema": {"type": "object"},
            "template": "{{model}}: {{prompt}} → {{response}}",
        }
    ],
}


def test_register_sends_the_documented_body_and_returns_the_instance(server, twin):
    """register posts every given field and returns a typed AgentInstance."""
    server.expect_request("/api/v1/agent_instance/register", method="POST").respond_with_json(
        success(instance_json())
    )

    instance = twin(
        lambda c: c.agent_instances.register(
            agent_id="agent-1",
            agent_version=AGENT_VERSION,
            agent_schema_version=SCHEMA_VERSION,
            id="inst-1",
            idempotency_key="register-0001",
            environment_id="env-1",
            purpose="eval",
            external_identifier="run-42",
        )
    )

    [(method, path, headers, body)] = sent(server)
    assert (method, path) == ("POST", "/api/v1/agent_instance/register")
    assert headers["authorization"] == f"Bearer {TOKEN}"
    assert headers["content-type"] == "application/json"
    assert headers["accept"] == "application/json"
    assert headers["x-prefactor-sdk"] == f"prefactor-http@{PACKAGE_VERSION}"
    assert body == {
        "agent_version": AGENT_VERSION,
        "agent_schema_version": SCHEMA_VERSION,
        "update_current_version": True,
        "agent_id": "agent-1",
        "environment_id": "env-1",
        "id": "inst-1",
        "external_identifier": "run-42",
        "purpose": "eval",
        "idempotency_key": "register-0001",
    }
    assert isinstance(instance, AgentInstance)
    assert instance.id == "inst-1"
    assert instance.status == "pending"
    assert instance.inserted_at == datetime(2026, 11, 22, 14, 13, 5, 123456, tzinfo=UTC)
    assert instance.span_counts.total == 0


def test_register_positionally_in_the_seed_order(server, twin):
    """register(agent_id, agent_version, agent_schema_version) works as the reference shows."""
    server.expect_request("/api/v1/agent_instance/register").respond_with_json(
        success(instance_json())
    )

    twin(lambda c: c.agent_instances.register("agent-1", AGENT_VERSION, SCHEMA_VERSION))

    [(_, _, _, body)] = sent(server)
    assert auto_key(body) == {
        "agent_id": "agent-1",
        "agent_version": AGENT_VERSION,
        "agent_schema_version": SCHEMA_VERSION,
        "update_current_version": True,
    }


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ((AGENT_VERSION, SCHEMA_VERSION), {}),
        ((AGENT_VERSION, SCHEMA_VERSION, "agent-1"), {"agent_id": "agent-1"}),
    ],
    ids=["version-schema", "version-schema-agent"],
)
def test_register_positionally_in_the_order_of_prefactor_http_0_4_3(server, twin, args, expected):
    """register(agent_version, agent_schema_version[, agent_id]) works as 0.4.3 code calls it."""
    server.expect_request("/api/v1/agent_instance/register").respond_with_json(
        success(instance_json())
    )

    twin(lambda c: c.agent_instances.register(*args))

    [(_, _, _, body)] = sent(server)
    assert auto_key(body) == {
        **expected,
        "agent_version": AGENT_VERSION,
        "agent_schema_version": SCHEMA_VERSION,
        "update_current_version": True,
    }


def test_register_without_agent_id_for_deployment_tokens(server, twin):
    """With a deployment-scoped token agent_id and environment_id are left out of the body."""
    server.expect_request("/api/v1/agent_instance/register").respond_with_json(
        success(instance_json())
    )

    twin(
        lambda c: c.agent_instances.register(
            agent_version=AGENT_VERSION,
            agent_schema_version=SCHEMA_VERSION,
            update_current_version=False,
        )
    )

    [(_, _, _, body)] = sent(server)
    assert auto_key(body) == {
        "agent_version": AGENT_VERSION,
        "agent_schema_version": SCHEMA_VERSION,
        "update_current_version": False,
    }


def test_start_sends_timestamp_with_offset(server, twin):
    """start sends the timestamp as ISO 8601 with its offset and the caller's key."""
    server.expect_request("/api/v1/agent_instance/inst-1/start", method="POST").respond_with_json(
        success(instance_json(status="active", started_at="2026-11-22T16:00:00+02:00"))
    )
    when = datetime(2026, 11, 22, 16, 0, tzinfo=timezone(timedelta(hours=2)))

    instance = twin(
        lambda c: c.agent_instances.start("inst-1", timestamp=when, idempotency_key="start-0001")
    )

    [(method, path, _, body)] = sent(server)
    assert (method, path) == ("POST", "/api/v1/agent_instance/inst-1/start")
    assert body == {"timestamp": "2026-11-22T16:00:00+02:00", "idempotency_key": "start-0001"}
    assert instance.status == "active"
    assert instance.started_at == when


def test_start_accepts_an_iso_string(server, twin):
    """A timestamp given as an ISO 8601 string with an offset is sent unchanged in meaning."""
    server.expect_request("/api/v1/agent_instance/inst-1/start").respond_with_json(
        success(instance_json(status="active"))
    )

    twin(lambda c: c.agent_instances.start("inst-1", timestamp="2026-11-22T14:13:05Z"))

    [(_, _, _, body)] = sent(server)
    assert auto_key(body) == {"timestamp": "2026-11-22T14:13:05+00:00"}


def test_finish_sends_status_and_returns_the_finished_instance(server, twin):
    """finish posts status and timestamp and returns the terminal instance."""
    server.expect_request("/api/v1/agent_instance/inst-1/finish", method="POST").respond_with_json(
        success(instance_json(status="complete", finished_at="2026-11-22T15:00:00+00:00"))
    )
    when = datetime(2026, 11, 22, 15, 0, tzinfo=UTC)

    instance = twin(lambda c: c.agent_instances.finish("inst-1", status="complete", timestamp=when))

    [(method, path, _, body)] = sent(server)
    assert (method, path) == ("POST", "/api/v1/agent_instance/inst-1/finish")
    assert auto_key(body) == {"status": "complete", "timestamp": "2026-11-22T15:00:00+00:00"}
    assert instance.status == "complete"
    assert instance.finished_at == when


def test_finish_with_no_arguments_sends_only_a_key(server, twin):
    """Optional fields that were not given are absent, not null; the client adds a key."""
    server.expect_request("/api/v1/agent_instance/inst-1/finish").respond_with_json(
        success(instance_json(status="complete"))
    )

    twin(lambda c: c.agent_instances.finish("inst-1"))

    [(_, _, _, body)] = sent(server)
    assert auto_key(body) == {}


def test_get_fetches_the_instance_and_keeps_unknown_fields(server, twin):
    """get reads the instance; fields the server added later stay reachable."""
    server.expect_request("/api/v1/agent_instance/inst-1", method="GET").respond_with_json(
        success(instance_json(status="terminated", termination_reason="budget", cost_usd=1.5))
    )

    instance = twin(lambda c: c.agent_instances.get("inst-1"))

    [(method, path, headers, body)] = sent(server)
    assert (method, path, body) == ("GET", "/api/v1/agent_instance/inst-1", None)
    assert "content-type" not in headers
    assert instance.status == "terminated"
    assert instance.termination_reason == "budget"
    assert instance.additional_properties == {"cost_usd": 1.5}
    assert instance["cost_usd"] == 1.5


def test_instance_ids_are_percent_encoded(server, twin):
    """An id holding '/' or '..' cannot change the request path."""
    server.expect_request("/api/v1/agent_instance/a/../b/start").respond_with_json(
        success(instance_json(id="a/../b", status="active"))
    )

    instance = twin(lambda c: c.agent_instances.start("a/../b"))

    [(_, path, _, _)] = sent(server)
    assert path == "/api/v1/agent_instance/a%2F..%2Fb/start"
    assert instance.id == "a/../b"


@pytest.mark.parametrize("purpose", ["live", "smoke_test", "eval"])
def test_register_accepts_every_purpose(server, twin, purpose):
    """Each documented purpose is sent as given."""
    server.expect_request("/api/v1/agent_instance/register").respond_with_json(
        success(instance_json(purpose=purpose))
    )

    instance = twin(
        lambda c: c.agent_instances.register(
            agent_version=AGENT_VERSION, agent_schema_version=SCHEMA_VERSION, purpose=purpose
        )
    )

    assert sent(server)[0][3]["purpose"] == purpose
    assert instance.purpose == purpose


def test_record_quality_sends_name_payload_and_key(server, twin):
    """record_quality posts the named quality payload and returns the instance."""
    server.expect_request(
        "/api/v1/agent_instance/inst-1/record_quality", method="POST"
    ).respond_with_json(success(instance_json(status="complete")))
    payload = {"score": 0.75, "labels": ["polite", "accurate"], "notes": None}

    instance = twin(
        lambda c: c.agent_instances.record_quality(
            "inst-1", "helpfulness", payload=payload, idempotency_key="quality-0001"
        )
    )

    [(method, path, headers, body)] = sent(server)
    assert (method, path) == ("POST", "/api/v1/agent_instance/inst-1/record_quality")
    assert headers["authorization"] == f"Bearer {TOKEN}"
    assert headers["content-type"] == "application/json"
    assert body == {"name": "helpfulness", "payload": payload, "idempotency_key": "quality-0001"}
    assert headers["idempotency-key"] == "quality-0001"
    assert isinstance(instance, AgentInstance)
    assert (instance.id, instance.status) == ("inst-1", "complete")


def test_record_quality_by_keyword_as_prefactor_core_calls_it(server, twin):
    """Without a payload only the name and a fresh key travel; a new key per call."""
    server.expect_request("/api/v1/agent_instance/inst-1/record_quality").respond_with_json(
        success(instance_json())
    )

    for _ in range(2):
        twin(
            lambda c: c.agent_instances.record_quality(
                agent_instance_id="inst-1", name="tone", payload=None, idempotency_key=None
            )
        )

    [(_, _, _, first), (_, _, _, second)] = sent(server)
    assert auto_key(first) == auto_key(second) == {"name": "tone"}
    assert first["idempotency_key"] != second["idempotency_key"]


def test_record_quality_retries_with_the_same_key(server, twin):
    """A 503 is retried with the key of the first attempt, so the server records once."""
    path = "/api/v1/agent_instance/inst-1/record_quality"
    server.expect_ordered_request(path).respond_with_json(
        {"status": "error", "code": "unavailable", "message": "later"}, status=503
    )
    server.expect_ordered_request(path).respond_with_json(success(instance_json()))

    twin(lambda c: c.agent_instances.record_quality("inst-1", "tone", payload={"v": 1}))

    [(_, _, first_headers, first), (_, _, second_headers, second)] = sent(server)
    assert first == second
    assert first_headers["idempotency-key"] == second_headers["idempotency-key"]
    assert first_headers["idempotency-key"] == first["idempotency_key"]
    assert auto_key(first) == {"name": "tone", "payload": {"v": 1}}


def test_record_quality_error_names_the_call(server, twin):
    """An unknown quality name comes back as a validation error naming method and path."""
    server.expect_request("/api/v1/agent_instance/inst-1/record_quality").respond_with_json(
        {
            "status": "error",
            "code": "validation_error",
            "message": "Validation failed",
            "errors": {"name": ["is not a quality schema of this agent version"]},
        },
        status=422,
    )

    with pytest.raises(PrefactorValidationError) as caught:
        twin(lambda c: c.agent_instances.record_quality("inst-1", "nope", payload={"v": 1}))

    err = caught.value
    assert (err.status_code, err.code) == (422, "validation_error")
    assert (err.method, err.path) == ("POST", "/api/v1/agent_instance/inst-1/record_quality")
    assert err.errors == {"name": ["is not a quality schema of this agent version"]}
    assert len(sent(server)) == 1


def test_register_passes_what_prefactor_core_adds_through_unchanged(server, twin):
    """A runtime_environment object, quality_schemas and data_risk are sent as given."""
    server.expect_request("/api/v1/agent_instance/register").respond_with_json(
        success(instance_json())
    )
    version = {
        **AGENT_VERSION,
        "runtime_environment": {
            "agent_sdk": ["prefactor-langchain@0.3.0"],
            "os": "linux",
            "prefactor_sdk": ["prefactor-core@0.5.3", f"prefactor-http@{PACKAGE_VERSION}"],
            "runtime": "cpython@3.11",
        },
    }
    schema = {
        "external_identifier": "auto-agent-1",
        "span_type_schemas": [
            {"name": "agent:llm", "params_schema": {}, "data_risk": {"action_profile": {}}}
        ],
        "quality_schemas": [{"name": "helpfulness", "schema": {"type": "object"}}],
    }

    twin(
        lambda c: c.agent_instances.register(
            agent_version=version, agent_schema_version=schema, agent_id="agent-1"
        )
    )

    [(_, _, _, body)] = sent(server)
    assert body["agent_version"] == version
    assert body["agent_schema_version"] == schema
