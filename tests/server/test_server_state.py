"""The local server keeps state like the API: status rules, span counts, idempotency, bulk."""

from __future__ import annotations

import pytest
from conftest import (
    SPEC,
    TOO_LONG_KEY,
    register_body,
    registered_instance,
    span_body,
    started_instance,
)

from prefactor_http.server import Effect
from prefactor_http.server._store import Store

# The spec's values, as the server's schema check lists them.
SPAN_CREATE_STATUSES = SPEC["components"]["schemas"]["SpanCreateStatus"]["enum"]

STAMP = "2026-11-22T14:13:05.123456+00:00"


def create_span(api, instance_id, **details):
    answer = api.post("/api/v1/agent_spans", json=span_body(instance_id, **details))
    assert answer.status_code == 200, answer.text
    return answer.json()["details"]


def test_an_instance_goes_pending_active_finished(api):
    """register, start and finish move the status and stamp the times; get reads it back."""
    registered = api.post("/api/v1/agent_instance/register", json=register_body(purpose="eval"))
    instance = registered.json()["details"]
    assert (instance["status"], instance["started_at"], instance["purpose"]) == (
        "pending",
        None,
        "eval",
    )

    path = f"/api/v1/agent_instance/{instance['id']}"
    started = api.post(f"{path}/start", json={"timestamp": STAMP}).json()["details"]
    finished = api.post(f"{path}/finish", json={"status": "failed"}).json()["details"]

    assert (started["status"], started["started_at"]) == ("active", STAMP)
    assert finished["status"] == "failed"
    assert finished["finished_at"] is not None
    assert api.get(path).json() == {"status": "success", "details": finished}


def test_finishing_an_instance_twice_is_409(api):
    """The second finish is a conflict with the error envelope; the status stays."""
    instance_id = started_instance(api)
    path = f"/api/v1/agent_instance/{instance_id}/finish"
    assert api.post(path, json={"status": "complete"}).status_code == 200

    again = api.post(path, json={"status": "failed"})

    assert again.status_code == 409
    assert again.json() == {
        "status": "error",
        "code": "conflict",
        "message": f"agent instance {instance_id!r} is already complete",
        "errors": {},  # a full answer carries every declared field
    }
    assert (
        api.get(f"/api/v1/agent_instance/{instance_id}").json()["details"]["status"] == "complete"
    )


def test_starting_an_instance_twice_is_409(api):
    """Only a pending instance can start."""
    instance_id = started_instance(api)

    again = api.post(f"/api/v1/agent_instance/{instance_id}/start", json={})

    assert again.status_code == 409
    assert again.json()["message"] == f"agent instance {instance_id!r} is active"


def test_a_caller_chosen_id_cannot_be_registered_twice(api):
    """Ids are unique: registering `run-1` again is a conflict."""
    registered_instance(api, id="run-1")

    again = api.post("/api/v1/agent_instance/register", json=register_body(id="run-1"))

    assert again.status_code == 409


def test_span_counts_follow_every_span_status(api):
    """total, active, complete, failed, cancelled and finished track creates and finishes."""
    instance_id = started_instance(api)
    first = create_span(api, instance_id)
    create_span(api, instance_id, status="complete")
    create_span(api, instance_id, status="pending")
    api.post(f"/api/v1/agent_spans/{first['id']}/finish", json={"status": "failed"})

    counts = api.get(f"/api/v1/agent_instance/{instance_id}").json()["details"]["span_counts"]

    assert counts == {
        "total": 3,
        "active": 0,
        "complete": 1,
        "failed": 1,
        "cancelled": 0,
        "finished": 2,
    }


def test_a_span_is_stored_with_its_parent_payloads_and_title(api, prefactor_server):
    """The state holds what was sent; the title comes from the registered span type."""
    instance_id = started_instance(api)
    tool = create_span(api, instance_id, schema_name="agent:tool", payload={"tool": "search"})
    llm = create_span(api, instance_id, parent_span_id=tool["id"], payload={"prompt": "Hi"})
    api.post(f"/api/v1/agent_spans/{llm['id']}/finish", json={"result_payload": {"text": "Yo"}})

    spans = prefactor_server.state()["spans"]

    assert spans[llm["id"]]["parent_span_id"] == tool["id"]
    assert spans[llm["id"]]["payload"] == {"prompt": "Hi"}
    assert spans[llm["id"]]["result_payload"] == {"text": "Yo"}
    assert spans[llm["id"]]["status"] == "complete"
    assert spans[llm["id"]]["schema_title"] == "LLM Call"
    assert spans[tool["id"]]["schema_title"] is None
    assert list(prefactor_server.state()["instances"]) == [instance_id]


@pytest.mark.parametrize("parent", ["no-such-span", "other-instance"])
def test_a_parent_span_must_exist_in_the_same_instance(api, prefactor_server, parent):
    """A missing parent, or one of another instance, is 404 naming parent_span_id."""
    instance_id = started_instance(api)
    if parent == "other-instance":
        parent = create_span(api, started_instance(api))["id"]
    before = prefactor_server.effects

    answer = api.post("/api/v1/agent_spans", json=span_body(instance_id, parent_span_id=parent))

    assert answer.status_code == 404
    assert answer.json()["errors"] == {"parent_span_id": ["does not exist"]}
    assert prefactor_server.effects == before


def test_a_span_needs_an_instance_that_exists_and_is_not_finished(api):
    """Unknown instance: 404; finished instance: 409."""
    assert api.post("/api/v1/agent_spans", json=span_body("nope")).status_code == 404
    instance_id = started_instance(api)
    api.post(f"/api/v1/agent_instance/{instance_id}/finish", json={})

    assert api.post("/api/v1/agent_spans", json=span_body(instance_id)).status_code == 409


def test_finishing_a_span_twice_is_409(api):
    """A terminal span stays as it was."""
    span = create_span(api, started_instance(api))
    path = f"/api/v1/agent_spans/{span['id']}/finish"
    assert api.post(path, json={"status": "cancelled"}).status_code == 200

    again = api.post(path, json={})

    assert again.status_code == 409
    assert again.json()["message"] == f"agent span {span['id']!r} is already cancelled"


def test_a_repeated_key_replays_the_first_outcome_without_acting(api, prefactor_server):
    """Same key: the same status and body, even though a new finish would now be a 409."""
    instance_id = started_instance(api)
    path = f"/api/v1/agent_instance/{instance_id}/finish"
    first = api.post(path, json={"idempotency_key": "finish-1"})

    replay = api.post(path, json={"idempotency_key": "finish-1"})
    fresh = api.post(path, json={"idempotency_key": "finish-2"})

    assert (replay.status_code, replay.json()) == (first.status_code, first.json())
    assert fresh.status_code == 409
    finishes = [e for e in prefactor_server.effects if e.operation == "finishAgentInstance"]
    assert finishes == [Effect("finishAgentInstance", "finish-1", instance_id)]


def test_an_error_outcome_is_replayed_too(api):
    """A key whose first call was a 404 keeps answering that 404."""
    body = span_body("later", idempotency_key="span-key-1")
    assert api.post("/api/v1/agent_spans", json=body).status_code == 404
    registered_instance(api, id="later")

    assert api.post("/api/v1/agent_spans", json=body).status_code == 404


def test_the_span_create_key_is_read_inside_details(api, prefactor_server):
    """Two creates with one `details.idempotency_key` store one span."""
    instance_id = started_instance(api)
    body = span_body(instance_id, idempotency_key="create-once")

    first = api.post("/api/v1/agent_spans", json=body).json()
    second = api.post("/api/v1/agent_spans", json=body).json()

    assert first == second
    assert len(prefactor_server.state()["spans"]) == 1


def test_an_idempotency_key_header_must_equal_the_body_key(api, prefactor_server):
    """A header that disagrees with the body is 422; one that agrees is accepted."""
    instance_id = registered_instance(api)
    path = f"/api/v1/agent_instance/{instance_id}/start"

    wrong = api.post(path, json={"idempotency_key": "a"}, headers={"Idempotency-Key": "b"})
    right = api.post(path, json={"idempotency_key": "a"}, headers={"Idempotency-Key": "a"})

    assert wrong.status_code == 422
    assert wrong.json()["errors"] == {
        "idempotency_key": ["differs from the Idempotency-Key header"]
    }
    assert right.status_code == 200
    assert prefactor_server.effects[-1] == Effect("startAgentInstance", "a", instance_id)


def test_the_idempotency_key_header_alone_is_used_as_the_key(api, prefactor_server):
    """Without a body key, the header's key still makes the call act once."""
    instance_id = registered_instance(api)
    path = f"/api/v1/agent_instance/{instance_id}/start"

    first = api.post(path, json={}, headers={"Idempotency-Key": "start-1"})
    second = api.post(path, json={}, headers={"Idempotency-Key": "start-1"})

    assert first.json() == second.json()
    assert second.status_code == 200
    assert prefactor_server.effects[-1] == Effect("startAgentInstance", "start-1", instance_id)


def test_a_key_reused_with_another_body_is_refused_naming_the_key(api, prefactor_server):
    """Same key, same path, another body: 422 `idempotency_key_reused`, nothing acts."""
    instance_id = started_instance(api)
    path = f"/api/v1/agent_instance/{instance_id}/finish"
    first = api.post(path, json={"status": "complete", "idempotency_key": "fin-key-01"})

    other = api.post(path, json={"status": "failed", "idempotency_key": "fin-key-01"})

    assert first.status_code == 200
    assert (other.status_code, other.json()) == (
        422,
        {
            "status": "error",
            "code": "idempotency_key_reused",
            "message": "idempotency key 'fin-key-01' was already used for a different request",
            "errors": {},
        },
    )
    assert prefactor_server.state()["instances"][instance_id]["status"] == "complete"
    assert [e.idempotency_key for e in prefactor_server.effects][-1] == "fin-key-01"


def test_a_span_key_reused_with_another_payload_is_refused(api, prefactor_server):
    """The key inside `details` is compared with the rest of the request, less the key."""
    instance_id = started_instance(api)
    body = span_body(instance_id, idempotency_key="span-key-01")
    assert api.post("/api/v1/agent_spans", json=body).status_code == 200

    body["details"]["payload"] = {"prompt": "Something else"}
    other = api.post("/api/v1/agent_spans", json=body)

    assert (other.status_code, other.json()["code"]) == (422, "idempotency_key_reused")
    assert len(prefactor_server.state()["spans"]) == 1


def test_the_same_request_keyed_in_the_header_or_the_body_replays(api, prefactor_server):
    """Where the key travels is not part of the request: header alone, then body, replays."""
    instance_id = registered_instance(api)
    path = f"/api/v1/agent_instance/{instance_id}/start"

    first = api.post(path, json={}, headers={"Idempotency-Key": "start-k-1"})
    second = api.post(path, json={"idempotency_key": "start-k-1"})

    assert (second.status_code, second.json()) == (200, first.json())


def test_a_get_with_an_idempotency_key_header_reads_fresh_state(api):
    """A key on a read is ignored: the second read sees the start made in between."""
    instance_id = registered_instance(api)
    path = f"/api/v1/agent_instance/{instance_id}"
    headers = {"Idempotency-Key": "read-key-01"}

    before = api.get(path, headers=headers).json()["details"]["status"]
    api.post(f"{path}/start", json={})
    after = api.get(path, headers=headers).json()["details"]["status"]

    assert (before, after) == ("pending", "active")


def test_an_idempotency_key_header_outside_the_schema_is_422(api, prefactor_server):
    """The header is held to the spec's IdempotencyKey (its length bounds) like a body key."""
    instance_id = registered_instance(api)
    path = f"/api/v1/agent_instance/{instance_id}/start"

    refused = api.post(path, json={}, headers={"Idempotency-Key": TOO_LONG_KEY})

    assert refused.status_code == 422
    assert refused.json()["message"] == "the Idempotency-Key header is invalid"
    assert list(refused.json()["errors"]) == ["Idempotency-Key"]
    assert prefactor_server.state()["instances"][instance_id]["status"] == "pending"


def test_a_replayed_answer_is_a_copy_of_the_stored_one():
    """Changing what one replay returned leaves the next replay as the first outcome."""
    store = Store()
    body = {"agent_version": {"name": "bot", "external_identifier": "v1"}}
    body |= {"agent_schema_version": {"external_identifier": "s1"}, "idempotency_key": "reg-1"}
    first = store.perform("registerAgentInstance", {}, body, "reg-1")
    replay = store.perform("registerAgentInstance", {}, body, "reg-1")

    replay.body["details"]["status"] = "tampered"

    assert store.perform("registerAgentInstance", {}, body, "reg-1") == first


def bulk_item(kind, key, **params):
    return {"_type": kind, "idempotency_key": key, **params}


def test_bulk_runs_items_in_order_and_keys_outputs(api, prefactor_server):
    """A whole run in one request: each item sees the ones before it."""
    items = [
        bulk_item("agent_instances/register", "bulk-reg-1", id="run-9", **register_body()),
        bulk_item("agent_instances/start", "bulk-start-1", agent_instance_id="run-9"),
        bulk_item(
            "agent_spans/create",
            "bulk-span-1",
            agent_instance_id="run-9",
            id="span-9",
            schema_name="agent:llm",
            status="active",
            payload={"prompt": "Hi"},
        ),
        bulk_item("agent_spans/finish", "bulk-fin-1", agent_span_id="span-9", status="complete"),
        bulk_item("agent_instances/finish", "bulk-fin-2", agent_instance_id="run-9"),
    ]

    answer = api.post("/api/v1/bulk", json={"items": items})

    assert answer.status_code == 200
    outputs = answer.json()["outputs"]
    assert list(outputs) == [item["idempotency_key"] for item in items]
    assert {key: out["status"] for key, out in outputs.items()} == dict.fromkeys(outputs, "success")
    assert outputs["bulk-fin-2"]["details"]["span_counts"]["complete"] == 1
    assert [e.idempotency_key for e in prefactor_server.effects] == list(outputs)


def test_bulk_stops_at_the_first_error_and_keeps_what_ran(api, prefactor_server):
    """Items before the failing one are committed; later ones are absent and never run."""
    instance_id = started_instance(api)
    items = [
        bulk_item(
            "agent_spans/create",
            "bulk-ok-001",
            agent_instance_id=instance_id,
            schema_name="s",
            status="active",
            payload={},
        ),
        bulk_item("agent_spans/finish", "bulk-bad-001", agent_span_id="missing"),
        bulk_item("agent_instances/finish", "bulk-never-1", agent_instance_id=instance_id),
    ]

    outputs = api.post("/api/v1/bulk", json={"items": items}).json()["outputs"]

    assert list(outputs) == ["bulk-ok-001", "bulk-bad-001"]
    assert outputs["bulk-bad-001"] == {
        "status": "error",
        "code": "not_found",
        "message": "agent span 'missing' does not exist",
        "errors": {},
    }
    assert len(prefactor_server.state()["spans"]) == 1
    assert prefactor_server.state()["instances"][instance_id]["status"] == "active"


@pytest.mark.parametrize(
    ("item", "output"),
    [
        (
            bulk_item("agents/archive", "bulk-unknown"),
            {
                "status": "error",
                "code": "unknown_action",
                "message": "unknown action type 'agents/archive'",
                "errors": {"_type": ["unknown action type 'agents/archive'"]},
            },
        ),
        (
            bulk_item("agent_spans/create", "bulk-invalid", agent_instance_id="i", status="x"),
            {
                "status": "error",
                "code": "validation_error",
                "message": "invalid item",
                "errors": {
                    "schema_name": ["is required"],
                    "payload": ["is required"],
                    "status": [f"'x' is not one of {SPAN_CREATE_STATUSES}"],
                },
            },
        ),
        (
            bulk_item("agent_spans/finish", "bulk-no-target"),
            {
                "status": "error",
                "code": "validation_error",
                "message": "invalid item",
                "errors": {"agent_span_id": ["is required and must be a non-empty string"]},
            },
        ),
    ],
)
def test_a_bulk_item_the_server_cannot_run_is_an_error_output(api, item, output):
    """Unknown actions and items that break their action's schema fail on their own."""
    answer = api.post("/api/v1/bulk", json={"items": [item]})

    assert answer.status_code == 200
    assert answer.json()["outputs"] == {item["idempotency_key"]: output}


def test_bulk_keys_must_be_unique_in_a_request(api, prefactor_server):
    """A repeated key refuses the whole request with 422 before any item runs."""
    item = bulk_item("agent_instances/register", "bulk-dup-01", **register_body())

    answer = api.post("/api/v1/bulk", json={"items": [item, item]})

    assert answer.status_code == 422
    assert answer.json()["errors"] == {"items.1.idempotency_key": ["repeats an earlier item's key"]}
    assert prefactor_server.effects == []


def test_a_resent_bulk_replays_every_output(api, prefactor_server):
    """Sending the same bulk again changes nothing and answers the same outputs."""
    items = [bulk_item("agent_instances/register", "bulk-once-1", **register_body())]
    first = api.post("/api/v1/bulk", json={"items": items}).json()

    second = api.post("/api/v1/bulk", json={"items": items}).json()

    assert first == second
    assert len(prefactor_server.effects) == 1


def test_a_bulk_item_shares_keys_with_its_single_endpoint(api, prefactor_server):
    """A key first used by a single start is replayed for the bulk start with that key."""
    instance_id = registered_instance(api)
    single = api.post(
        f"/api/v1/agent_instance/{instance_id}/start", json={"idempotency_key": "start-shared"}
    ).json()
    item = bulk_item("agent_instances/start", "start-shared", agent_instance_id=instance_id)

    outputs = api.post("/api/v1/bulk", json={"items": [item]}).json()["outputs"]

    assert outputs == {"start-shared": single}
    assert [e.operation for e in prefactor_server.effects].count("startAgentInstance") == 1


def test_a_terminated_instance_asks_the_agent_to_stop(api, prefactor_server):
    """After terminate(), span answers carry `control.terminate` with the reason."""
    instance_id = started_instance(api)
    span = create_span(api, instance_id)
    prefactor_server.terminate(instance_id, "budget exceeded")

    created = api.post("/api/v1/agent_spans", json=span_body(instance_id)).json()
    finished = api.post(f"/api/v1/agent_spans/{span['id']}/finish", json={}).json()

    for answer in (created, finished):
        assert answer["control"] == {"terminate": True, "reason": "budget exceeded"}
    instance = prefactor_server.state()["instances"][instance_id]
    assert (instance["status"], instance["termination_reason"]) == ("terminated", "budget exceeded")


def test_terminating_an_unknown_instance_is_a_key_error(prefactor_server):
    """The in-process call names the missing id."""
    with pytest.raises(KeyError, match="ghost"):
        prefactor_server.terminate("ghost")


def test_the_request_log_redacts_the_token(api, prefactor_server):
    """Each API request is logged with method, path, headers and JSON, never the token."""
    instance_id = registered_instance(api)

    [logged] = prefactor_server.requests

    assert (logged.method, logged.path) == ("POST", "/api/v1/agent_instance/register")
    assert logged.headers["authorization"] == "[redacted]"
    assert logged.json == register_body()
    assert prefactor_server.token not in repr(prefactor_server.requests)
    assert instance_id in prefactor_server.state()["instances"]


def test_reset_forgets_state_keys_and_logs(api, prefactor_server):
    """After reset a replayed key acts again, as on a fresh server."""
    body = register_body(id="again", idempotency_key="reg-1")
    api.post("/api/v1/agent_instance/register", json=body)

    prefactor_server.reset()

    assert prefactor_server.state() == {"agents": {}, "instances": {}, "spans": {}, "quality": {}}
    assert (prefactor_server.effects, prefactor_server.requests) == ([], [])
    assert api.post("/api/v1/agent_instance/register", json=body).status_code == 200
    assert len(prefactor_server.effects) == 1


def test_quality_payloads_are_kept_by_name_and_replaced(api, prefactor_server):
    """record_quality stores each name's latest payload and answers the instance."""
    instance_id = started_instance(api)
    path = f"/api/v1/agent_instance/{instance_id}/record_quality"

    first = api.post(path, json={"name": "accuracy", "payload": {"score": 0.5}})
    api.post(path, json={"name": "accuracy", "payload": {"score": 0.9}})
    api.post(path, json={"name": "tone", "payload": {"label": "polite"}})

    assert first.status_code == 200
    assert first.json()["details"]["id"] == instance_id
    assert prefactor_server.state()["quality"] == {
        instance_id: {"accuracy": {"score": 0.9}, "tone": {"label": "polite"}}
    }


def test_quality_without_a_payload_removes_the_name(api, prefactor_server):
    """Leaving the payload out takes back what the name held."""
    instance_id = started_instance(api)
    path = f"/api/v1/agent_instance/{instance_id}/record_quality"
    api.post(path, json={"name": "accuracy", "payload": {"score": 0.5}})
    api.post(path, json={"name": "tone", "payload": {"label": "polite"}})

    assert api.post(path, json={"name": "accuracy"}).status_code == 200

    assert prefactor_server.state()["quality"] == {instance_id: {"tone": {"label": "polite"}}}


def test_quality_with_a_repeated_key_is_recorded_once(api, prefactor_server):
    """A replay answers the first outcome; the key with another payload is refused; v1 stays."""
    instance_id = started_instance(api)
    path = f"/api/v1/agent_instance/{instance_id}/record_quality"
    first = api.post(path, json={"name": "a", "payload": {"v": 1}, "idempotency_key": "q-1"})

    replay = api.post(path, json={"name": "a", "payload": {"v": 1}, "idempotency_key": "q-1"})
    other = api.post(path, json={"name": "a", "payload": {"v": 2}, "idempotency_key": "q-1"})

    assert replay.json() == first.json()
    assert (other.status_code, other.json()["code"]) == (422, "idempotency_key_reused")
    assert prefactor_server.state()["quality"] == {instance_id: {"a": {"v": 1}}}
    recorded = [e for e in prefactor_server.effects if e.operation == "recordAgentInstanceQuality"]
    assert recorded == [Effect("recordAgentInstanceQuality", "q-1", instance_id)]


def test_quality_on_an_unknown_instance_is_404(api, prefactor_server):
    """Nothing is stored for an instance the server does not hold."""
    answer = api.post("/api/v1/agent_instance/ghost/record_quality", json={"name": "a"})

    assert answer.status_code == 404
    assert prefactor_server.state()["quality"] == {}


def test_a_bulk_item_reusing_a_key_for_another_target_fails_and_stops(api, prefactor_server):
    """An item whose key an earlier request used for another instance is an error output."""
    first, second = registered_instance(api), registered_instance(api)
    api.post(f"/api/v1/agent_instance/{first}/start", json={"idempotency_key": "start-bulk-1"})
    items = [
        bulk_item("agent_instances/start", "start-bulk-1", agent_instance_id=second),
        bulk_item("agent_instances/finish", "finish-bulk-1", agent_instance_id=second),
    ]

    outputs = api.post("/api/v1/bulk", json={"items": items}).json()["outputs"]

    assert outputs == {
        "start-bulk-1": {
            "status": "error",
            "code": "idempotency_key_reused",
            "message": "idempotency key 'start-bulk-1' was already used for a different request",
            "errors": {},
        }
    }
    assert prefactor_server.state()["instances"][second]["status"] == "pending"


def test_an_account_scoped_instance_gets_a_deployment_id(api):
    """Registered with `agent_id` and `environment_id`, it still answers a deployment id string."""
    body = register_body(agent_id="agent-7", environment_id="env-prod")

    details = api.post("/api/v1/agent_instance/register", json=body).json()["details"]

    assert isinstance(details["agent_deployment_id"], str)
    assert details["agent_deployment_id"].startswith("dep_")
    assert details["agent_deployment_id"] != "dep_local"


def test_the_deployment_id_is_the_same_for_the_same_agent_and_environment(api, prefactor_server):
    """One agent in one environment is one deployment, across instances and resets."""

    def deployment(**ids):
        answer = api.post("/api/v1/agent_instance/register", json=register_body(**ids))
        return answer.json()["details"]["agent_deployment_id"]

    first = deployment(agent_id="agent-7", environment_id="env-prod")
    second = deployment(agent_id="agent-7", environment_id="env-prod")
    prefactor_server.reset()
    after_reset = deployment(agent_id="agent-7", environment_id="env-prod")

    assert first == second == after_reset
    assert deployment(agent_id="agent-7", environment_id="env-dev") != first
    assert deployment(agent_id="agent-8", environment_id="env-prod") != first


def test_a_deployment_scoped_instance_is_in_the_local_deployment(api):
    """Without `agent_id` the token's deployment applies: `dep_local`."""
    details = api.post("/api/v1/agent_instance/register", json=register_body()).json()["details"]

    assert details["agent_deployment_id"] == "dep_local"
