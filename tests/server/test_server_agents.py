"""The local server keeps agents like the API: lifecycle, 409s, paging, sorting, show, bulk."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from conftest import TOKEN, register_body

from prefactor_http import BulkItem, BulkRequest, HttpClientConfig, SyncPrefactorHttpClient
from prefactor_http.exceptions import PrefactorServerError
from prefactor_http.server import LocalServer
from prefactor_http.server._api import LocalApi
from prefactor_http.server._store import Store


def create(api: httpx.Client, **details: Any) -> dict[str, Any]:
    body = {"details": {"name": "Bot", **details}}
    answer = api.post("/api/v1/agent", json=body)
    assert answer.status_code == 200, answer.text
    agent: dict[str, Any] = answer.json()["details"]
    return agent


def actions(agent: dict[str, Any]) -> list[str]:
    return sorted(name for name, allowed in agent["available_actions"].items() if allowed)


def test_an_agent_goes_pending_retired_pending_deleted(api):
    """Status and available_actions stay consistent through retire, reinstate and delete."""
    agent = create(api, external_identifier="bot")
    path = f"/api/v1/agent/{agent['id']}"
    assert (agent["status"], actions(agent)) == ("pending", ["delete", "retire", "update"])

    retired = api.post(f"{path}/retire", json={}).json()["details"]
    assert (retired["status"], actions(retired)) == ("retired", ["delete", "reinstate"])

    back = api.post(f"{path}/reinstate").json()["details"]
    assert (back["status"], actions(back)) == ("pending", ["delete", "retire", "update"])

    deleted = api.delete(path).json()["details"]
    assert (deleted["id"], actions(deleted)) == (agent["id"], [])
    assert api.get(path).status_code == 404


@pytest.mark.parametrize(
    ("setup", "call"),
    [
        ([], "reinstate"),
        (["retire"], "retire"),
        (["retire"], "update"),
        (["run"], "delete"),
    ],
)
def test_an_action_available_actions_forbids_is_409(api, setup, call):
    """Reinstate when not retired, retire twice, update when retired, delete while running."""
    agent = create(api)
    path = f"/api/v1/agent/{agent['id']}"
    for step in setup:
        if step == "run":
            api.post("/api/v1/agent_instance/register", json=register_body(agent_id=agent["id"]))
        else:
            assert api.post(f"{path}/{step}", json={}).status_code == 200
    if call == "update":
        answer = api.put(path, json={"details": {"name": "New"}})
    elif call == "delete":
        answer = api.delete(path)
    else:
        answer = api.post(f"{path}/{call}", json={})
    assert answer.status_code == 409, answer.text
    assert answer.json()["code"] == "conflict"


def test_status_follows_the_agents_instances(api):
    """pending with none, active while one runs, dormant once all have finished."""
    agent = create(api)
    path = f"/api/v1/agent/{agent['id']}"
    registered = api.post(
        "/api/v1/agent_instance/register", json=register_body(agent_id=agent["id"])
    ).json()["details"]
    assert api.get(path).json()["details"]["status"] == "active"

    api.post(f"/api/v1/agent_instance/{registered['id']}/finish", json={})
    assert api.get(path).json()["details"]["status"] == "dormant"


def test_show_counts_instances_by_status_and_environment(api):
    """include_counts=true adds instance_counts, limited to environment_id when given."""
    agent = create(api, external_identifier="counted")
    for environment in ("env-a", "env-a", "env-b"):
        api.post(
            "/api/v1/agent_instance/register",
            json=register_body(agent_id=agent["id"], environment_id=environment),
        )

    plain = api.get("/api/v1/agent/show", params={"external_identifier": "counted"}).json()
    counted = api.get(
        "/api/v1/agent/show",
        params={"agent_id": agent["id"], "environment_id": "env-a", "include_counts": "true"},
    ).json()

    assert plain["details"]["instance_counts"] is None
    counts = counted["details"]["instance_counts"]
    assert (counts["total"], counts["pending"], counts["finished"]) == (2, 2, 0)


def test_show_needs_exactly_one_name(api):
    """Neither or both of agent_id and external_identifier: 422."""
    assert api.get("/api/v1/agent/show").status_code == 422
    both = api.get("/api/v1/agent/show", params={"agent_id": "a", "external_identifier": "b"})
    assert both.status_code == 422


def test_update_changes_given_fields_and_null_clears_the_ids(api):
    """Fields left out stay; null clears team_id; null name means not given."""
    agent = create(api, description="d", team_id="t", owner_person_id="p")
    path = f"/api/v1/agent/{agent['id']}"

    updated = api.put(path, json={"details": {"name": None, "team_id": None, "description": "e"}})

    details = updated.json()["details"]
    assert (details["name"], details["description"]) == ("Bot", "e")
    assert (details["team_id"], details["owner_person_id"]) == (None, "p")


def test_update_refuses_external_identifier(api):
    """external_identifier cannot change: 422 naming it."""
    agent = create(api)
    answer = api.put(f"/api/v1/agent/{agent['id']}", json={"details": {"external_identifier": "x"}})
    assert answer.status_code == 422
    assert "details.external_identifier" in answer.json()["errors"]


def test_a_taken_id_or_external_identifier_is_409(api):
    """Two agents cannot share an id or an external_identifier."""
    create(api, id="agent-x", external_identifier="ext")
    assert (
        api.post("/api/v1/agent", json={"details": {"name": "B", "id": "agent-x"}}).status_code
        == 409
    )
    taken = api.post("/api/v1/agent", json={"details": {"name": "B", "external_identifier": "ext"}})
    assert taken.status_code == 409


def test_list_pages_filters_and_sorts(api):
    """Paging from the bracketed query, one-based indexes, zero-based offsets, sorting echoed."""
    for name in ("d", "b", "e", "a", "c"):
        create(api, name=name, team_id="t1")
    create(api, name="other", team_id="t2")

    answer = api.get(
        "/api/v1/agent",
        params={
            "team_id": "t1",
            "sorting": "-name",
            "pagination[offset]": "2",
            "pagination[page_size]": "2",
        },
    ).json()

    assert [s["name"] for s in answer["summaries"]] == ["c", "b"]
    assert answer["sorting"] == {"field": "name", "direction": "desc"}
    assert answer["pagination"] == {
        "item_count": 5,
        "item_start": 3,
        "item_end": 4,
        "page_count": 3,
        "page_index": 2,
        "page_offset": 2,
        "page_size": 2,
        "next_page_offset": 4,
        "previous_page_offset": 0,
    }
    assert "risk_profile_id" not in answer["summaries"][0]


def test_list_without_paging_answers_everything_unpaged(api):
    """No paging parameter: every agent, in creation order, pagination and sorting null."""
    ids = [create(api, name=f"n{i}")["id"] for i in range(3)]
    answer = api.get("/api/v1/agent").json()
    assert [s["id"] for s in answer["summaries"]] == ids
    assert (answer["pagination"], answer["sorting"]) == (None, None)


@pytest.mark.parametrize(
    "params",
    [
        {"pagination[page_size]": "101"},
        {"pagination[page_size]": "0"},
        {"pagination[offset]": "-1"},
        {"pagination[offset]": "one"},
        {"sorting": "size"},
        {"offset": "0"},
    ],
)
def test_bad_query_parameters_are_422(api, params):
    """Query values are checked against the spec; an undeclared parameter is refused."""
    answer = api.get("/api/v1/agent", params=params)
    assert answer.status_code == 422, answer.text
    assert set(answer.json()["errors"]) == set(params)


def test_a_retried_create_replays_its_first_outcome(api):
    """The same key and body: one agent, the same answer twice."""
    body = {"details": {"name": "Once"}, "idempotency_key": "create-once-1"}
    first = api.post("/api/v1/agent", json=body).json()
    second = api.post("/api/v1/agent", json=body).json()
    assert first == second
    assert len(api.get("/api/v1/agent").json()["summaries"]) == 1


def test_a_retried_delete_keyed_in_the_header_replays(api):
    """DELETE without a body uses the header key; the retry gets the first answer, not 404."""
    agent = create(api)
    headers = {"Idempotency-Key": "delete-once-1"}
    first = api.delete(f"/api/v1/agent/{agent['id']}", headers=headers)
    second = api.delete(f"/api/v1/agent/{agent['id']}", headers=headers)
    assert first.status_code == second.status_code == 200
    assert first.json() == second.json()


def test_bulk_runs_agents_create_and_list(api):
    """agents/create takes the fields flat; agents/list its query, pagination as an object."""
    items = [
        {"_type": "agents/create", "idempotency_key": "bulk-agent-1", "name": "B", "team_id": "t"},
        {"_type": "agents/create", "idempotency_key": "bulk-agent-2", "name": "A"},
        {
            "_type": "agents/list",
            "idempotency_key": "bulk-list-01",
            "sorting": "name",
            "pagination": {"offset": 0, "page_size": 1},
        },
    ]
    outputs = api.post("/api/v1/bulk", json={"items": items}).json()["outputs"]

    assert outputs["bulk-agent-1"]["details"]["team_id"] == "t"
    listed = outputs["bulk-list-01"]
    assert [s["name"] for s in listed["summaries"]] == ["A"]
    assert listed["pagination"]["next_page_offset"] == 1


def test_bulk_agents_create_refuses_a_bad_item(api):
    """An item missing the name stops the run with the field named."""
    items = [{"_type": "agents/create", "idempotency_key": "bulk-agent-x"}]
    output = api.post("/api/v1/bulk", json={"items": items}).json()["outputs"]["bulk-agent-x"]
    assert output["status"] == "error"
    assert "name" in output["errors"]


def test_the_clients_bulk_passes_agents_items_through(prefactor_server):
    """bulk.execute sends agents/create and agents/list as given and returns their outputs."""
    config = HttpClientConfig(api_url=prefactor_server.url, api_token=prefactor_server.token)
    with SyncPrefactorHttpClient(config) as client:
        response = client.bulk.execute(
            BulkRequest(
                items=[
                    BulkItem(_type="agents/create", idempotency_key="bulk-agent-c", name="Bulky"),
                    BulkItem(_type="agents/list", idempotency_key="bulk-agent-l"),
                ]
            )
        )
    assert response.ok
    created = response.outputs["bulk-agent-c"].details
    assert created["name"] == "Bulky"
    assert [s["id"] for s in response.outputs["bulk-agent-l"].summaries] == [created["id"]]
    assert list(prefactor_server.state()["agents"]) == [created["id"]]


def test_a_sparse_server_leaves_null_fields_out_of_agents():
    """Null fields of an agent and of each summary are left out; paging is sent whole.

    The public 0.4.3 client needs `pagination`, `sorting` and every pagination
    field present (null or not), so the hosted API evidently sends them.
    """
    with LocalServer(sparse=True) as local:
        headers = {"Authorization": f"Bearer {local.token}"}
        with httpx.Client(base_url=local.url, headers=headers) as api:
            agent = create(api)
            page = api.get("/api/v1/agent", params={"pagination[page_size]": "5"}).json()
    assert "description" not in agent
    assert "instance_counts" not in agent
    assert "team_id" not in page["summaries"][0]
    assert page["pagination"]["next_page_offset"] is None
    assert page["sorting"] is None


class _StorelessAgents(Store):
    """A store that has not implemented getAgent yet."""

    def handles(self, operation_id: str) -> bool:
        return operation_id != "getAgent" and super().handles(operation_id)


def test_an_operation_without_state_answers_a_declared_501():
    """not_implemented with the error envelope, within the spec (not a 500)."""
    api = LocalApi(TOKEN, store=_StorelessAgents())
    auth = {"authorization": f"Bearer {TOKEN}"}
    answer = api.handle("GET", "/api/v1/agent/agent-1", auth, b"")
    assert answer.status == 501
    assert answer.body["code"] == "not_implemented"


def test_the_clients_do_not_retry_a_501():
    """Against a server without the operation: one request, PrefactorServerError 501."""
    local = LocalServer()
    local._core.api.store = _StorelessAgents()
    with local:
        config = HttpClientConfig(api_url=local.url, api_token=local.token, max_retries=3)
        with SyncPrefactorHttpClient(config) as client, pytest.raises(PrefactorServerError) as got:
            client.agents.get("agent-1")
        assert got.value.status_code == 501
        assert len(local.requests) == 1
