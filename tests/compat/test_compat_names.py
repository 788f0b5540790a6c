"""The names prefactor-http 0.4.3 exported import from us and work where our client takes them.

The field names and defaults below are those of 0.4.3's models, read from
its pydantic `model_fields` in the compat venv (`make compat` builds it).
"""

from __future__ import annotations

import importlib
import typing

import attrs
import pytest

import prefactor_http
from prefactor_http import (
    AgentInstance,
    AgentInstanceRecordQuality,
    AgentInstanceSpanCounts,
    AgentSchemaVersionForRegister,
    AgentVersionForRegister,
    ApiResponse,
    FinishInstanceRequest,
    HttpClientConfig,
    QualitySchemaDetails,
    QualitySchemaForCreate,
    RuntimeEnvironment,
    SpanTypeSchemaForCreate,
    SyncPrefactorHttpClient,
)

# Every top-level name users of 0.4.3 import from `prefactor_http`.
NAMES_0_4_3 = [
    "AgentInstance",
    "AgentInstanceRecordQuality",
    "AgentInstanceSpanCounts",
    "AgentSchemaVersionForRegister",
    "AgentSpan",
    "AgentStatus",
    "AgentVersionForRegister",
    "ApiResponse",
    "BulkItem",
    "BulkOutput",
    "BulkRequest",
    "BulkResponse",
    "FinishInstanceRequest",
    "FinishStatus",
    "HttpClientConfig",
    "InstancePurpose",
    "PrefactorApiError",
    "PrefactorAuthError",
    "PrefactorClientError",
    "PrefactorHttpClient",
    "PrefactorHttpError",
    "PrefactorNotFoundError",
    "PrefactorResponseContractError",
    "PrefactorRetryExhaustedError",
    "PrefactorValidationError",
    "QualitySchemaDetails",
    "QualitySchemaForCreate",
    "RuntimeEnvironment",
    "SpanTypeSchemaForCreate",
    "__version__",
]

# 0.4.3's request shapes: field name -> required (True) or default None (False).
FIELDS_0_4_3: dict[type, dict[str, bool]] = {
    RuntimeEnvironment: dict.fromkeys(("agent_sdk", "os", "prefactor_sdk", "runtime"), False),
    AgentVersionForRegister: dict.fromkeys(
        ("name", "external_identifier", "description", "runtime_environment"), False
    ),
    SpanTypeSchemaForCreate: {
        "name": True,
        "params_schema": True,
        "result_schema": False,
        "title": False,
        "description": False,
        "template": False,
        "data_risk": False,
    },
    QualitySchemaForCreate: {
        "name": True,
        "schema_": True,
        "title": False,
        "description": False,
        "template": False,
        "data_risk": False,
    },
    QualitySchemaDetails: {
        "name": True,
        "title": True,
        "description": False,
        "template": False,
        "data_risk": True,
        "schema_": True,
        "schema_validation": True,
    },
    AgentSchemaVersionForRegister: dict.fromkeys(
        (
            "external_identifier",
            "span_schemas",
            "span_result_schemas",
            "span_type_schemas",
            "quality_schemas",
        ),
        False,
    ),
    AgentInstanceRecordQuality: {"name": True, "payload": False},
    FinishInstanceRequest: dict.fromkeys(("status", "timestamp", "idempotency_key"), False),
}


@pytest.mark.parametrize("name", NAMES_0_4_3)
def test_every_0_4_3_name_imports_from_the_package(name):
    module = importlib.import_module("prefactor_http")
    assert hasattr(module, name)
    assert name in prefactor_http.__all__


def test_status_literals_hold_the_0_4_3_values():
    """Every value 0.4.3 accepted is still accepted (the spec may add more)."""
    assert set(typing.get_args(prefactor_http.AgentStatus)) >= {
        "pending",
        "active",
        "complete",
        "failed",
        "cancelled",
        "terminated",
    }
    assert set(typing.get_args(prefactor_http.FinishStatus)) >= {"complete", "failed", "cancelled"}
    assert set(typing.get_args(prefactor_http.InstancePurpose)) >= {"live", "smoke_test", "eval"}


@pytest.mark.parametrize("shape", list(FIELDS_0_4_3), ids=lambda shape: shape.__name__)
def test_request_shapes_have_the_0_4_3_fields(shape):
    fields = {field.name: field for field in attrs.fields(shape)}
    assert set(fields) == set(FIELDS_0_4_3[shape])
    for name, required in FIELDS_0_4_3[shape].items():
        if not required:
            assert fields[name].default is None, name


def test_shapes_read_as_their_json_form():
    version = AgentVersionForRegister(
        name="Support bot",
        external_identifier="v1",
        runtime_environment=RuntimeEnvironment(runtime="python", prefactor_sdk=["x@1"]),
    )
    wire = {
        "name": "Support bot",
        "external_identifier": "v1",
        "runtime_environment": {"runtime": "python", "prefactor_sdk": ["x@1"]},
    }
    assert dict(version) == wire
    assert version.model_dump() == wire
    assert version.to_dict() == wire
    quality = QualitySchemaForCreate(name="helpfulness", schema={"type": "object"})
    assert quality == QualitySchemaForCreate(name="helpfulness", schema_={"type": "object"})
    assert dict(quality) == {"name": "helpfulness", "schema": {"type": "object"}}
    with pytest.raises(TypeError):
        QualitySchemaForCreate(name="helpfulness")
    # A None payload is the API's "remove this record", so it is sent as null.
    assert dict(AgentInstanceRecordQuality(name="helpfulness")) == {
        "name": "helpfulness",
        "payload": None,
    }
    assert dict(FinishInstanceRequest(status="failed")) == {"status": "failed"}


def test_span_counts_and_envelope_map_to_our_types():
    instance = AgentInstance.from_dict(
        {
            "type": "agent_instance",
            "id": "inst-1",
            "account_id": "acc",
            "agent_id": "agent",
            "agent_version_id": "ver",
            "environment_id": "env",
            "agent_deployment_id": "dep",
            "status": "active",
            "inserted_at": "2026-11-22T14:13:05+00:00",
            "updated_at": "2026-11-22T14:13:05+00:00",
            "started_at": None,
            "finished_at": None,
            "termination_reason": None,
            "external_identifier": None,
            "purpose": "live",
            "span_counts": {
                "total": 1,
                "active": 1,
                "complete": 0,
                "failed": 0,
                "cancelled": 0,
                "finished": 0,
            },
        }
    )
    assert isinstance(instance.span_counts, AgentInstanceSpanCounts)
    envelope = ApiResponse(status="success", details=instance)
    assert envelope.details.id == "inst-1"


def test_0_4_3_shapes_work_where_our_client_takes_dicts(prefactor_server):
    """Built the way 0.4.3 code builds them, they register, record quality and finish."""
    config = HttpClientConfig(api_url=prefactor_server.url, api_token=prefactor_server.token)
    schema_version = AgentSchemaVersionForRegister(
        external_identifier="schema-v1",
        span_type_schemas=[
            SpanTypeSchemaForCreate(
                name="agent:llm",
                title="LLM call",
                params_schema={"type": "object"},
                result_schema={"type": "object"},
                template="{{prompt}}",
            )
        ],
    )
    with SyncPrefactorHttpClient(config) as client:
        instance = client.agent_instances.register(
            agent_version=AgentVersionForRegister(
                name="Support bot",
                external_identifier="v1",
                runtime_environment=RuntimeEnvironment(runtime="python"),
            ),
            agent_schema_version=schema_version,
        )
        span = client.agent_spans.create(instance.id, "agent:llm", "active", payload={"p": 1})
        assert span.schema_title == "LLM call"
        path = f"/api/v1/agent_instance/{instance.id}"
        client.request(
            "POST",
            f"{path}/record_quality",
            json_data=AgentInstanceRecordQuality(name="helpfulness", payload={"score": 4}),
        )
        assert prefactor_server.state()["quality"][instance.id] == {"helpfulness": {"score": 4}}
        finished = client.request(
            "POST",
            f"{path}/finish",
            json_data=FinishInstanceRequest(status="cancelled", idempotency_key="finish-compat-1"),
        )
    assert finished["details"]["status"] == "cancelled"
    sent = [r.json for r in prefactor_server.requests if r.path.endswith("/register")]
    assert sent[0]["agent_version"]["runtime_environment"] == {"runtime": "python"}
    assert sent[0]["agent_schema_version"]["span_type_schemas"][0]["title"] == "LLM call"
