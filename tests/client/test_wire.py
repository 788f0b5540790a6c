"""Every operation sends the same transport headers, on both clients."""

from __future__ import annotations

import json

import pytest
from conftest import TOKEN, instance_json, sent, span_json, success

from prefactor_http import PACKAGE_VERSION, BulkItem, BulkRequest

VERSION = {"name": "a", "external_identifier": "v1"}
SCHEMA = {"external_identifier": "s1"}
BULK_ANSWER = {"status": "success", "outputs": {"bulk-key-01": {"status": "success"}}}

OPERATIONS = [
    ("GET", "/api/v1/ping", {"status": "success"}, lambda c: c.validate_token()),
    (
        "POST",
        "/api/v1/agent_instance/register",
        success(instance_json()),
        lambda c: c.agent_instances.register(agent_version=VERSION, agent_schema_version=SCHEMA),
    ),
    (
        "POST",
        "/api/v1/agent_instance/inst-1/start",
        success(instance_json()),
        lambda c: c.agent_instances.start("inst-1"),
    ),
    (
        "POST",
        "/api/v1/agent_instance/inst-1/finish",
        success(instance_json()),
        lambda c: c.agent_instances.finish("inst-1"),
    ),
    (
        "POST",
        "/api/v1/agent_instance/inst-1/record_quality",
        success(instance_json()),
        lambda c: c.agent_instances.record_quality("inst-1", "helpfulness"),
    ),
    (
        "GET",
        "/api/v1/agent_instance/inst-1",
        success(instance_json()),
        lambda c: c.agent_instances.get("inst-1"),
    ),
    (
        "POST",
        "/api/v1/agent_spans",
        success(span_json()),
        lambda c: c.agent_spans.create("inst-1", "agent:llm", "active"),
    ),
    (
        "POST",
        "/api/v1/agent_spans/span-1/finish",
        success(span_json()),
        lambda c: c.agent_spans.finish("span-1"),
    ),
    (
        "POST",
        "/api/v1/bulk",
        BULK_ANSWER,
        lambda c: c.bulk.execute(
            BulkRequest(items=[BulkItem(_type="agents/list", idempotency_key="bulk-key-01")])
        ),
    ),
]


@pytest.mark.parametrize(
    ("method", "path", "answer", "call"), OPERATIONS, ids=[f"{m} {p}" for m, p, _, _ in OPERATIONS]
)
def test_every_operation_sends_auth_sdk_and_content_headers(
    server, twin, method, path, answer, call
):
    """Authorization, X-Prefactor-SDK and Accept always; Content-Type only with a body."""
    server.expect_request(path, method=method).respond_with_json(answer)

    twin(call, twin.new_client(sdk_header="my-agent@2.0"))

    [(sent_method, sent_path, headers, body)] = sent(server)
    assert (sent_method, sent_path) == (method, path)
    assert headers["authorization"] == f"Bearer {TOKEN}"
    assert headers["x-prefactor-sdk"] == f"my-agent@2.0 prefactor-http@{PACKAGE_VERSION}"
    assert headers["accept"] == "application/json"
    if method == "POST":
        assert headers["content-type"] == "application/json"
        assert isinstance(body, dict)
    else:
        assert "content-type" not in headers
        assert body is None


class _Label(str):
    """A str subclass, as enum-like label types are."""


# Values JSON can hold that a fast encoder reshapes or that need more than 64 bits: each
# must cross the wire as the stdlib's json would send it.
AWKWARD_PAYLOAD = {
    "pair": (1, 2),
    1: "an int key",
    "label": _Label("tool"),
    "huge": 2**70,
    "small": 1e-300,
    "big": 1e16,
    "separators": "\u2028\u2029\x01",
    "nested": [{"t": (True, None)}],
}


def test_payloads_cross_the_wire_as_the_stdlib_json_would_send_them(server, twin):
    """Tuples, int keys, str subclasses and big numbers read back as json.dumps writes them."""
    server.expect_request("/api/v1/agent_spans", method="POST").respond_with_json(
        success(span_json())
    )

    twin(lambda c: c.agent_spans.create("inst-1", "agent:llm", "active", payload=AWKWARD_PAYLOAD))

    [(_, _, _, body)] = sent(server)
    assert body["details"]["payload"] == json.loads(json.dumps(AWKWARD_PAYLOAD))
    bulk = BulkItem(
        _type="agent_spans/create", idempotency_key="bulk-key-02", payload=AWKWARD_PAYLOAD
    )
    server.expect_request("/api/v1/bulk", method="POST").respond_with_json(
        {"status": "success", "outputs": {"bulk-key-02": {"status": "success"}}}
    )

    twin(lambda c: c.bulk.execute(BulkRequest(items=[bulk])))

    [_, (_, _, _, bulk_body)] = sent(server)
    assert bulk_body["items"][0]["payload"] == json.loads(json.dumps(AWKWARD_PAYLOAD))
