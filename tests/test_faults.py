"""Exactly once under faults: every fault against every mutating operation, on both clients.

Each case runs against the local server (which honours idempotency keys as
the API does), arms one fault for the operation's first request, makes the
call, and checks what the caller got and what the server stored: one effect
per logical call (one per item for bulk), never two, never none. The matrix
runs against a full server and a sparse one (null fields left out of answers).
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from conftest import AUTO_KEY, Twin

from prefactor_http import (
    BulkItem,
    BulkRequest,
    HttpClientConfig,
    PrefactorResponseContractError,
    SyncPrefactorHttpClient,
)
from prefactor_http.server import Fault, LocalServer

READ_TIMEOUT = 0.2
STALL = 0.5
VERSION = {"name": "Fault bot", "external_identifier": "v1"}
SCHEMA = {"external_identifier": "s1", "span_type_schemas": []}


@dataclass(frozen=True)
class FaultCase:
    """A fault armed on the operation's first request, and what the caller should get."""

    name: str
    fault: Fault | None  # None: the server is down (connection refused) at first
    raises: type[Exception] | None = None


FAULTS = [
    FaultCase("500", Fault.status(500)),
    FaultCase("502", Fault.status(502)),
    FaultCase("503", Fault.status(503)),
    FaultCase("504", Fault.status(504)),
    FaultCase("429", Fault.status(429)),
    FaultCase("429+Retry-After", Fault.status(429, retry_after="1")),
    FaultCase("commit-then-503", Fault.status(503, commit=True)),
    FaultCase("commit-then-reset", Fault.drop(commit=True)),
    FaultCase("connection-refused", None),
    FaultCase("stall-past-read-timeout", Fault.delay(STALL)),
    FaultCase("html-502", Fault.status(502, html=True)),
    FaultCase(
        "empty-200", Fault.body(200, b"", commit=True), raises=PrefactorResponseContractError
    ),
    FaultCase(
        "json-array-200", Fault.body(200, b"[]", commit=True), raises=PrefactorResponseContractError
    ),
]


@dataclass(frozen=True)
class Operation:
    """One mutating call: what exists before it, the call, and the effects it must leave."""

    name: str
    method: str
    path: str  # the spec's template, as the server matches faults
    prepare: Callable[[SyncPrefactorHttpClient], dict[str, str]]
    call: Callable[[Any, dict[str, str]], Any]
    effects: int
    check: Callable[[dict[str, Any], dict[str, str], Any], None]


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


OPERATIONS = [
    Operation(
        "register",
        "POST",
        "/api/v1/agent_instance/register",
        lambda client: {},
        lambda c, ids: c.agent_instances.register(
            agent_version=VERSION, agent_schema_version=SCHEMA
        ),
        1,
        _check_registered,
    ),
    Operation(
        "start",
        "POST",
        "/api/v1/agent_instance/{agent_instance_id}/start",
        lambda client: _instance(client, started=False),
        lambda c, ids: c.agent_instances.start(ids["instance"]),
        1,
        _check_instance("active"),
    ),
    Operation(
        "finish",
        "POST",
        "/api/v1/agent_instance/{agent_instance_id}/finish",
        lambda client: _instance(client, started=True),
        lambda c, ids: c.agent_instances.finish(ids["instance"], status="complete"),
        1,
        _check_instance("complete"),
    ),
    Operation(
        "span-create",
        "POST",
        "/api/v1/agent_spans",
        lambda client: _instance(client, started=True),
        lambda c, ids: c.agent_spans.create(
            ids["instance"], "agent:tool", "active", payload={"step": "fault"}
        ),
        1,
        _check_span_created,
    ),
    Operation(
        "span-finish",
        "POST",
        "/api/v1/agent_spans/{agent_span_id}/finish",
        _with_span,
        lambda c, ids: c.agent_spans.finish(ids["span"], status="complete"),
        1,
        _check_span_finished,
    ),
    Operation("bulk", "POST", "/api/v1/bulk", _with_span, _bulk, 2, _check_bulk),
    Operation(
        "agent-create",
        "POST",
        "/api/v1/agent",
        lambda client: {},
        lambda c, ids: c.agents.create({"name": "Fault agent"}),
        1,
        _check_agent_created,
    ),
    Operation(
        "agent-update",
        "PUT",
        "/api/v1/agent/{agent_id}",
        _agent,
        lambda c, ids: c.agents.update(ids["agent"], {"name": "Renamed"}, clear=["team_id"]),
        1,
        _check_agent(name="Renamed", team_id=None),
    ),
    Operation(
        "agent-retire",
        "POST",
        "/api/v1/agent/{agent_id}/retire",
        _agent,
        lambda c, ids: c.agents.retire(ids["agent"]),
        1,
        _check_agent(status="retired"),
    ),
    Operation(
        "agent-reinstate",
        "POST",
        "/api/v1/agent/{agent_id}/reinstate",
        lambda client: _agent(client, retired=True),
        lambda c, ids: c.agents.reinstate(ids["agent"]),
        1,
        _check_agent(status="pending"),
    ),
    Operation(
        "agent-delete",
        "DELETE",
        "/api/v1/agent/{agent_id}",
        _agent,
        lambda c, ids: c.agents.delete(ids["agent"]),
        1,
        _check_agent_deleted,
    ),
]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module", params=["full", "sparse"])
def local(request: pytest.FixtureRequest) -> Iterator[LocalServer]:
    """One server per answer mode, on a fixed port so it can stop and start at the same URL."""
    with LocalServer(port=_free_port(), sparse=request.param == "sparse") as server:
        yield server


@pytest.fixture(params=["async", "sync"])
def driver(request: pytest.FixtureRequest, local: LocalServer) -> Iterator[Twin]:
    def make_config(**overrides: Any) -> HttpClientConfig:
        settings: dict[str, Any] = {
            "api_url": local.url,
            "api_token": local.token,
            "request_timeout": READ_TIMEOUT,
            "connect_timeout": READ_TIMEOUT,
            "max_retries": 30,
            "initial_retry_delay": 0.02,
            "max_retry_delay": 0.05,
        }
        return HttpClientConfig(**{**settings, **overrides})

    local.reset()
    twin = Twin(request.param, make_config)
    yield twin
    twin.close()


@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda op: op.name)
@pytest.mark.parametrize("case", FAULTS, ids=lambda case: case.name)
def test_each_call_acts_exactly_once_under_each_fault(local, driver, case, operation):
    """The caller gets the result (or the typed error) and the server holds one effect."""
    config = HttpClientConfig(api_url=local.url, api_token=local.token, max_retries=0)
    with SyncPrefactorHttpClient(config) as setup:
        ids = operation.prepare(setup)
    before = len(local.effects)
    seen = len(local.requests)

    restart = _arm(local, case, operation)
    try:
        if case.raises is None:
            result = driver(lambda c: operation.call(c, ids))
        else:
            with pytest.raises(case.raises):
                driver(lambda c: operation.call(c, ids))
            result = None
    finally:
        if restart is not None:
            restart.join()
    local.wait_idle()  # a stalled first attempt must finish before effects are counted

    effects = local.effects[before:]
    assert len(effects) == operation.effects, effects
    assert len({effect.idempotency_key for effect in effects}) == operation.effects
    operation.check(local.state(), ids, result)
    attempts = local.requests[seen:]
    assert attempts, "the call never reached the server"
    header_keys = {request.headers.get("idempotency-key") for request in attempts}
    assert len(header_keys) == 1, header_keys
    assert AUTO_KEY.match(header_keys.pop() or "")
    assert local.pending_faults == []


def _arm(local: LocalServer, case: FaultCase, operation: Operation) -> threading.Thread | None:
    """Queue the fault; for a refused connection, stop the server and start it again soon."""
    if case.fault is not None:
        local.inject(case.fault, method=operation.method, path=operation.path)
        return None
    local.stop()
    restart = threading.Timer(0.3, local.start)
    restart.start()
    return restart
