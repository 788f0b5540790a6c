"""Agents calls: what each sends and what the caller gets back, on every client kind."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
from conftest import TOO_LONG_KEY, auto_key, error, sent, success
from werkzeug import Request, Response

from prefactor_http import PrefactorResponseContractError, PrefactorValidationError
from prefactor_http._generated import limits
from prefactor_http.exceptions import PrefactorServerError
from prefactor_http.models.agent import (
    Agent,
    AgentAvailableActions,
    AgentForCreate,
    AgentForUpdate,
    AgentInstanceCounts,
    AgentSummary,
)

# One past the largest page the spec allows.
PAGE_SIZE_OVER = limits.AGENT_PAGE_SIZE_MAX + 1


def agent_json(**overrides: Any) -> dict[str, Any]:
    """An Agent as the API sends it."""
    body: dict[str, Any] = {
        "type": "agent",
        "id": "agent-1",
        "name": "Support bot",
        "status": "pending",
        "description": "Answers tickets",
        "external_identifier": "support-bot",
        "owner_person_id": "person-1",
        "risk_profile_id": "risk-1",
        "team_id": "team-1",
        "instance_counts": None,
        "available_actions": {"update": True, "retire": True, "reinstate": False, "delete": True},
        "inserted_at": "2026-11-22T14:13:05+00:00",
        "updated_at": "2026-11-22T14:13:05+00:00",
    }
    body.update(overrides)
    return body


def summary_json(**overrides: Any) -> dict[str, Any]:
    """An AgentSummary: an Agent without risk_profile_id and instance_counts."""
    body = agent_json(**overrides)
    for name in ("risk_profile_id", "instance_counts"):
        body.pop(name, None)
    return body


def query(path: str) -> list[tuple[str, str]]:
    return parse_qsl(urlsplit(path).query, keep_blank_values=True)


def test_create_wraps_the_details_and_returns_the_agent(server, twin):
    """create posts {details, idempotency_key} and returns a typed Agent."""
    server.expect_request("/api/v1/agent", method="POST").respond_with_json(success(agent_json()))

    agent = twin(
        lambda c: c.agents.create(
            AgentForCreate(
                name="Support bot",
                description="Answers tickets",
                external_identifier="support-bot",
                id="agent-1",
                owner_person_id="person-1",
                risk_profile_id="risk-1",
                team_id="team-1",
            ),
            idempotency_key="create-agent-1",
        )
    )

    [(method, path, headers, body)] = sent(server)
    assert (method, path) == ("POST", "/api/v1/agent")
    assert headers["idempotency-key"] == "create-agent-1"
    assert body == {
        "details": {
            "name": "Support bot",
            "description": "Answers tickets",
            "external_identifier": "support-bot",
            "id": "agent-1",
            "owner_person_id": "person-1",
            "risk_profile_id": "risk-1",
            "team_id": "team-1",
        },
        "idempotency_key": "create-agent-1",
    }
    assert isinstance(agent, Agent)
    assert (agent.id, agent.status, agent.team_id) == ("agent-1", "pending", "team-1")
    assert agent.available_actions == AgentAvailableActions(update=True, retire=True, delete=True)


def test_create_takes_a_dict_and_makes_a_key(server, twin):
    """A dict of AgentForCreate's fields works too; None fields are left out, a key is made."""
    server.expect_request("/api/v1/agent", method="POST").respond_with_json(success(agent_json()))

    twin(lambda c: c.agents.create({"name": "Support bot", "team_id": None}))

    [(_, _, headers, body)] = sent(server)
    assert auto_key(body) == {"details": {"name": "Support bot"}}
    assert headers["idempotency-key"] == body["idempotency_key"]


def test_get_fetches_one_agent(server, twin):
    """get is a GET on the agent's path, with no key."""
    server.expect_request("/api/v1/agent/agent/1", method="GET").respond_with_json(
        success(agent_json(id="agent/1"))
    )

    agent = twin(lambda c: c.agents.get("agent/1"))

    [(method, path, headers, body)] = sent(server)
    assert (method, path, body) == ("GET", "/api/v1/agent/agent%2F1", None)
    assert "idempotency-key" not in headers
    assert agent.id == "agent/1"


def test_update_sends_only_given_fields_and_explicit_nulls_to_clear(server, twin):
    """update PUTs the given fields; `clear` sends null for the ids it names."""
    server.expect_request("/api/v1/agent/agent-1", method="PUT").respond_with_json(
        success(agent_json(name="Renamed", team_id=None, owner_person_id=None))
    )

    agent = twin(
        lambda c: c.agents.update(
            "agent-1",
            AgentForUpdate(name="Renamed"),
            "update-agent-1",
            clear=["team_id", "owner_person_id"],
        )
    )

    [(method, path, headers, body)] = sent(server)
    assert (method, path) == ("PUT", "/api/v1/agent/agent-1")
    assert headers["idempotency-key"] == "update-agent-1"
    assert body == {
        "details": {"name": "Renamed", "team_id": None, "owner_person_id": None},
        "idempotency_key": "update-agent-1",
    }
    assert (agent.name, agent.team_id, agent.owner_person_id) == ("Renamed", None, None)


def test_list_agents_sends_the_documented_query_and_returns_summaries(server, twin):
    """Filters, sorting and the bracketed paging parameters go in the query."""
    page = {
        "status": "success",
        "summaries": [summary_json(), summary_json(id="agent-2", name="Triage")],
        "pagination": None,
        "sorting": {"field": "name", "direction": "desc"},
    }
    server.expect_request("/api/v1/agent", method="GET").respond_with_json(page)

    agents = twin(
        lambda c: c.agents.list_agents(
            risk_profile_id="risk-1",
            team_id="team-1",
            owner_person_id="person-1",
            sorting="-name",
            offset=0,
            page_size=limits.AGENT_PAGE_SIZE_MAX,
        )
    )

    [(method, path, headers, body)] = sent(server)
    assert method == "GET"
    assert body is None
    assert "idempotency-key" not in headers
    assert sorted(query(path)) == [
        ("owner_person_id", "person-1"),
        ("pagination[offset]", "0"),
        ("pagination[page_size]", str(limits.AGENT_PAGE_SIZE_MAX)),
        ("risk_profile_id", "risk-1"),
        ("sorting", "-name"),
        ("team_id", "team-1"),
    ]
    assert [type(a) for a in agents] == [AgentSummary, AgentSummary]
    assert [a.name for a in agents] == ["Support bot", "Triage"]


def test_list_agents_without_arguments_sends_no_query(server, twin):
    """Nothing given, nothing sent: the API's defaults apply."""
    server.expect_request("/api/v1/agent", method="GET").respond_with_json(
        {"status": "success", "summaries": []}
    )

    assert twin(lambda c: c.agents.list_agents()) == []

    [(_, path, _, _)] = sent(server)
    assert path == "/api/v1/agent"


def test_list_page_returns_pagination_and_sorting(server, twin):
    """list_page gives the whole answer, read leniently."""
    pagination = {"item_count": 3, "page_size": 2, "next_page_offset": 2}
    server.expect_request("/api/v1/agent", method="GET").respond_with_json(
        {"status": "success", "summaries": [summary_json()], "pagination": pagination}
    )

    page = twin(lambda c: c.agents.list_page(page_size=2))

    assert page.pagination.next_page_offset == 2
    assert page.pagination.item_start is None
    assert page.sorting is None


def pager(total: int):
    """A handler serving `total` agents in pages, as the API does, from the query."""

    def handle(request: Request) -> Response:
        offset = int(request.args.get("pagination[offset]", "0"))
        size = int(request.args["pagination[page_size]"])
        end = min(offset + size, total)
        body = {
            "status": "success",
            "summaries": [summary_json(id=f"agent-{i}") for i in range(offset, end)],
            "pagination": {"next_page_offset": end if end < total else None},
        }
        return Response(json.dumps(body), 200, content_type="application/json")

    return handle


async def _collect(pages: Any) -> list[Any]:
    return [agent async for agent in pages]


def every_agent(twin: Any, **arguments: Any) -> list[Any]:
    """iter_agents walked with `async for` on an async client, `for` on the blocking one."""
    if twin.is_async:
        return twin(lambda c: _collect(c.agents.iter_agents(**arguments)))  # type: ignore[no-any-return]
    return list(twin.client.agents.iter_agents(**arguments))


def test_iter_agents_follows_next_page_offset_to_the_last_page(server, twin):
    """Every agent of every page, in order, one request per page, filters kept."""
    server.expect_request("/api/v1/agent", method="GET").respond_with_handler(pager(5))

    agents = every_agent(twin, team_id="team-1", sorting="name", page_size=2)

    assert [a.id for a in agents] == [f"agent-{i}" for i in range(5)]
    paths = [path for _, path, _, _ in sent(server)]
    assert [dict(query(p)).get("pagination[offset]") for p in paths] == [None, "2", "4"]
    assert all(dict(query(p))["team_id"] == "team-1" for p in paths)
    assert all(dict(query(p))["sorting"] == "name" for p in paths)


def test_iter_agents_asks_for_nothing_before_iteration(server, twin):
    """Making the iterator sends nothing; bad arguments are refused at once."""
    pages = twin.client.agents.iter_agents()
    assert sent(server) == []
    assert hasattr(pages, "__anext__" if twin.is_async else "__next__")
    with pytest.raises(PrefactorValidationError):
        twin.client.agents.iter_agents(page_size=PAGE_SIZE_OVER)


def test_iter_agents_ends_on_an_unpaged_answer(server, twin):
    """An answer without pagination holds everything: one request."""
    server.expect_request("/api/v1/agent", method="GET").respond_with_json(
        {"status": "success", "summaries": [summary_json()]}
    )

    assert [a.id for a in every_agent(twin)] == ["agent-1"]
    assert len(sent(server)) == 1


def test_iter_agents_refuses_a_next_page_that_goes_nowhere(server, twin):
    """A next_page_offset that does not move forward would loop: a contract error instead."""
    server.expect_request("/api/v1/agent", method="GET").respond_with_json(
        {"status": "success", "summaries": [summary_json()], "pagination": {"next_page_offset": 0}}
    )

    with pytest.raises(PrefactorResponseContractError, match="does not move past offset 0"):
        every_agent(twin)


def test_show_sends_the_query_flags_as_true_strings(server, twin):
    """show sends one name of the agent, environment_id and the flags as "true"."""
    counts = {"total": 2, "active": 1, "complete": 1, "finished": 1}
    server.expect_request("/api/v1/agent/show", method="GET").respond_with_json(
        success(agent_json(instance_counts=counts, risk_rollup={"level": "low"}))
    )

    agent = twin(
        lambda c: c.agents.show(
            external_identifier="support-bot",
            environment_id="env-1",
            include_counts=True,
            include_risk_rollup=True,
        )
    )

    [(method, path, _, body)] = sent(server)
    assert (method, body) == ("GET", None)
    assert sorted(query(path)) == [
        ("environment_id", "env-1"),
        ("external_identifier", "support-bot"),
        ("include_counts", "true"),
        ("include_risk_rollup", "true"),
    ]
    assert agent.instance_counts == AgentInstanceCounts(total=2, active=1, complete=1, finished=1)
    assert agent.instance_counts.terminated == 0
    assert agent.additional_properties["risk_rollup"] == {"level": "low"}


def test_show_leaves_out_flags_not_asked_for(server, twin):
    """False flags are not sent at all."""
    server.expect_request("/api/v1/agent/show", method="GET").respond_with_json(
        success(agent_json())
    )

    twin(lambda c: c.agents.show(agent_id="agent-1"))

    [(_, path, _, _)] = sent(server)
    assert query(path) == [("agent_id", "agent-1")]


@pytest.mark.parametrize(
    ("verb", "method", "suffix"),
    [("retire", "POST", "/retire"), ("reinstate", "POST", "/reinstate"), ("delete", "DELETE", "")],
)
def test_lifecycle_calls_send_only_the_key(server, twin, verb, method, suffix):
    """retire and reinstate POST {idempotency_key}; delete sends it as a JSON body too."""
    server.expect_request(f"/api/v1/agent/agent-1{suffix}", method=method).respond_with_json(
        success(agent_json(status="retired"))
    )

    agent = twin(lambda c: getattr(c.agents, verb)("agent-1", idempotency_key=f"{verb}-key-1"))

    [(sent_method, path, headers, body)] = sent(server)
    assert (sent_method, path) == (method, f"/api/v1/agent/agent-1{suffix}")
    assert body == {"idempotency_key": f"{verb}-key-1"}
    assert headers["idempotency-key"] == f"{verb}-key-1"
    assert headers["content-type"] == "application/json"
    assert agent.status == "retired"


def test_an_answer_with_only_the_required_fields_reads_as_none(server, twin):
    """Tolerant reading: optional fields absent read as None, missing actions as False."""
    server.expect_request("/api/v1/agent/agent-1", method="GET").respond_with_json(
        success({"type": "agent", "id": "agent-1", "name": "Bot", "status": "dormant"})
    )

    agent = twin(lambda c: c.agents.get("agent-1"))

    assert agent.status == "dormant"
    assert agent.description is None
    assert agent.team_id is None
    assert agent.available_actions is None
    assert agent.instance_counts is None
    assert AgentAvailableActions().delete is False


def test_an_agent_without_a_name_breaks_the_contract(server, twin):
    """A required field missing from the answer is a PrefactorResponseContractError."""
    server.expect_request("/api/v1/agent/agent-1", method="GET").respond_with_json(
        success({"type": "agent", "id": "agent-1", "status": "active"})
    )

    with pytest.raises(PrefactorResponseContractError):
        twin(lambda c: c.agents.get("agent-1"))


def test_a_declared_501_is_raised_at_once_not_retried(server, twin):
    """not_implemented: a PrefactorServerError after one request, whatever max_retries says."""
    server.expect_request("/api/v1/agent/agent-1", method="GET").respond_with_json(
        error("not_implemented", "getAgent is not implemented"), status=501
    )

    with pytest.raises(PrefactorServerError) as caught:
        twin(lambda c: c.agents.get("agent-1", max_retries=5))

    assert (caught.value.status_code, caught.value.code) == (501, "not_implemented")
    assert len(sent(server)) == 1


def test_a_409_on_a_forbidden_action_is_a_conflict(server, twin):
    """Retiring a retired agent: PrefactorConflictError with the server's message."""
    from prefactor_http.exceptions import PrefactorConflictError

    server.expect_request("/api/v1/agent/agent-1/retire", method="POST").respond_with_json(
        error("conflict", "agent 'agent-1' is retired: cannot retire"), status=409
    )

    with pytest.raises(PrefactorConflictError, match="cannot retire"):
        twin(lambda c: c.agents.retire("agent-1"))


REFUSED = [
    ("create-no-name", lambda a: a.create(AgentForCreate(name="")), "details.name"),
    ("create-not-a-model", lambda a: a.create(["Bot"]), "details"),
    ("create-unknown-key", lambda a: a.create({"name": "Bot", "nmae": "x"}), "details.nmae"),
    ("create-empty-id", lambda a: a.create({"name": "Bot", "team_id": ""}), "details.team_id"),
    ("create-bad-key", lambda a: a.create({"name": "Bot"}, "has space"), "idempotency_key"),
    ("get-empty-id", lambda a: a.get(""), "agent_id"),
    ("get-dot-dot", lambda a: a.get(".."), "agent_id"),
    (
        "update-external-identifier",
        lambda a: a.update("agent-1", {"external_identifier": "x"}),
        "details.external_identifier",
    ),
    ("update-clear-name", lambda a: a.update("agent-1", {}, clear=["name"]), "clear"),
    ("update-clear-str", lambda a: a.update("agent-1", {}, clear="team_id"), "clear"),
    (
        "update-clear-and-set",
        lambda a: a.update("agent-1", {"team_id": "t"}, clear=["team_id"]),
        "clear",
    ),
    ("list-bad-sorting", lambda a: a.list_agents(sorting="size"), "sorting"),
    ("list-negative-offset", lambda a: a.list_agents(offset=-1), "offset"),
    ("list-page-size-0", lambda a: a.list_agents(page_size=0), "page_size"),
    ("list-page-size-over", lambda a: a.list_agents(page_size=PAGE_SIZE_OVER), "page_size"),
    ("list-page-size-bool", lambda a: a.list_agents(page_size=True), "page_size"),
    ("list-empty-team", lambda a: a.list_agents(team_id=""), "team_id"),
    ("show-no-name", lambda a: a.show(), "agent_id"),
    ("show-both-names", lambda a: a.show(agent_id="a", external_identifier="b"), "agent_id"),
    ("show-flag-str", lambda a: a.show(agent_id="a", include_counts="true"), "include_counts"),
    ("retire-empty-id", lambda a: a.retire(""), "agent_id"),
    ("reinstate-bad-key", lambda a: a.reinstate("a", TOO_LONG_KEY), "idempotency_key"),
    ("delete-no-id", lambda a: a.delete(None), "agent_id"),
]


@pytest.mark.parametrize(("name", "call", "field"), REFUSED, ids=[r[0] for r in REFUSED])
def test_bad_input_is_refused_before_sending(server, twin, name, call, field):
    """PrefactorValidationError names the field; nothing reaches the server."""
    with pytest.raises(PrefactorValidationError) as caught:
        twin(lambda c: call(c.agents))

    assert field in caught.value.errors
    assert sent(server) == []
