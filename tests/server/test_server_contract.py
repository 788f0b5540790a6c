"""The local server speaks the spec: answers within it, bad requests refused.

Operations come from openapi.yaml, so an operation added there is covered here
without a change to this file.
"""

from __future__ import annotations

import copy
import json
import re
from typing import Any

import httpx
import pytest
from conftest import (
    ROOT,
    SPEC,
    TOO_LONG_KEY,
    register_body,
    registered_instance,
    schema_validator,
    span_body,
    started_instance,
)

from prefactor_http.server._api import LocalApi
from prefactor_http.server._spec import Spec

# The spec's values, as the server's schema check lists them.
SPAN_CREATE_STATUSES = SPEC["components"]["schemas"]["SpanCreateStatus"]["enum"]

OPERATIONS = [
    pytest.param(method.upper(), template, operation, id=operation["operationId"])
    for template, item in SPEC["paths"].items()
    for method, operation in item.items()
]
WITH_BODY = [op for op in OPERATIONS if "requestBody" in op.values[2]]
WITH_PATH_IDS = [op for op in OPERATIONS if "{" in op.values[1]]


# The server's own `$ref` walk, over the repository's openapi.yaml.
resolve = Spec(SPEC).resolve


def example(schema: dict[str, Any], ids: dict[str, str], name: str = "") -> Any:
    """The smallest value the schema allows, with real ids where a field names one."""
    schema = resolve(schema)
    if name in ids:
        return ids[name]
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    if kind == "object":
        props = schema.get("properties", {})
        return {field: example(props[field], ids, field) for field in schema.get("required", [])}
    if kind == "array":
        return [example(schema["items"], ids)] * schema.get("minItems", 0)
    if kind == "string":
        if schema.get("format") == "date-time":
            return "2026-11-22T14:13:05+00:00"
        return "k" * max(schema.get("minLength", 1), 1)
    if kind == "boolean":
        return True
    if kind == "integer":
        return 1
    return {}


def request_for(api: httpx.Client, template: str, operation: dict[str, Any]) -> dict[str, Any]:
    """A valid request for the operation, against a fresh pending instance and active span.

    A retired agent is made for reinstate, a pending one for the other agent operations.
    """
    instance_id = registered_instance(api)
    span_id = api.post("/api/v1/agent_spans", json=span_body(instance_id)).json()["details"]["id"]
    agent_id = api.post("/api/v1/agent", json={"details": {"name": "a"}}).json()["details"]["id"]
    if operation["operationId"] == "reinstateAgent":
        api.post(f"/api/v1/agent/{agent_id}/retire")
    ids = {"agent_instance_id": instance_id, "agent_span_id": span_id, "agent_id": agent_id}
    path = re.sub(r"\{([^}]+)\}", lambda m: ids[m.group(1)], template)
    body = operation.get("requestBody")
    schema = body["content"]["application/json"]["schema"] if body else None
    params = {
        p["name"]: ids[p["name"]]
        for p in operation.get("parameters", [])
        if p.get("in") == "query" and p["name"] in ids
    }
    return {"url": path, "json": example(schema, ids) if schema else None, "params": params}


def assert_answer_in_spec(operation: dict[str, Any], response: httpx.Response) -> None:
    """The status is one the operation declares, and the body fits that status's schema."""
    declared = operation["responses"]
    assert str(response.status_code) in declared, response.text
    content = resolve(declared[str(response.status_code)]).get("content")
    schema_validator(content["application/json"]["schema"]).validate(response.json())


@pytest.mark.parametrize(("method", "template", "operation"), OPERATIONS)
def test_every_operation_answers_a_valid_request_within_the_spec(api, method, template, operation):
    """A minimal valid request succeeds, and the answer validates against the spec."""
    response = api.request(method, **request_for(api, template, operation))

    assert response.status_code == 200, response.text
    assert_answer_in_spec(operation, response)


@pytest.mark.parametrize(("method", "template", "operation"), OPERATIONS)
def test_every_operation_refuses_a_missing_or_wrong_token(api, method, template, operation):
    """No token or a wrong one is 401 with the error envelope, and nothing is stored."""
    request = request_for(api, template, operation)
    before = api.get("/_control/state").json()

    for headers in ({"Authorization": ""}, {"Authorization": "Bearer wrong-token"}):
        response = api.request(method, headers=headers, **request)
        assert response.status_code == 401
        assert response.json()["code"] == "unauthorized"
        assert "wrong-token" not in response.text
        assert_answer_in_spec(operation, response)
    assert api.get("/_control/state").json() == before


@pytest.mark.parametrize(("method", "template", "operation"), WITH_BODY)
def test_every_operation_refuses_a_body_that_is_not_an_object(api, method, template, operation):
    """A JSON array where the spec wants an object is 422 with the error envelope."""
    request = request_for(api, template, operation)

    response = api.request(method, request["url"], json=[request["json"]])

    assert response.status_code == 422
    assert_answer_in_spec(operation, response)
    assert list(response.json()["errors"]) == ["body"]


@pytest.mark.parametrize(
    ("path", "body", "errors"),
    [
        (
            "/api/v1/agent_instance/register",
            {"agent_version": {"name": 1}, "agent_schema_version": {}, "extra": True},
            {
                "agent_version.name": ["1 is not of type 'string'"],
                "agent_version.external_identifier": ["is required"],
                "agent_schema_version.external_identifier": ["is required"],
                "extra": ["is not a known field"],
            },
        ),
        (
            "/api/v1/agent_spans",
            {"details": {"agent_instance_id": "i", "schema_name": "s", "status": "done"}},
            {
                "details.payload": ["is required"],
                "details.status": [f"'done' is not one of {SPAN_CREATE_STATUSES}"],
            },
        ),
        (
            "/api/v1/agent_instance/i/start",
            {"timestamp": "yesterday", "idempotency_key": TOO_LONG_KEY},
            {
                "timestamp": ["'yesterday' is not a 'date-time'"],
                "idempotency_key": [f"'{TOO_LONG_KEY}' is too long"],
            },
        ),
        ("/api/v1/bulk", {"items": []}, {"items": ["[] should be non-empty"]}),
    ],
)
def test_schema_errors_name_each_field(api, path, body, errors):
    """`errors` is keyed by the dotted path of every field at fault."""
    response = api.post(path, json=body)

    assert response.status_code == 422
    assert response.json() == {
        "status": "error",
        "code": "validation_error",
        "message": "the request body is invalid",
        "errors": errors,
    }


@pytest.mark.parametrize(("method", "template", "operation"), WITH_PATH_IDS)
def test_every_operation_on_a_missing_resource_is_404(api, method, template, operation):
    """An id the server does not hold is 404 with the error envelope."""
    request = request_for(api, template, operation)
    missing = re.sub(r"\{[^}]+\}", "no-such-id", template)

    response = api.request(method, missing, json=request["json"])

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert_answer_in_spec(operation, response)


def test_an_unknown_path_is_404(api):
    """A path that is no operation's is 404, with or without a token."""
    for path in (
        "/api/v1/agents",
        "/api/v2/ping",
        "/",
        "/api/v1/agent_instance/",
        "/api/v1/agent/",
    ):
        response = api.get(path, headers={"Authorization": ""})
        assert response.status_code == 404, path
        assert response.json() == {
            "status": "error",
            "code": "not_found",
            "message": "no such API path",
        }


def test_a_known_path_with_another_method_is_405_listing_the_allowed_ones(api):
    """DELETE on ping and POST on an instance's GET path are refused with Allow."""
    response = api.delete("/api/v1/ping")
    assert response.status_code == 405
    assert response.headers["allow"] == "GET"
    assert response.json()["code"] == "method_not_allowed"
    assert api.post("/api/v1/agent_instance/i", json={}).headers["allow"] == "GET"


def test_a_body_that_is_not_json_is_400(api):
    """Bytes that do not parse are refused before the schema is looked at."""
    response = api.post(
        "/api/v1/agent_instance/register",
        content=b"{not json",
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_json"


def test_a_percent_encoded_slash_stays_inside_one_id(api):
    """`a%2Fb` routes to the instance `a/b`, as the client encodes ids."""
    instance_id = started_instance(api, id="a/b")

    response = api.get("/api/v1/agent_instance/a%2Fb")

    assert response.status_code == 200
    assert response.json()["details"]["id"] == instance_id == "a/b"


def test_an_answer_outside_the_spec_becomes_a_500_naming_the_field():
    """With answer checks on, a server-side bug cannot reach a client as a valid answer."""
    document = copy.deepcopy(SPEC)
    document["components"]["schemas"]["AgentInstance"]["required"].append("brand_new_field")
    api = LocalApi("t", spec=Spec(document))
    auth = {"authorization": "Bearer t"}
    body = json.dumps(register_body()).encode()

    answer = api.handle("POST", "/api/v1/agent_instance/register", auth, body)

    assert answer.status == 500
    assert answer.body["code"] == "answer_outside_spec"
    assert "brand_new_field" in answer.body["message"]


def test_the_packaged_spec_is_openapi_yaml():
    """The JSON inside the package (what an installed server reads) is the repository's spec."""
    packaged = json.loads((ROOT / "prefactor_http" / "server" / "openapi.json").read_text())
    assert packaged == SPEC
    assert Spec().document == SPEC
