"""One table of the API's operations, for every test that must cover all of them.

Each entry is an operationId of openapi.yaml with how to call it on any
client, what must exist first, and what the server must hold afterwards.
The wire tests, the fault matrix and the input checks run from this table,
and tests/client/test_operations.py fails when the spec has an operation that is
neither here nor in UNWRAPPED.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from prefactor_http import BulkItem, BulkRequest, SyncPrefactorHttpClient

VERSION = {"name": "Fault bot", "external_identifier": "v1"}
SCHEMA = {"external_identifier": "s1", "span_type_schemas": []}

# Operations of the spec the clients deliberately do not wrap, with the reason.
UNWRAPPED: dict[str, str] = {}


@dataclass(frozen=True)
class Operation:
    """One operation: what exists before it, the call, its effects and how to check them.

    `effects` is how many writes the server must record (0 for a read);
    `refused` makes the call with input the client must refuse before sending.
    """

    name: str  # the operationId
    method: str
    path: str  # the spec's template, as the server matches faults
    prepare: Callable[[SyncPrefactorHttpClient], dict[str, str]]
    call: Callable[[Any, dict[str, str]], Any]
    effects: int
    check: Callable[[dict[str, Any], dict[str, str], Any], None]
    refused: Callable[[Any], Any]


def _instance(client: SyncPrefactorHttpClient, *, started: bool) -> dict[str, str]:
    instance = client.agent_instances.register(agent_version=VERSION, agent_schema_version=SCHEMA)
    if started:
        client.agent_instances.start(instance.id)
    return {"instance": instance.id}


def _with_span(client: SyncPrefactorHttpClient) -> dict[str, str]:
    ids = _instance(client, started=True)
    span = client.agent_spans.create(ids["instance"], "agent:llm", "active", payload={"n": 1})
    return {**ids, "span": span.id}


def _check_registered(state: dict[str, Any], ids: dict[str, str], result: Any) -> None:
    assert len(state["instances"]) == 1
    if result is not None:
        assert list(state["instances"]) == [result.id]


def _check_instance(status: str) -> Callable[[dict[str, Any], dict[str, str], Any], None]:
    def check(state: dict[str, Any], ids: dict[str, str], result: Any) -> None:
        assert state["instances"][ids["instance"]]["status"] == status
        if result is not None:
            assert result.status == status

    return check


def _check_quality(state: dict[str, Any], ids: dict[str, str], result: Any) -> None:
    assert state["quality"][ids["instance"]] == {"helpfulness": {"s": 1}}
    if result is not None:
        assert result.id == ids["instance"]


def _check_span_created(state: dict[str, Any], ids: dict[str, str], result: Any) -> None:
    spans = [s for s in state["spans"].values() if s["payload"] == {"step": "fault"}]
    assert len(spans) == 1
    assert state["instances"][ids["instance"]]["span_counts"]["total"] == 1
    if result is not None:
        assert result.id == spans[0]["id"]


def _check_span_finished(state: dict[str, Any], ids: dict[str, str], result: Any) -> None:
    assert state["spans"][ids["span"]]["status"] == "complete"
    if result is not None:
        assert result.status == "complete"


def _check_bulk(state: dict[str, Any], ids: dict[str, str], result: Any) -> None:
    assert state["spans"][ids["span"]]["status"] == "complete"
    assert state["instances"][ids["instance"]]["status"] == "complete"
    if result is not None:
        assert result.ok
        assert list(result.outputs) == ["bulk-finish-span", "bulk-finish-instance"]


def _bulk(client: Any, ids: dict[str, str]) -> Any:
    items = [
        BulkItem(
            _type="agent_spans/finish",
            idempotency_key="bulk-finish-span",
            agent_span_id=ids["span"],
            status="complete",
        ),
        BulkItem(
            _type="agent_instances/finish",
            idempotency_key="bulk-finish-instance",
            agent_instance_id=ids["instance"],
            status="complete",
        ),
    ]
    return client.bulk.execute(BulkRequest(items=items))


def _agent(client: SyncPrefactorHttpClient, *, retired: bool = False) -> dict[str, str]:
    agent = client.agents.create({"name": "Fault agent", "team_id": "team-1"})
    if retired:
        client.agents.retire(agent.id)
    return {"agent": agent.id}


def _check_agent(**expected: Any) -> Callable[[dict[str, Any], dict[str, str], Any], None]:
    def check(state: dict[str, Any], ids: dict[str, str], result: Any) -> None:
        stored = state["agents"][ids["agent"]]
        assert {name: stored[name] for name in expected} == expected
        if result is not None:
            assert {name: getattr(result, name) for name in expected} == expected

    return check


def _check_agent_created(state: dict[str, Any], ids: dict[str, str], result: Any) -> None:
    assert len(state["agents"]) == 1
    if result is not None:
        assert list(state["agents"]) == [result.id]


def _check_agent_deleted(state: dict[str, Any], ids: dict[str, str], result: Any) -> None:
    assert state["agents"] == {}
    if result is not None:
        assert result.id == ids["agent"]


def _check_read(key: str) -> Callable[[dict[str, Any], dict[str, str], Any], None]:
    """A read: the answer is the stored resource `ids[key]` names."""

    def check(state: dict[str, Any], ids: dict[str, str], result: Any) -> None:
        if result is not None:
            assert result.id == ids[key]

    return check


def _check_listed(state: dict[str, Any], ids: dict[str, str], result: Any) -> None:
    if result is not None:
        assert [agent.id for agent in result] == [ids["agent"]]


def _check_ping(state: dict[str, Any], ids: dict[str, str], result: Any) -> None:
    if result is not None:
        assert result["status"] == "success"


def _finish_span(c: Any, span_id: str) -> Any:
    return c.agent_spans.finish(span_id, status="complete")


OPERATIONS = [
    Operation(
        "ping",
        "GET",
        "/api/v1/ping",
        lambda client: {},
        lambda c, ids: c.validate_token(),
        0,
        _check_ping,
        lambda c: c.validate_token(timeout=-1),
    ),
    Operation(
        "registerAgentInstance",
        "POST",
        "/api/v1/agent_instance/register",
        lambda client: {},
        lambda c, ids: c.agent_instances.register(
            agent_version=VERSION, agent_schema_version=SCHEMA
        ),
        1,
        _check_registered,
        lambda c: c.agent_instances.register(agent_version={}, agent_schema_version=SCHEMA),
    ),
    Operation(
        "getAgentInstance",
        "GET",
        "/api/v1/agent_instance/{agent_instance_id}",
        lambda client: _instance(client, started=False),
        lambda c, ids: c.agent_instances.get(ids["instance"]),
        0,
        _check_read("instance"),
        lambda c: c.agent_instances.get(""),
    ),
    Operation(
        "startAgentInstance",
        "POST",
        "/api/v1/agent_instance/{agent_instance_id}/start",
        lambda client: _instance(client, started=False),
        lambda c, ids: c.agent_instances.start(ids["instance"]),
        1,
        _check_instance("active"),
        lambda c: c.agent_instances.start("inst-1", timestamp="yesterday"),
    ),
    Operation(
        "finishAgentInstance",
        "POST",
        "/api/v1/agent_instance/{agent_instance_id}/finish",
        lambda client: _instance(client, started=True),
        lambda c, ids: c.agent_instances.finish(ids["instance"], status="complete"),
        1,
        _check_instance("complete"),
        lambda c: c.agent_instances.finish("inst-1", status="done"),
    ),
    Operation(
        "recordAgentInstanceQuality",
        "POST",
        "/api/v1/agent_instance/{agent_instance_id}/record_quality",
        lambda client: _instance(client, started=True),
        lambda c, ids: c.agent_instances.record_quality(ids["instance"], "helpfulness", {"s": 1}),
        1,
        _check_quality,
        lambda c: c.agent_instances.record_quality("inst-1", "", {"s": 1}),
    ),
    Operation(
        "createAgentSpan",
        "POST",
        "/api/v1/agent_spans",
        lambda client: _instance(client, started=True),
        lambda c, ids: c.agent_spans.create(
            ids["instance"], "agent:tool", "active", payload={"step": "fault"}
        ),
        1,
        _check_span_created,
        lambda c: c.agent_spans.create("inst-1", "agent:tool", "running"),
    ),
    Operation(
        "finishAgentSpan",
        "POST",
        "/api/v1/agent_spans/{agent_span_id}/finish",
        _with_span,
        lambda c, ids: _finish_span(c, ids["span"]),
        1,
        _check_span_finished,
        lambda c: c.agent_spans.finish("span-1", result_payload=["not", "an", "object"]),
    ),
    Operation(
        "executeBulk",
        "POST",
        "/api/v1/bulk",
        _with_span,
        _bulk,
        2,
        _check_bulk,
        lambda c: c.bulk.execute({"items": []}),
    ),
    Operation(
        "createAgent",
        "POST",
        "/api/v1/agent",
        lambda client: {},
        lambda c, ids: c.agents.create({"name": "Fault agent"}),
        1,
        _check_agent_created,
        lambda c: c.agents.create({"name": ""}),
    ),
    Operation(
        "listAgents",
        "GET",
        "/api/v1/agent",
        _agent,
        lambda c, ids: c.agents.list_agents(),
        0,
        _check_listed,
        lambda c: c.agents.list_agents(page_size=0),
    ),
    Operation(
        "showAgent",
        "GET",
        "/api/v1/agent/show",
        _agent,
        lambda c, ids: c.agents.show(agent_id=ids["agent"]),
        0,
        _check_read("agent"),
        lambda c: c.agents.show(),
    ),
    Operation(
        "getAgent",
        "GET",
        "/api/v1/agent/{agent_id}",
        _agent,
        lambda c, ids: c.agents.get(ids["agent"]),
        0,
        _check_read("agent"),
        lambda c: c.agents.get(""),
    ),
    Operation(
        "updateAgent",
        "PUT",
        "/api/v1/agent/{agent_id}",
        _agent,
        lambda c, ids: c.agents.update(ids["agent"], {"name": "Renamed"}, clear=["team_id"]),
        1,
        _check_agent(name="Renamed", team_id=None),
        lambda c: c.agents.update("agent-1", {"name": "x"}, clear=["name"]),
    ),
    Operation(
        "deleteAgent",
        "DELETE",
        "/api/v1/agent/{agent_id}",
        _agent,
        lambda c, ids: c.agents.delete(ids["agent"]),
        1,
        _check_agent_deleted,
        lambda c: c.agents.delete("", idempotency_key="k"),
    ),
    Operation(
        "retireAgent",
        "POST",
        "/api/v1/agent/{agent_id}/retire",
        _agent,
        lambda c, ids: c.agents.retire(ids["agent"]),
        1,
        _check_agent(status="retired"),
        lambda c: c.agents.retire("agent-1", idempotency_key="café"),
    ),
    Operation(
        "reinstateAgent",
        "POST",
        "/api/v1/agent/{agent_id}/reinstate",
        lambda client: _agent(client, retired=True),
        lambda c, ids: c.agents.reinstate(ids["agent"]),
        1,
        _check_agent(status="pending"),
        lambda c: c.agents.reinstate("agent-1", idempotency_key="a\nb"),
    ),
]
