"""Each bulk action takes its single call's parameters: both routes require and refuse alike.

The wire format's rule. Every action the local server runs in bulk gets the
same parameter sets on its single endpoint and as a bulk item: as given, with
an optional field left out, with a required one left out (where the action
has one besides its target, which the single call carries in its path), and
with a field the action does not know. Their outcomes must be the same.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from conftest import register_body, registered_instance, span_body, started_instance

Params = dict[str, Any]
WHEN = "2026-11-22T14:13:05+00:00"


@dataclass(frozen=True)
class Action:
    """One bulk action: a fresh target, its full parameters, and how its single call sends them."""

    setup: Callable[[httpx.Client], Params]
    params: Callable[[Params], Params]
    single: Callable[[httpx.Client, Params, str], httpx.Response]
    optional: str
    required: str | None


def post_to(template: str, target: str) -> Callable[[httpx.Client, Params, str], httpx.Response]:
    """A single call whose target travels in the path, its other parameters flat in the body."""

    def send(api: httpx.Client, params: Params, key: str) -> httpx.Response:
        body = {name: value for name, value in params.items() if name != target}
        path = template.format(params.get(target, "missing"))
        return api.post(path, json={**body, "idempotency_key": key})

    return send


def new_span(api: httpx.Client) -> str:
    answer = api.post("/api/v1/agent_spans", json=span_body(started_instance(api)))
    span_id: str = answer.json()["details"]["id"]
    return span_id


def list_agents(api: httpx.Client, params: Params, key: str) -> httpx.Response:
    query = {name: value for name, value in params.items() if name != "pagination"}
    for name, value in params.get("pagination", {}).items():
        query[f"pagination[{name}]"] = value
    return api.get("/api/v1/agent", params=query)


ACTIONS = {
    "agent_instances/register": Action(
        setup=lambda api: {},
        params=lambda ids: register_body(purpose="smoke_test", update_current_version=False),
        single=lambda api, params, key: api.post(
            "/api/v1/agent_instance/register", json={**params, "idempotency_key": key}
        ),
        optional="purpose",
        required="agent_version",
    ),
    "agent_instances/start": Action(
        setup=lambda api: {"agent_instance_id": registered_instance(api)},
        params=lambda ids: {**ids, "timestamp": WHEN},
        single=post_to("/api/v1/agent_instance/{}/start", "agent_instance_id"),
        optional="timestamp",
        required=None,
    ),
    "agent_instances/finish": Action(
        setup=lambda api: {"agent_instance_id": started_instance(api)},
        params=lambda ids: {**ids, "status": "failed", "timestamp": WHEN},
        single=post_to("/api/v1/agent_instance/{}/finish", "agent_instance_id"),
        optional="status",
        required=None,
    ),
    "agent_spans/create": Action(
        setup=lambda api: {"agent_instance_id": started_instance(api)},
        params=lambda ids: {
            **ids,
            "schema_name": "agent:llm",
            "status": "active",
            "payload": {"prompt": "Hello"},
            "result_payload": {"response": "Hi"},
        },
        single=lambda api, params, key: api.post(
            "/api/v1/agent_spans", json={"details": {**params, "idempotency_key": key}}
        ),
        optional="result_payload",
        required="payload",
    ),
    "agent_spans/finish": Action(
        setup=lambda api: {"agent_span_id": new_span(api)},
        params=lambda ids: {**ids, "status": "failed", "result_payload": {"response": "Hi"}},
        single=post_to("/api/v1/agent_spans/{}/finish", "agent_span_id"),
        optional="status",
        required=None,
    ),
    "agents/create": Action(
        setup=lambda api: {},
        params=lambda ids: {"name": "Support bot", "description": "Answers tickets"},
        single=lambda api, params, key: api.post(
            "/api/v1/agent", json={"details": params, "idempotency_key": key}
        ),
        optional="description",
        required="name",
    ),
    "agents/list": Action(
        setup=lambda api: {},
        params=lambda ids: {"team_id": "team-1", "pagination": {"offset": 0, "page_size": 10}},
        single=list_agents,
        optional="team_id",
        required=None,
    ),
}


def without(name: str) -> Callable[[Params], Params]:
    return lambda params: {field: value for field, value in params.items() if field != name}


def variants(action: Action) -> dict[str, Callable[[Params], Params]]:
    found = {
        "as given": lambda params: params,
        f"without optional {action.optional}": without(action.optional),
        "with an unknown field": lambda params: {**params, "colour": "blue"},
    }
    if action.required is not None:
        found[f"without required {action.required}"] = without(action.required)
    return found


CASES = [
    pytest.param(name, change, id=f"{name} {variant}")
    for name, action in ACTIONS.items()
    for variant, change in variants(action).items()
]


def stable(value: Any) -> Any:
    """An outcome without what differs between two resources made alike: ids and times."""
    if isinstance(value, list):
        return [stable(item) for item in value]
    if not isinstance(value, dict):
        return value
    return {
        name: stable(inner)
        for name, inner in value.items()
        if name != "id" and not name.endswith(("_id", "_at"))
    }


def outcome(answer: dict[str, Any]) -> tuple[Any, ...]:
    """Success with the resource, or the error's code and the fields it names (flat, as in bulk)."""
    if answer["status"] == "error":
        fields = sorted(name.removeprefix("details.") for name in answer.get("errors", {}))
        return ("error", answer["code"], fields)
    result = answer.get("details", {k: v for k, v in answer.items() if k != "status"})
    return ("success", stable(result))


@pytest.mark.parametrize(("name", "change"), CASES)
def test_a_bulk_item_and_its_single_call_agree(api, name, change):
    """The same parameters: the same success and resource, or the same error on the same fields."""
    action = ACTIONS[name]
    single_params = change(action.params(action.setup(api)))
    bulk_params = change(action.params(action.setup(api)))

    single = action.single(api, single_params, "single-key-1").json()
    item = {"_type": name, "idempotency_key": "bulk-key-1", **bulk_params}
    answer = api.post("/api/v1/bulk", json={"items": [item]})
    assert answer.status_code == 200, answer.text

    assert outcome(answer.json()["outputs"]["bulk-key-1"]) == outcome(single)
