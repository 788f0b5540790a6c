"""openapi.yaml is valid OpenAPI, and the answers the tests play are answers it allows."""

from __future__ import annotations

import copy
import sys

import pytest
from conftest import ROOT, SPEC, component, error, instance_json, span_json, success
from openapi_spec_validator import validate

from prefactor_http import _validate

sys.path.insert(0, str(ROOT / "scripts"))
import generate

ERROR_STATUSES = {"401", "403", "429", "500", "501", "502", "503", "504"}


def test_the_spec_is_valid_openapi():
    """openapi-spec-validator accepts the spec."""
    validate(SPEC)


def test_the_spec_covers_every_operation_of_the_wire_format():
    """Ping, the instance lifecycle, spans, bulk and agents are all described (and may grow)."""
    operations = {(method.upper(), path) for path, item in SPEC["paths"].items() for method in item}
    assert operations >= {
        ("GET", "/api/v1/ping"),
        ("POST", "/api/v1/agent_instance/register"),
        ("GET", "/api/v1/agent_instance/{agent_instance_id}"),
        ("POST", "/api/v1/agent_instance/{agent_instance_id}/start"),
        ("POST", "/api/v1/agent_instance/{agent_instance_id}/finish"),
        ("POST", "/api/v1/agent_instance/{agent_instance_id}/record_quality"),
        ("POST", "/api/v1/agent_spans"),
        ("POST", "/api/v1/agent_spans/{agent_span_id}/finish"),
        ("POST", "/api/v1/bulk"),
        ("POST", "/api/v1/agent"),
        ("GET", "/api/v1/agent"),
        ("GET", "/api/v1/agent/show"),
        ("GET", "/api/v1/agent/{agent_id}"),
        ("PUT", "/api/v1/agent/{agent_id}"),
        ("DELETE", "/api/v1/agent/{agent_id}"),
        ("POST", "/api/v1/agent/{agent_id}/retire"),
        ("POST", "/api/v1/agent/{agent_id}/reinstate"),
    }


@pytest.mark.parametrize(
    ("method", "path"),
    [(m, p) for p, item in SPEC["paths"].items() for m in item],
)
def test_every_operation_documents_its_error_statuses(method, path):
    """Auth, rate-limit and server errors are declared with the error envelope everywhere."""
    responses = SPEC["paths"][path][method]["responses"]
    assert responses.keys() >= ERROR_STATUSES
    for status, response in responses.items():
        if status.startswith(("4", "5")):
            assert response == {"$ref": "#/components/responses/Error"}


@pytest.mark.parametrize(
    ("schema", "answer"),
    [
        ("AgentInstanceEnvelope", success(instance_json())),
        ("AgentInstanceEnvelope", success(instance_json(brand_new_field={"x": 1}))),
        ("AgentSpanEnvelope", success(span_json())),
        (
            "AgentSpanEnvelope",
            success(span_json(), control={"terminate": True, "reason": "budget"}),
        ),
        ("ErrorEnvelope", error("validation_error", "bad", errors={"status": ["is invalid"]})),
        (
            "BulkResponse",
            {
                "status": "success",
                "outputs": {
                    "key-00001": {"status": "success", "details": span_json()},
                    "key-00002": {"status": "error", "code": "not_found", "message": "no"},
                },
            },
        ),
    ],
)
def test_the_answers_the_tests_play_fit_the_spec(schema, answer):
    """Sample answers validate, so the tests exercise answers a real server may send."""
    component(schema).validate(answer)


def test_status_enums_are_closed_on_requests_and_open_on_answers():
    """Requests may only carry documented values; answers may carry values added later."""
    assert not component("FinishStatus").is_valid("hibernating")
    assert not component("AgentStatus").is_valid("hibernating")
    assert component("AgentInstance").is_valid(instance_json(status="hibernating"))


def test_request_schemas_catch_misnamed_fields_and_bad_timestamps():
    """The schemas the tests check request bodies against are strict enough to matter."""
    start = component("StartAgentInstanceRequest")
    assert start.is_valid({"timestamp": "2026-11-22T14:13:05+00:00", "idempotency_key": "k"})
    assert not start.is_valid({"timestamp": "yesterday"})
    assert not start.is_valid({"idempotencyKey": "k"})
    assert not component("AgentSpanDetails").is_valid(
        {"agent_instance_id": "i", "schema_name": "s", "status": "active"}
    )


def test_the_clients_key_limits_are_the_specs():
    """The key bounds checked before sending are read from openapi.yaml by `make generate`."""
    key = SPEC["components"]["schemas"]["IdempotencyKey"]
    bulk_key = SPEC["components"]["schemas"]["BulkItem"]["properties"]["idempotency_key"]

    assert (
        key["minLength"],
        key["maxLength"],
    ) == (_validate.IDEMPOTENCY_KEY_MIN, _validate.IDEMPOTENCY_KEY_MAX)
    assert (
        bulk_key["minLength"],
        bulk_key["maxLength"],
    ) == (_validate.BULK_KEY_MIN, _validate.BULK_KEY_MAX)


def test_a_limit_raised_in_the_spec_is_written_into_the_generated_limits():
    """A spec that allows 80-character keys yields a limits module that says 80."""
    spec = copy.deepcopy(SPEC)
    spec["components"]["schemas"]["IdempotencyKey"]["maxLength"] = 80

    namespace: dict[str, object] = {}
    exec(generate.limits_module(spec), namespace)

    assert namespace["IDEMPOTENCY_KEY_MAX_LENGTH"] == 80
