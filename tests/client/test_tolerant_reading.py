"""Answers that leave out optional fields read as None, on every client.

The hosted API may leave out any field a resource does not list as required
(wire-format "Reading answers"); the answers here carry only those fields.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime

import attrs
import pytest
from conftest import instance_json, span_json, success

from prefactor_http import (
    AgentInstance,
    AgentSpan,
    BulkItem,
    BulkRequest,
    PrefactorResponseContractError,
)
from prefactor_http._generated.types import Unset

# The fields wire-format.md lists as required (those the existing client needs), as sent.
INSTANCE_REQUIRED = {
    name: instance_json()[name]
    for name in (
        "type",
        "id",
        "account_id",
        "agent_id",
        "agent_version_id",
        "environment_id",
        "agent_deployment_id",
        "status",
        "inserted_at",
        "updated_at",
    )
}
SPAN_REQUIRED = {
    name: span_json()[name] for name in ("type", "id", "agent_instance_id", "schema_name", "status")
}
ANY_PATH = re.compile(".*")  # each such test serves one canned answer to its one call
INSTANCE_OPTIONAL = (
    "started_at",
    "finished_at",
    "termination_reason",
    "external_identifier",
    "span_counts",
    "purpose",
)
SPAN_OPTIONAL = (
    "account_id",
    "agent_id",
    "parent_span_id",
    "schema_title",
    "result_payload",
    "summary",
    "started_at",
    "inserted_at",
    "updated_at",
    "finished_at",
)


def unset_fields(model: object, where: str = "") -> list[str]:
    """Every attribute, nested ones included, that holds the generator's Unset."""
    found = []
    for field in attrs.fields(type(model)):
        value = getattr(model, field.name)
        if isinstance(value, Unset):
            found.append(f"{where}{field.name}")
        elif attrs.has(type(value)):
            found.extend(unset_fields(value, f"{where}{field.name}."))
    return found


# Each mutating and reading call whose answer is an instance or a span.
INSTANCE_CALLS = {
    "register": lambda c: c.agent_instances.register(
        agent_version={"name": "n", "external_identifier": "v1"},
        agent_schema_version={"external_identifier": "s1"},
    ),
    "start": lambda c: c.agent_instances.start("inst-1"),
    "finish": lambda c: c.agent_instances.finish("inst-1"),
    "get": lambda c: c.agent_instances.get("inst-1"),
    "record_quality": lambda c: c.agent_instances.record_quality("inst-1", "q", {"score": 1}),
}
SPAN_CALLS = {
    "create": lambda c: c.agent_spans.create(
        agent_instance_id="inst-1", schema_name="agent:llm", status="active"
    ),
    "finish": lambda c: c.agent_spans.finish("span-1"),
}


@pytest.mark.parametrize("call", INSTANCE_CALLS.values(), ids=list(INSTANCE_CALLS))
def test_an_instance_with_only_its_required_fields_reads_as_none(server, twin, call):
    """Every optional instance field left out reads as None, never as Unset."""
    server.expect_request(ANY_PATH).respond_with_json(success(INSTANCE_REQUIRED))

    instance = twin(call)

    assert isinstance(instance, AgentInstance)
    assert instance.agent_deployment_id == "dep-1"
    assert {name: getattr(instance, name) for name in INSTANCE_OPTIONAL} == dict.fromkeys(
        INSTANCE_OPTIONAL
    )
    assert unset_fields(instance) == []


@pytest.mark.parametrize("call", SPAN_CALLS.values(), ids=list(SPAN_CALLS))
def test_a_span_with_only_its_required_fields_reads_as_none(server, twin, call):
    """Every optional span field left out reads as None, and a missing payload as {}."""
    server.expect_request(ANY_PATH).respond_with_json(success(SPAN_REQUIRED))

    span = twin(call)

    assert isinstance(span, AgentSpan)
    assert span.payload == {}
    assert {name: getattr(span, name) for name in SPAN_OPTIONAL} == dict.fromkeys(SPAN_OPTIONAL)
    assert unset_fields(span) == []


def test_null_optional_fields_read_like_absent_ones(server, twin):
    """A null payload reads as {} and a null count as 0, as if they were left out."""
    server.expect_request("/api/v1/agent_spans").respond_with_json(
        success({**SPAN_REQUIRED, "payload": None})
    )
    server.expect_request("/api/v1/agent_instance/inst-1").respond_with_json(
        success({**INSTANCE_REQUIRED, "span_counts": {"total": 2, "active": None}})
    )

    span = twin(SPAN_CALLS["create"])
    instance = twin(INSTANCE_CALLS["get"])

    assert span.payload == {}
    assert instance.span_counts is not None
    assert attrs.asdict(
        instance.span_counts, filter=lambda a, _: a.name != "additional_properties"
    ) == {
        "total": 2,
        "active": 0,
        "complete": 0,
        "failed": 0,
        "cancelled": 0,
        "finished": 0,
    }


def test_a_timestamp_without_an_offset_reads_as_utc(server, twin):
    """A server time with no offset is taken as UTC, so it compares with aware datetimes."""
    server.expect_request("/api/v1/agent_instance/inst-1").respond_with_json(
        success(
            {
                **INSTANCE_REQUIRED,
                "inserted_at": "2026-11-22T14:13:05",
                "started_at": "2026-11-22T14:14:00.5",
            }
        )
    )

    instance = twin(INSTANCE_CALLS["get"])

    assert instance.inserted_at == datetime(2026, 11, 22, 14, 13, 5, tzinfo=UTC)
    assert instance.started_at == datetime(2026, 11, 22, 14, 14, 0, 500000, tzinfo=UTC)


def test_unknown_fields_and_statuses_pass_through(server, twin):
    """A field or a status value the spec does not know is kept, and readable by name."""
    server.expect_request("/api/v1/agent_spans/span-1/finish").respond_with_json(
        success({**SPAN_REQUIRED, "status": "paused", "cost_usd": 0.25})
    )

    span = twin(SPAN_CALLS["finish"])

    assert span.status == "paused"
    assert span["cost_usd"] == 0.25
    assert "cost_usd" in span
    assert span.to_dict()["cost_usd"] == 0.25


def test_a_declared_field_reads_by_name_as_an_undeclared_one_does(server, twin):
    """`span["summary"]` works as `span["cost_usd"]` does, so declaring a field breaks no caller."""
    server.expect_request("/api/v1/agent_spans/span-1/finish").respond_with_json(
        success({**SPAN_REQUIRED, "summary": "done", "payload": {"a": 1}})
    )

    span = twin(SPAN_CALLS["finish"])

    assert span["summary"] == "done"
    assert span["payload"] == {"a": 1}
    assert span["parent_span_id"] is None
    assert "summary" in span
    assert "parent_span_id" not in span
    with pytest.raises(KeyError):
        span["no_such_field"]


@pytest.mark.parametrize("missing", sorted(INSTANCE_REQUIRED))
def test_an_instance_without_a_required_field_is_a_contract_error(server, twin, missing):
    """What the caller needs must be there: each required field's absence is refused."""
    body = {k: v for k, v in INSTANCE_REQUIRED.items() if k != missing}
    server.expect_request("/api/v1/agent_instance/inst-1").respond_with_json(success(body))

    with pytest.raises(PrefactorResponseContractError):
        twin(INSTANCE_CALLS["get"])


@pytest.mark.parametrize("missing", sorted(SPAN_REQUIRED))
def test_a_span_without_a_required_field_is_a_contract_error(server, twin, missing):
    """Each required span field's absence is refused."""
    body = {k: v for k, v in SPAN_REQUIRED.items() if k != missing}
    server.expect_request("/api/v1/agent_spans/span-1/finish").respond_with_json(success(body))

    with pytest.raises(PrefactorResponseContractError):
        twin(SPAN_CALLS["finish"])


def test_a_sparse_envelope_without_status_reads(server, twin):
    """An envelope that carries `details` is enough: its `status` is not needed."""
    server.expect_request("/api/v1/agent_instance/inst-1").respond_with_json(
        {"details": INSTANCE_REQUIRED}
    )

    assert twin(INSTANCE_CALLS["get"]).id == "inst-1"


def test_a_bulk_answer_without_status_reads(server, twin):
    """A bulk answer needs its `outputs`; a missing `status` reads as "success"."""
    server.expect_request("/api/v1/bulk").respond_with_json(
        {"outputs": {"item-key-1": {"status": "success", "details": SPAN_REQUIRED}}}
    )
    item = BulkItem(_type="agent_spans/create", idempotency_key="item-key-1", agent_instance_id="i")

    response = twin(lambda c: c.bulk.execute(BulkRequest(items=[item])))

    assert response.status == "success"
    assert response.outputs["item-key-1"].details == SPAN_REQUIRED


# JSON the stdlib reads that a strict parser refuses: each must read as before.
LENIENT_BODIES = {
    "utf-8 BOM": b"\xef\xbb\xbf" + json.dumps(success(SPAN_REQUIRED)).encode(),
    "utf-16": json.dumps(success(SPAN_REQUIRED)).encode("utf-16"),
    "NaN": json.dumps(success({**SPAN_REQUIRED, "payload": {"score": float("nan")}})).encode(),
    "1e400": json.dumps(success(SPAN_REQUIRED))[:-2].encode() + b',"payload":{"x":1e400}}}',
    # Past 64 bits a fast parser may round to a float: it must stay an int.
    "big integers": json.dumps(
        success({**SPAN_REQUIRED, "payload": {"up": 2**70, "down": -(2**63) - 1}})
    ).encode(),
    "lone surrogate": json.dumps(success({**SPAN_REQUIRED, "payload": {"s": "\ud800"}})).encode(),
}


@pytest.mark.parametrize("body", LENIENT_BODIES.values(), ids=list(LENIENT_BODIES))
def test_json_the_stdlib_reads_still_reads(server, twin, body):
    """Answers parse with a fast parser, falling back to the stdlib for what it refuses."""
    server.expect_request(ANY_PATH).respond_with_data(body, content_type="application/json")

    span = twin(SPAN_CALLS["create"])

    assert span.id == SPAN_REQUIRED["id"]
    expected = json.loads(body)["details"].get("payload", {})
    assert repr(span.payload) == repr(expected)  # NaN != NaN, so compare as written
