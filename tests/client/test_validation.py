"""Bad input is refused with PrefactorValidationError before anything is sent."""

from __future__ import annotations

import enum
from datetime import UTC, datetime, timedelta, timezone

import pytest
from conftest import TOO_LONG_KEY, instance_json, sent, success

from prefactor_http import BulkItem, PrefactorValidationError

VERSION = {"name": "a", "external_identifier": "v1"}
SCHEMA = {"external_identifier": "s1"}

BAD_CALLS = [
    ("finish status", lambda c: c.agent_instances.finish("i", status="done"), "status", "'done'"),
    (
        "span status",
        lambda c: c.agent_spans.create("i", "s", "terminated"),
        "status",
        "'terminated'",
    ),
    (
        "span finish status",
        lambda c: c.agent_spans.finish("s", status="active"),
        "status",
        "'active'",
    ),
    (
        "purpose",
        lambda c: c.agent_instances.register(
            agent_version=VERSION, agent_schema_version=SCHEMA, purpose="prod"
        ),
        "purpose",
        "'prod'",
    ),
    (
        "key too long",
        lambda c: c.agent_instances.start("i", idempotency_key=TOO_LONG_KEY),
        "idempotency_key",
        f"{len(TOO_LONG_KEY)} characters",
    ),
    (
        "empty key",
        lambda c: c.agent_spans.finish("s", idempotency_key=""),
        "idempotency_key",
        "0 characters",
    ),
    (
        "naive datetime",
        lambda c: c.agent_instances.start("i", timestamp=datetime(2026, 1, 1, 12, 0)),
        "timestamp",
        "naive 2026-01-01T12:00:00",
    ),
    (
        "naive string",
        lambda c: c.agent_spans.create("i", "s", "active", started_at="2026-01-01T12:00:00"),
        "started_at",
        "naive",
    ),
    (
        "not a timestamp",
        lambda c: c.agent_instances.finish("i", timestamp="yesterday"),
        "timestamp",
        "'yesterday'",
    ),
    ("empty id", lambda c: c.agent_instances.get(""), "agent_instance_id", "non-empty"),
    ("dot-dot id", lambda c: c.agent_spans.finish(".."), "agent_span_id", "request path"),
    ("id not a string", lambda c: c.agent_instances.start(42), "agent_instance_id", "42"),
    (
        "payload not a dict",
        lambda c: c.agent_spans.create("i", "s", "active", payload=["x"]),
        "payload",
        "list",
    ),
    (
        "version without name",
        lambda c: c.agent_instances.register(
            agent_version={"external_identifier": "v1"}, agent_schema_version=SCHEMA
        ),
        "agent_version",
        "'name'",
    ),
    (
        "no schema version",
        lambda c: c.agent_instances.register(agent_version=VERSION),
        "agent_schema_version",
        "required",
    ),
    (
        "0.4.3 positional order past agent_id",
        lambda c: c.agent_instances.register(VERSION, SCHEMA, "agent-1", "env-1"),
        "agent_id",
        "by keyword",
    ),
    (
        "flag not a bool",
        lambda c: c.agent_instances.register(
            agent_version=VERSION, agent_schema_version=SCHEMA, update_current_version="no"
        ),
        "update_current_version",
        "'no'",
    ),
    (
        "payload with a datetime",
        lambda c: c.agent_spans.create(
            "i", "s", "active", payload={"when": datetime(2026, 1, 1, tzinfo=UTC)}
        ),
        "details.payload.when",
        "not JSON-serializable",
    ),
    (
        "result with NaN",
        lambda c: c.agent_spans.finish("s", result_payload={"score": float("nan")}),
        "result_payload.score",
        "not JSON-serializable",
    ),
    ("raw method", lambda c: c.request("FETCH", "/api/v1/ping"), "method", "'FETCH'"),
    ("raw method list", lambda c: c.request(["GET"], "/api/v1/ping"), "method", "['GET']"),
    ("raw HEAD", lambda c: c.request("HEAD", "/api/v1/ping"), "method", "'HEAD'"),
    (
        "key on a GET",
        lambda c: c.request("GET", "/api/v1/ping", idempotency_key="get-key-001"),
        "idempotency_key",
        "not for GET",
    ),
    (
        "span schemas not a map",
        lambda c: c.agent_instances.register(
            agent_version=VERSION,
            agent_schema_version={"external_identifier": "s1", "span_schemas": [1]},
        ),
        "agent_schema_version.span_schemas",
        "expected a JSON object",
    ),
    ("status dict", lambda c: c.agent_spans.create("i", "s", {"a": 1}), "status", "{'a': 1}"),
    ("raw control char", lambda c: c.request("GET", "/api/v1/\x00"), "url", "non-printable"),
    ("raw host-relative path", lambda c: c.request("GET", "//evil/api/v1/ping"), "path", "//evil"),
    ("id too long for a URL", lambda c: c.agent_instances.get("a" * 70000), "url", "too long"),
    (
        "lone surrogate in an id",
        lambda c: c.agent_instances.get("\ud800"),
        "agent_instance_id",
        "lone surrogate",
    ),
    (
        "lone surrogate in a payload",
        lambda c: c.agent_spans.create("i", "s", "active", payload={"a": "\ud800"}),
        "details.payload.a",
        "not JSON-serializable",
    ),
    (
        "lone surrogate in params",
        lambda c: c.request("GET", "/api/v1/ping", params={"a": "\ud800"}),
        "params.a",
        "lone surrogate",
    ),
    (
        "offset in seconds",
        lambda c: c.agent_instances.start(
            "i", timestamp=datetime(2026, 1, 1, tzinfo=timezone(timedelta(seconds=7)))
        ),
        "timestamp",
        "whole minutes",
    ),
    (
        "version name of the wrong type",
        lambda c: c.agent_instances.register(
            agent_version={"name": 1, "external_identifier": "v1"}, agent_schema_version=SCHEMA
        ),
        "agent_version.name",
        "expected str, got int",
    ),
    (
        "span type schema of the wrong type",
        lambda c: c.agent_instances.register(
            agent_version=VERSION,
            agent_schema_version={
                "external_identifier": "s1",
                "span_type_schemas": [{"name": 5, "params_schema": {}}],
            },
        ),
        "agent_schema_version.span_type_schemas[0].name",
        "expected str, got int",
    ),
    (
        "raw params",
        lambda c: c.request("GET", "/api/v1/ping", params={"a": {"b": 1}}),
        "params.a",
        "{'b': 1}",
    ),
    ("raw path", lambda c: c.request("GET", "api/v1/ping"), "path", "absolute"),
    (
        "runtime environment as text",
        lambda c: c.agent_instances.register(
            agent_version={**VERSION, "runtime_environment": "linux"}, agent_schema_version=SCHEMA
        ),
        "agent_version.runtime_environment",
        "expected a JSON object",
    ),
    (
        "empty quality name",
        lambda c: c.agent_instances.record_quality("i", ""),
        "name",
        "non-empty",
    ),
    (
        "quality name not a string",
        lambda c: c.agent_instances.record_quality("i", None),
        "name",
        "None",
    ),
    (
        "quality payload not a dict",
        lambda c: c.agent_instances.record_quality("i", "helpfulness", payload=[0.9]),
        "payload",
        "list",
    ),
    (
        "quality payload with NaN",
        lambda c: c.agent_instances.record_quality("i", "q", payload={"score": float("nan")}),
        "payload.score",
        "not JSON-serializable",
    ),
    (
        "quality key too long",
        lambda c: c.agent_instances.record_quality("i", "q", idempotency_key=TOO_LONG_KEY),
        "idempotency_key",
        f"{len(TOO_LONG_KEY)} characters",
    ),
    (
        "quality for an empty id",
        lambda c: c.agent_instances.record_quality("", "q"),
        "agent_instance_id",
        "non-empty",
    ),
]


@pytest.mark.parametrize(
    ("call", "field", "quoted"), [b[1:] for b in BAD_CALLS], ids=[b[0] for b in BAD_CALLS]
)
def test_bad_input_is_refused_before_sending(server, twin, call, field, quoted):
    """The error names the field and quotes the bad value; the server sees nothing."""
    with pytest.raises(PrefactorValidationError) as caught:
        twin(call)

    err = caught.value
    assert field in err.errors
    assert quoted in err.errors[field][0]
    assert (err.code, err.status_code) == ("invalid_argument", None)
    assert quoted in str(err)
    assert sent(server) == []


def test_circular_payload_is_refused(server, twin):
    """A payload that contains itself is refused, not a RecursionError."""
    payload: dict[str, object] = {}
    payload["self"] = payload

    with pytest.raises(PrefactorValidationError) as caught:
        twin(lambda c: c.agent_spans.create("i", "s", "active", payload=payload))

    [field] = caught.value.errors
    assert field.startswith("details.payload.self")
    assert sent(server) == []


def test_deeply_nested_payload_is_refused(server, twin):
    """Nesting deeper than json can encode is refused, not a RecursionError."""
    payload: dict[str, object] = {}
    inner = payload
    for _ in range(5000):
        inner["n"] = inner = {}

    with pytest.raises(PrefactorValidationError, match=r"details\.payload"):
        twin(lambda c: c.agent_spans.create("i", "s", "active", payload=payload))
    assert sent(server) == []


def test_str_subclasses_are_sent_as_their_value(server, twin):
    """An Enum id or status is sent as its value, the value that was checked."""

    # Not StrEnum: this mixin's str() is "Ids.INSTANCE", not the value.
    class Ids(str, enum.Enum):  # noqa: UP042
        INSTANCE = "inst-1"

    class Status(str, enum.Enum):  # noqa: UP042
        DONE = "complete"

    server.expect_request("/api/v1/agent_instance/inst-1/finish").respond_with_json(
        success(instance_json(status="complete"))
    )

    twin(lambda c: c.agent_instances.finish(Ids.INSTANCE, status=Status.DONE))

    [(_, path, _, body)] = sent(server)
    assert path == "/api/v1/agent_instance/inst-1/finish"
    assert body["status"] == "complete"


def test_a_huge_id_does_not_flood_the_message(server, twin):
    """The path in an error message is cut; the full value is not repeated 70,000 times."""
    with pytest.raises(PrefactorValidationError) as caught:
        twin(lambda c: c.agent_instances.get("a" * 70000))

    assert len(str(caught.value)) < 600
    assert "(70023 characters)" in str(caught.value)


NOT_VISIBLE_ASCII_KEYS = ["café", "a\nb", "a\r\nX-Injected: 1", "two words", "tab\tkey", "del\x7f"]


@pytest.mark.parametrize("key", NOT_VISIBLE_ASCII_KEYS)
def test_a_key_outside_visible_ascii_is_refused_before_sending(server, twin, key):
    """A key the Idempotency-Key header cannot carry as it is raises PrefactorValidationError."""
    calls = {
        "idempotency_key": [
            lambda c: c.agent_instances.start("i", idempotency_key=key),
            lambda c: c.request("POST", "/api/v1/agent_spans", idempotency_key=key),
        ],
        "json_data.idempotency_key": [
            lambda c: c.request("POST", "/api/v1/agent_spans", json_data={"idempotency_key": key}),
        ],
    }
    for field, actions in calls.items():
        for action in actions:
            with pytest.raises(PrefactorValidationError) as caught:
                twin(action, twin.new_client(max_retries=0))

            assert repr(key) in caught.value.errors[field][0]
            assert "visible ASCII" in str(caught.value)
    assert sent(server) == []


@pytest.mark.parametrize("key", NOT_VISIBLE_ASCII_KEYS)
def test_a_bulk_item_key_outside_visible_ascii_is_refused(key):
    """A BulkItem's key follows the same rule, so no writer or bulk call ever holds such a key."""
    with pytest.raises(PrefactorValidationError, match="visible ASCII") as caught:
        BulkItem(_type="agent_spans/create", idempotency_key=f"{key}-bulk-key")

    assert caught.value.errors["idempotency_key"][0].endswith("characters)")
