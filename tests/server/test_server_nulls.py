"""The local server reads a null optional request field as "not given", as the hosted API does."""

from __future__ import annotations

from conftest import register_body, registered_instance, span_body, started_instance

from prefactor_http.server import Effect

STAMP = "2026-11-22T14:13:05.123456+00:00"


def test_start_with_a_null_timestamp_is_stamped_by_the_server(api):
    """`{"timestamp": null}` (what the public client's start sends) starts the instance now."""
    instance_id = registered_instance(api)

    answer = api.post(f"/api/v1/agent_instance/{instance_id}/start", json={"timestamp": None})

    assert answer.status_code == 200, answer.text
    details = answer.json()["details"]
    assert (details["status"], details["started_at"] is not None) == ("active", True)


def test_finish_with_null_status_and_timestamp_completes_now(api):
    """A null `status` is the default `complete`; a null `timestamp` is the server's clock."""
    instance_id = started_instance(api)
    body = {"status": None, "timestamp": None, "idempotency_key": None}

    answer = api.post(f"/api/v1/agent_instance/{instance_id}/finish", json=body)

    assert answer.status_code == 200, answer.text
    details = answer.json()["details"]
    assert (details["status"], details["finished_at"] is not None) == ("complete", True)


def test_register_with_every_optional_field_null_takes_the_defaults(api):
    """Null ids, purpose and flags register like a body without them."""
    nulls = dict.fromkeys(
        (
            "update_current_version",
            "agent_id",
            "environment_id",
            "id",
            "external_identifier",
            "purpose",
            "idempotency_key",
        )
    )

    answer = api.post("/api/v1/agent_instance/register", json=register_body(**nulls))

    assert answer.status_code == 200, answer.text
    details = answer.json()["details"]
    assert details["id"].startswith("inst_")
    assert (details["agent_id"], details["environment_id"]) == ("agent_local", "env_local")
    assert (details["agent_deployment_id"], details["purpose"]) == ("dep_local", "live")
    assert details["external_identifier"] is None


def test_register_with_null_optional_fields_in_nested_objects_succeeds(api):
    """Null `description`, `runtime_environment` and span `title` inside the version objects."""
    body = register_body(
        agent_version={
            "name": "Support bot",
            "external_identifier": "v1",
            "description": None,
            "runtime_environment": None,
        },
        agent_schema_version={
            "external_identifier": "s1",
            "span_type_schemas": [{"name": "agent:llm", "params_schema": {}, "title": None}],
        },
    )
    instance_id = api.post("/api/v1/agent_instance/register", json=body).json()["details"]["id"]

    span = api.post("/api/v1/agent_spans", json=span_body(instance_id))

    assert span.status_code == 200, span.text
    assert span.json()["details"]["schema_title"] is None


def test_span_create_with_null_optional_details_is_a_plain_create(api):
    """Null id, parent, result and times inside `details` are left to the server."""
    instance_id = started_instance(api)
    nulls = dict.fromkeys(
        ("result_payload", "id", "parent_span_id", "started_at", "finished_at", "idempotency_key")
    )

    answer = api.post("/api/v1/agent_spans", json=span_body(instance_id, **nulls))

    assert answer.status_code == 200, answer.text
    span = answer.json()["details"]
    assert span["id"].startswith("span_")
    assert (span["parent_span_id"], span["result_payload"], span["finished_at"]) == (None,) * 3
    assert span["started_at"] is not None


def test_span_finish_with_a_null_result_keeps_the_result_given_at_create(api):
    """A null `result_payload` is "not given", not "clear it"."""
    instance_id = started_instance(api)
    body = span_body(instance_id, result_payload={"partial": True})
    span_id = api.post("/api/v1/agent_spans", json=body).json()["details"]["id"]

    answer = api.post(
        f"/api/v1/agent_spans/{span_id}/finish", json={"status": None, "result_payload": None}
    )

    assert answer.status_code == 200, answer.text
    details = answer.json()["details"]
    assert (details["status"], details["result_payload"]) == ("complete", {"partial": True})


def test_a_null_inside_a_payload_is_kept(api, prefactor_server):
    """Payloads are the caller's data: only the API's own optional fields lose their nulls."""
    instance_id = started_instance(api)
    payload = {"prompt": None, "options": {"temperature": None}}

    answer = api.post("/api/v1/agent_spans", json=span_body(instance_id, payload=payload))

    assert answer.json()["details"]["payload"] == payload
    [stored] = prefactor_server.state()["spans"].values()
    assert stored["payload"] == payload


def test_a_null_required_field_is_still_refused(api):
    """Null is "not given" only where a field may be left out: a null `schema_name` is 422."""
    instance_id = started_instance(api)

    answer = api.post("/api/v1/agent_spans", json=span_body(instance_id, schema_name=None))

    assert answer.status_code == 422
    assert list(answer.json()["errors"]) == ["details.schema_name"]


def test_quality_with_a_null_payload_removes_the_name(api, prefactor_server):
    """`"payload": null` (what the public client's record_quality sends) removes the record."""
    instance_id = started_instance(api)
    path = f"/api/v1/agent_instance/{instance_id}/record_quality"
    api.post(path, json={"name": "accuracy", "payload": {"score": 0.5}})
    api.post(path, json={"name": "tone", "payload": {"label": "polite"}})

    answer = api.post(path, json={"name": "accuracy", "payload": None})

    assert answer.status_code == 200, answer.text
    assert prefactor_server.state()["quality"] == {instance_id: {"tone": {"label": "polite"}}}


def test_a_null_body_key_leaves_the_header_key_in_charge(api, prefactor_server):
    """`"idempotency_key": null` is no body key: the header's key is used, not refused."""
    instance_id = registered_instance(api)
    path = f"/api/v1/agent_instance/{instance_id}/start"

    answer = api.post(path, json={"idempotency_key": None}, headers={"Idempotency-Key": "hdr-1"})

    assert answer.status_code == 200, answer.text
    assert prefactor_server.effects[-1] == Effect("startAgentInstance", "hdr-1", instance_id)


def test_a_null_field_and_a_missing_one_are_the_same_request_for_a_key(api, prefactor_server):
    """`{"timestamp": null}` then `{}` under one key: the second replays, nothing acts twice."""
    instance_id = registered_instance(api)
    path = f"/api/v1/agent_instance/{instance_id}/start"
    first = api.post(path, json={"timestamp": None, "idempotency_key": "start-null-1"})

    again = api.post(path, json={"idempotency_key": "start-null-1"})

    assert first.status_code == 200, first.text
    assert (again.status_code, again.json()) == (200, first.json())
    starts = [e for e in prefactor_server.effects if e.operation == "startAgentInstance"]
    assert starts == [Effect("startAgentInstance", "start-null-1", instance_id)]


def test_a_null_field_and_a_given_value_are_different_requests_for_a_key(api):
    """Under one key, `{"timestamp": null}` then a real timestamp is a reused key: 422."""
    instance_id = registered_instance(api)
    path = f"/api/v1/agent_instance/{instance_id}/start"
    api.post(path, json={"timestamp": None, "idempotency_key": "start-null-2"})

    other = api.post(path, json={"timestamp": STAMP, "idempotency_key": "start-null-2"})

    assert (other.status_code, other.json()["code"]) == (422, "idempotency_key_reused")


def test_a_null_payload_and_a_missing_one_are_the_same_quality_request(api, prefactor_server):
    """record_quality's removal keyed once with `"payload": null`, resent without it, replays."""
    instance_id = started_instance(api)
    path = f"/api/v1/agent_instance/{instance_id}/record_quality"
    first = api.post(path, json={"name": "a", "payload": None, "idempotency_key": "q-null-1"})

    again = api.post(path, json={"name": "a", "idempotency_key": "q-null-1"})

    assert (again.status_code, again.json()) == (200, first.json())
    recorded = [e for e in prefactor_server.effects if e.operation == "recordAgentInstanceQuality"]
    assert len(recorded) == 1


def test_a_bulk_item_with_null_optional_fields_runs(api, prefactor_server):
    """Null fields beside `_type` are "not given" too, for flat and `details`-wrapped actions."""
    instance_id = started_instance(api)
    items = [
        {
            "_type": "agent_spans/create",
            "idempotency_key": "bulk-null-span",
            "agent_instance_id": instance_id,
            "schema_name": "agent:llm",
            "status": "active",
            "payload": {},
            "id": "span-null",
            "parent_span_id": None,
            "started_at": None,
        },
        {
            "_type": "agent_spans/finish",
            "idempotency_key": "bulk-null-fin",
            "agent_span_id": "span-null",
            "status": None,
            "timestamp": None,
        },
    ]

    answer = api.post("/api/v1/bulk", json={"items": items})

    outputs = answer.json()["outputs"]
    assert [out["status"] for out in outputs.values()] == ["success", "success"], outputs
    assert prefactor_server.state()["spans"]["span-null"]["status"] == "complete"
