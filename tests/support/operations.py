"""One table of the API's operations, for every test that must cover all of them.

Every operationId of openapi.yaml is an entry, with how to call it on any
client, what must exist first, and what the server must hold afterwards.
Method and path come from the spec. An operation of a generated group that
has no hand-written entry below gets one derived from the spec: what its
path names is made first, its required fields are sampled from their
schemas, a write must leave one effect, and a bad value for its first
parameter must be refused. So a new endpoint runs through the wire tests,
the fault matrix and the input checks with no edit here.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from conftest import SPEC

from prefactor_http import BulkItem, BulkRequest, SyncPrefactorHttpClient

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
from spec_model import Spec, read_operation

VERSION = {"name": "Fault bot", "external_identifier": "v1"}
SCHEMA = {"external_identifier": "s1", "span_type_schemas": []}

# Operations of the spec the clients deliberately do not wrap, with the reason.
UNWRAPPED: dict[str, str] = {}


SPEC_OPERATIONS = {
    op["operationId"]: (method.upper(), path, op)
    for path, methods in SPEC["paths"].items()
    for method, op in methods.items()
}


@dataclass(frozen=True)
class Operation:
    """One operation: what exists before it, the call, its effects and how to check them.

    `effects` is how many writes the server must record (0 for a read);
    `refused` makes the call with input the client must refuse before sending.
    """

    name: str  # the operationId
    prepare: Callable[[SyncPrefactorHttpClient], dict[str, str]]
    call: Callable[[Any, dict[str, str]], Any]
    effects: int
    check: Callable[[dict[str, Any], dict[str, str], Any], None]
    refused: Callable[[Any], Any]

    @property
    def method(self) -> str:
        return SPEC_OPERATIONS[self.name][0]

    @property
    def path(self) -> str:
        """The spec's template, as the server matches faults."""
        return SPEC_OPERATIONS[self.name][1]


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


HANDWRITTEN = [
    Operation(
        "ping",
        lambda client: {},
        lambda c, ids: c.validate_token(),
        0,
        _check_ping,
        lambda c: c.validate_token(timeout=-1),
    ),
    Operation(
        "registerAgentInstance",
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
        lambda client: _instance(client, started=False),
        lambda c, ids: c.agent_instances.get(ids["instance"]),
        0,
        _check_read("instance"),
        lambda c: c.agent_instances.get(""),
    ),
    Operation(
        "startAgentInstance",
        lambda client: _instance(client, started=False),
        lambda c, ids: c.agent_instances.start(ids["instance"]),
        1,
        _check_instance("active"),
        lambda c: c.agent_instances.start("inst-1", timestamp="yesterday"),
    ),
    Operation(
        "finishAgentInstance",
        lambda client: _instance(client, started=True),
        lambda c, ids: c.agent_instances.finish(ids["instance"], status="complete"),
        1,
        _check_instance("complete"),
        lambda c: c.agent_instances.finish("inst-1", status="done"),
    ),
    Operation(
        "recordAgentInstanceQuality",
        lambda client: _instance(client, started=True),
        lambda c, ids: c.agent_instances.record_quality(ids["instance"], "helpfulness", {"s": 1}),
        1,
        _check_quality,
        lambda c: c.agent_instances.record_quality("inst-1", "", {"s": 1}),
    ),
    Operation(
        "createAgentSpan",
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
        _with_span,
        lambda c, ids: _finish_span(c, ids["span"]),
        1,
        _check_span_finished,
        lambda c: c.agent_spans.finish("span-1", result_payload=["not", "an", "object"]),
    ),
    Operation(
        "executeBulk",
        _with_span,
        _bulk,
        2,
        _check_bulk,
        lambda c: c.bulk.execute({"items": []}),
    ),
    Operation(
        "createAgent",
        lambda client: {},
        lambda c, ids: c.agents.create({"name": "Fault agent"}),
        1,
        _check_agent_created,
        lambda c: c.agents.create({"name": ""}),
    ),
    Operation(
        "listAgents",
        _agent,
        lambda c, ids: c.agents.list_agents(),
        0,
        _check_listed,
        lambda c: c.agents.list_agents(page_size=0),
    ),
    Operation(
        "showAgent",
        _agent,
        lambda c, ids: c.agents.show(agent_id=ids["agent"]),
        0,
        _check_read("agent"),
        lambda c: c.agents.show(),
    ),
    Operation(
        "getAgent",
        _agent,
        lambda c, ids: c.agents.get(ids["agent"]),
        0,
        _check_read("agent"),
        lambda c: c.agents.get(""),
    ),
    Operation(
        "updateAgent",
        _agent,
        lambda c, ids: c.agents.update(ids["agent"], {"name": "Renamed"}, clear=["team_id"]),
        1,
        _check_agent(name="Renamed", team_id=None),
        lambda c: c.agents.update("agent-1", {"name": "x"}, clear=["name"]),
    ),
    Operation(
        "deleteAgent",
        _agent,
        lambda c, ids: c.agents.delete(ids["agent"]),
        1,
        _check_agent_deleted,
        lambda c: c.agents.delete("", idempotency_key="k"),
    ),
    Operation(
        "retireAgent",
        _agent,
        lambda c, ids: c.agents.retire(ids["agent"]),
        1,
        _check_agent(status="retired"),
        lambda c: c.agents.retire("agent-1", idempotency_key="café"),
    ),
    Operation(
        "reinstateAgent",
        lambda client: _agent(client, retired=True),
        lambda c, ids: c.agents.reinstate(ids["agent"]),
        1,
        _check_agent(status="pending"),
        lambda c: c.agents.reinstate("agent-1", idempotency_key="a\nb"),
    ),
]


# What a path parameter names, made before a derived entry's call: (ids key, how to make it).
MADE_FOR: dict[str, tuple[str, Callable[[SyncPrefactorHttpClient], dict[str, str]]]] = {
    "agent_instance_id": ("instance", lambda client: _instance(client, started=False)),
    "agent_span_id": ("span", _with_span),
    "agent_id": ("agent", _agent),
}


def _sample(schema: dict[str, Any]) -> Any:
    """A valid value of a required field: its first enum value, "x", 1, True or an object."""
    shape = Spec(SPEC).shape(schema)
    inner = shape.schema
    if "enum" in inner:
        return inner["enum"][0]
    if shape.name == "JsonObject" or (inner.get("type") == "object" and not inner.get("required")):
        return {}
    kind = inner.get("type")
    if kind == "object":
        return {name: _sample(inner["properties"][name]) for name in inner["required"]}
    return {"string": "x", "integer": 1, "boolean": True, "array": []}[kind]


def derived(name: str) -> Operation:
    """The entry of an operation, read from the spec alone."""
    method_name, path, op = SPEC_OPERATIONS[name]
    # The parameters as the generated method takes them (path, query, body, the flattened object).
    params = read_operation(Spec(SPEC), path, method_name.lower(), op).params
    one_of = op.get("x-exactly-one-of", [])[:1]
    # What must be made first: what the path names, the first of an exactly-one-of, an id the
    # body requires.
    made = [
        p.name
        for p in params
        if p.where == "path" or p.name in one_of or (p.required and p.name in MADE_FOR)
    ]
    unknown = [p for p in made if p not in MADE_FOR]
    assert not unknown, f"{name}: tests/support/operations.py cannot make what {unknown} names yet"
    required = {
        p.name: _sample(p.schema)
        for p in params
        if p.required and p.where in ("body", "nested") and p.name not in made
    }
    first = [p.name for p in params]
    assert first, f"{name}: no parameter to give a bad value"

    def prepare(client: SyncPrefactorHttpClient) -> dict[str, str]:
        ids: dict[str, str] = {}
        for parameter in made:
            ids.update(MADE_FOR[parameter][1](client))
        return ids

    def method(client: Any) -> Any:
        return getattr(getattr(client, op["tags"][0]), op["x-method"])

    def call(client: Any, ids: dict[str, str]) -> Any:
        targets = {p: ids[MADE_FOR[p][0]] for p in made}
        return method(client)(**targets, **required)

    def refused(client: Any) -> Any:
        given = {**{p: "x" for p in made}, **required, first[0]: object()}
        return method(client)(**given)

    def check(state: dict[str, Any], ids: dict[str, str], result: Any) -> None:
        # What holds for any operation: its answer was read into a generated model (or a
        # page's list of them); a write's effects are counted by the tests themselves.
        if result is not None:
            assert all(
                hasattr(r, "to_dict") for r in (result if isinstance(result, list) else [result])
            )

    return Operation(name, prepare, call, effects(name), check, refused)


def effects(name: str) -> int:
    return 0 if SPEC_OPERATIONS[name][0] == "GET" else 1


GENERATED_GROUPS = {tag["name"] for tag in SPEC["tags"] if "x-handwritten" not in tag}
# Every operation of a generated group, derived even where a hand-written entry exists:
# the tests run both, so the derivation is proven on the operations the spec has today.
DERIVED = [
    derived(name)
    for name, (_, _, op) in SPEC_OPERATIONS.items()
    if GENERATED_GROUPS & set(op["tags"])
]
_WRITTEN = {operation.name for operation in HANDWRITTEN}
OPERATIONS = HANDWRITTEN + [
    operation
    for operation in DERIVED
    if operation.name not in _WRITTEN and operation.name not in UNWRAPPED
]
