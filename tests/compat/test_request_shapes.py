"""0.4.3's request shapes: same fields, same `model_dump()`, and the same body on the wire.

0.4.3 runs as a black box in the compat venv: it builds each shape from the
same arguments and reports its fields and dumps, and it makes the calls
whose bodies the shapes describe against the same loopback server as ours.
"""

from __future__ import annotations

import json
from typing import Any

import attrs
import pytest
from conftest import instance_json, sent, span_json, success

from prefactor_http.models import agent_instance, agent_span
from prefactor_http.models.compat import _Shape
from tests.support.public_client import run_public

pytestmark = pytest.mark.slow

# Where each shape lives, here and in 0.4.3.
HOMES = {
    name: module
    for module in (agent_instance, agent_span)
    for name in module.__all__
    if isinstance(getattr(module, name), type) and issubclass(getattr(module, name), _Shape)
}


def shape(cls: str, /, **args: Any) -> dict[str, Any]:
    """A recipe both sides build from: the shape's class name and its keyword arguments."""
    return {"class": cls, "args": args}


DATA_RISK = shape(
    "DataRisk",
    action_profile=shape("ActionProfile", read_data="allowed", destroy_data="disallowed"),
    params_data_categories=shape("DataCategories", personal_identifiers="included"),
    result_data_categories=shape("DataCategories", classification="internal"),
)
SPAN_TYPE = shape(
    "SpanTypeSchemaForCreate",
    name="agent:llm",
    title="LLM call",
    params_schema={"type": "object"},
    result_schema={"type": "object", "properties": {"text": {"type": "string"}}},
    template="{{prompt}}",
    data_risk=DATA_RISK,
)
QUALITY = shape("QualitySchemaForCreate", name="helpfulness", schema={"type": "object"})
VERSION = shape(
    "AgentVersionForRegister",
    name="Support bot",
    external_identifier="v1",
    runtime_environment=shape("RuntimeEnvironment", runtime="python", prefactor_sdk=["core@1"]),
)
SCHEMA_VERSION = shape(
    "AgentSchemaVersionForRegister",
    external_identifier="schema-v1",
    span_type_schemas=[SPAN_TYPE],
    quality_schemas=[QUALITY],
)
# The bodies of the calls the wire test makes, as shapes.
RECORD_QUALITY = shape("AgentInstanceRecordQuality", name="helpfulness", payload={"score": 4})
START = shape("TimestampRequest", timestamp="2026-11-22T14:13:05+00:00")
FINISH_INSTANCE = shape(
    "FinishInstanceRequest", status="failed", timestamp="2026-11-22T14:13:05+00:00"
)
SPAN_CREATE = shape(
    "CreateAgentSpanRequest",
    agent_instance_id="inst-1",
    schema_name="agent:llm",
    status="active",
    payload={"prompt": "Hello"},
    parent_span_id="span-0",
)
SPAN_FINISH = shape("FinishSpanRequest", status="complete", result_payload={"text": "Hi"})
EXAMPLES = [
    shape("RuntimeEnvironment", os="linux"),
    VERSION,
    SPAN_TYPE,
    QUALITY,
    shape(
        "QualitySchemaDetails",
        name="helpfulness",
        title="Helpfulness",
        data_risk=DATA_RISK,
        schema_={"type": "object"},
        schema_validation={"valid": True},
    ),
    SCHEMA_VERSION,
    RECORD_QUALITY,
    shape("AgentInstanceRecordQuality", name="helpfulness"),
    FINISH_INSTANCE,
    shape("ActionProfile"),
    shape("DataCategories", minors_data="excluded"),
    DATA_RISK,
    shape(
        "RegisterAgentInstanceRequest",
        agent_version=VERSION,
        agent_schema_version=SCHEMA_VERSION,
        agent_id="agent_compat",
        purpose="eval",
    ),
    START,
    SPAN_CREATE,
    shape("CreateAgentSpanRequest", agent_instance_id="inst-1", schema_name="s", status="active"),
    SPAN_FINISH,
]

BUILD = """
import importlib
homes = json.loads(sys.argv[1])
def build(value):
    if isinstance(value, dict) and "class" in value:
        module = importlib.import_module(homes[value["class"]])
        args = {key: build(item) for key, item in value["args"].items()}
        return getattr(module, value["class"])(**args)
    if isinstance(value, list):
        return [build(item) for item in value]
    return value
"""
PUBLIC_DUMPS = (
    BUILD
    + """
out = {"dumps": [], "fields": {}}
for recipe in json.load(sys.stdin):
    built = build(recipe)
    out["dumps"].append({
        "plain": built.model_dump(),
        "wire": built.model_dump(exclude_none=True, by_alias=True),
        "json": json.loads(built.model_dump_json()),
    })
for name, module in homes.items():
    model = getattr(importlib.import_module(module), name)
    out["fields"][name] = {key: field.is_required() for key, field in model.model_fields.items()}
print(json.dumps(out))
"""
)


def build(value: Any) -> Any:
    """Our shape from a recipe, built as 0.4.3 code builds it."""
    if isinstance(value, dict) and "class" in value:
        args = {key: build(item) for key, item in value["args"].items()}
        return getattr(HOMES[value["class"]], value["class"])(**args)
    if isinstance(value, list):
        return [build(item) for item in value]
    return value


@pytest.fixture(scope="module")
def public_dumps() -> dict[str, Any]:
    homes = json.dumps({name: module.__name__ for name, module in HOMES.items()})
    return run_public(PUBLIC_DUMPS, EXAMPLES, homes)  # type: ignore[no-any-return]


def test_every_shape_has_0_4_3s_fields(public_dumps):
    """Same field names, and a field is required here exactly when it was in 0.4.3."""
    assert set(public_dumps["fields"]) == set(HOMES)
    for name, fields in public_dumps["fields"].items():
        ours = {field.name: field for field in attrs.fields(getattr(HOMES[name], name))}
        assert set(ours) == set(fields), name
        required = {key for key, field in ours.items() if field.default is attrs.NOTHING}
        assert required == {key for key, needed in fields.items() if needed}, name


@pytest.mark.parametrize("index", range(len(EXAMPLES)))
def test_model_dump_gives_what_0_4_3_gives(public_dumps, index):
    """model_dump(), the wire form (exclude_none, by_alias) and model_dump_json()."""
    ours = build(EXAMPLES[index])
    theirs = public_dumps["dumps"][index]
    assert ours.model_dump() == theirs["plain"]
    assert ours.model_dump(exclude_none=True, by_alias=True) == theirs["wire"]
    assert json.loads(ours.model_dump_json()) == theirs["json"]
    # What our client sends for the shape is the wire form; a quality record without a
    # payload is sent with a null one, the API's "remove it" (0.4.3's wire form drops it).
    removal = EXAMPLES[index]["class"] == "AgentInstanceRecordQuality" and ours.payload is None
    assert dict(ours) == ({**theirs["wire"], "payload": None} if removal else theirs["wire"])


# 0.4.3 makes each call with the wire form of the shapes; we pass the shapes themselves.
PUBLIC_CALLS = (
    BUILD
    + """
import asyncio
from datetime import datetime
from prefactor_http import HttpClientConfig, PrefactorHttpClient
version, schema_version = (build(recipe).model_dump(exclude_none=True, by_alias=True)
                           for recipe in json.load(sys.stdin))
when = datetime.fromisoformat("2026-11-22T14:13:05+00:00")
async def main():
    config = HttpClientConfig(api_url=sys.argv[2], api_token="t", max_retries=0)
    async with PrefactorHttpClient(config) as client:
        await client.agent_instances.register(
            agent_version=version, agent_schema_version=schema_version, agent_id="agent_compat")
        await client.agent_instances.start("inst-1", timestamp=when)
        await client.agent_instances.record_quality("inst-1", "helpfulness", {"score": 4})
        await client.agent_instances.finish("inst-1", status="failed", timestamp=when)
        await client.agent_spans.create(
            "inst-1", "agent:llm", "active", payload={"prompt": "Hello"}, parent_span_id="span-0")
        await client.agent_spans.finish("span-1", status="complete", result_payload={"text": "Hi"})
asyncio.run(main())
print("{}")
"""
)
OUR_CALLS = [
    (
        "/api/v1/agent_instance/register",
        lambda c: c.agent_instances.register(
            agent_version=build(VERSION),
            agent_schema_version=build(SCHEMA_VERSION),
            agent_id="agent_compat",
        ),
    ),
    (
        "/api/v1/agent_instance/inst-1/start",
        lambda c: c.request(
            "POST",
            "/api/v1/agent_instance/inst-1/start",
            json_data=build(START),
        ),
    ),
    (
        "/api/v1/agent_instance/inst-1/record_quality",
        lambda c: c.request(
            "POST", "/api/v1/agent_instance/inst-1/record_quality", json_data=build(RECORD_QUALITY)
        ),
    ),
    (
        "/api/v1/agent_instance/inst-1/finish",
        lambda c: c.request(
            "POST", "/api/v1/agent_instance/inst-1/finish", json_data=build(FINISH_INSTANCE)
        ),
    ),
    (
        "/api/v1/agent_spans",
        lambda c: c.request(
            "POST", "/api/v1/agent_spans", json_data={"details": build(SPAN_CREATE)}
        ),
    ),
    (
        "/api/v1/agent_spans/span-1/finish",
        lambda c: c.request(
            "POST", "/api/v1/agent_spans/span-1/finish", json_data=build(SPAN_FINISH)
        ),
    ),
]


def _answer(server: Any) -> None:
    for path, _ in OUR_CALLS:
        answer = span_json() if "agent_spans" in path else instance_json()
        server.expect_request(path, method="POST").respond_with_json(success(answer))


def _without_keys(body: Any) -> Any:
    """A body without idempotency keys: 0.4.3 sends none unless given one, we always do."""
    if isinstance(body, dict):
        return {k: _without_keys(v) for k, v in body.items() if k != "idempotency_key"}
    return body


def test_shapes_send_the_body_0_4_3_sends(server, twin):
    """Every client kind: a shape where 0.4.3 took its dict sends 0.4.3's body."""
    _answer(server)
    homes = json.dumps({name: module.__name__ for name, module in HOMES.items()})
    run_public(PUBLIC_CALLS, [VERSION, SCHEMA_VERSION], homes, server.url_for("/").rstrip("/"))
    theirs = {path: body for _, path, _, body in sent(server)}
    assert set(theirs) == {path for path, _ in OUR_CALLS}
    server.clear_log()
    for path, call in OUR_CALLS:
        twin(call)
        ours = sent(server)[-1]
        assert ours[1] == path
        assert _without_keys(ours[3]) == _without_keys(theirs[path]), path
