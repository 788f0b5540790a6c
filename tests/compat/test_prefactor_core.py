"""prefactor-core 0.5.3, unmodified, drives this package.

The first tests play the API with the spec-checking loopback server, so every
body prefactor-core makes is validated against openapi.yaml; the last ones
run it against the local Prefactor API and check what that server stored.
"""

from __future__ import annotations

import asyncio
import json
import re

import pytest
from conftest import TOKEN, instance_json, sent, span_json, success
from werkzeug import Request, Response

from prefactor_http import PACKAGE_VERSION, HttpClientConfig, PrefactorValidationError
from prefactor_http.server import Fault

core = pytest.importorskip(
    "prefactor_core", reason="prefactor-core is not installed (the dev extra pins 0.5.3)"
)

UUID_KEY = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def api(request: Request) -> Response:
    """Answers as the API would: ids for new spans, the instance for everything else."""
    body = request.get_json(silent=True) or {}
    if request.path == "/api/v1/ping":
        answer = {"status": "success"}
    elif request.path == "/api/v1/agent_spans":
        span_id = "span-inner" if body["details"]["payload"] == {"q": "inner"} else "span-outer"
        answer = success(span_json(id=span_id))
    elif request.path.startswith("/api/v1/agent_spans/"):
        answer = success(span_json(status=body["status"]))
    else:
        answer = success(instance_json(id="inst-1"))
    return Response(json.dumps(answer), content_type="application/json")


def test_core_config_keeps_our_config_and_hides_the_token(make_config):
    """PrefactorCoreConfig (pydantic) holds our HttpClientConfig as given, token unseen."""
    config = make_config(max_retries=1)

    core_config = core.PrefactorCoreConfig(http_config=config)

    assert core_config.http_config is config
    assert TOKEN not in repr(core_config)


def test_prefactor_core_reports_an_instance_with_nested_spans(server, make_config):
    """Register, start, nested spans, a quality record and finish reach the API as specified."""
    server.expect_request(re.compile("^/api/v1/")).respond_with_handler(api)
    registry = core.SchemaRegistry()
    registry.register_type(
        "agent:llm",
        {"type": "object"},
        result_schema={"type": "object"},
        data_risk={"action_profile": {}, "params_data_categories": {}},
    )
    registry.register_quality_schema("helpfulness", {"type": "object"})
    config = core.PrefactorCoreConfig(http_config=make_config(), schema_registry=registry)

    async def run_agent() -> None:
        async with core.PrefactorCoreClient(config, sdk_header_entry="my-agent@1.0") as client:
            instance = await client.create_agent_instance(
                agent_version={"name": "bot", "external_identifier": "v1"}, agent_id="agent-1"
            )
            assert instance.id == "inst-1"
            await instance.start()
            async with instance.span("agent:llm") as outer:
                await outer.start({"q": "outer"})
                async with instance.span("agent:llm") as inner:
                    await inner.start({"q": "inner"})
                    await inner.complete({"a": "inner"})
            await instance.record_quality("helpfulness", {"score": 1})
            await instance.finish()

    asyncio.run(run_agent())

    requests = sent(server)
    sdk = f"my-agent@1.0 prefactor-core@0.5.3 prefactor-http@{PACKAGE_VERSION}"
    assert {headers["x-prefactor-sdk"] for _, _, headers, _ in requests} == {sdk}
    by_path = {path: body for _, path, _, body in requests}
    assert (len(requests), len(by_path)) == (9, 8)  # two span creates share a path
    register = by_path["/api/v1/agent_instance/register"]
    assert register["agent_version"]["runtime_environment"]["prefactor_sdk"] == [
        "prefactor-core@0.5.3",
        f"prefactor-http@{PACKAGE_VERSION}",
    ]
    assert register["agent_schema_version"]["quality_schemas"] == [
        {"name": "helpfulness", "schema": {"type": "object"}}
    ]
    assert register["agent_schema_version"]["span_type_schemas"][0]["data_risk"] == {
        "action_profile": {},
        "params_data_categories": {},
    }
    creates = [body["details"] for _, path, _, body in requests if path == "/api/v1/agent_spans"]
    assert [(d["payload"], d.get("parent_span_id")) for d in creates] == [
        ({"q": "outer"}, None),
        ({"q": "inner"}, "span-outer"),
    ]
    assert by_path["/api/v1/agent_spans/span-inner/finish"]["result_payload"] == {"a": "inner"}
    assert by_path["/api/v1/agent_spans/span-outer/finish"]["status"] == "complete"
    quality = by_path["/api/v1/agent_instance/inst-1/record_quality"]
    assert (quality["name"], quality["payload"]) == ("helpfulness", {"score": 1})
    assert by_path["/api/v1/agent_instance/inst-1/finish"]["status"] == "complete"
    assert "timestamp" in by_path["/api/v1/agent_instance/inst-1/start"]
    for _, path, headers, body in requests:
        if body is not None:
            key = body.get("idempotency_key") or body["details"]["idempotency_key"]
            assert UUID_KEY.match(key), (path, key)
            assert headers["idempotency-key"] == key


def test_a_permanent_error_surfaces_as_core_telemetry_failure(server, make_config):
    """A 422 on a queued finish is not retried; prefactor-core raises it on close."""
    server.expect_request("/api/v1/ping").respond_with_json({"status": "success"})
    server.expect_request("/api/v1/agent_instance/register").respond_with_json(
        success(instance_json())
    )
    server.expect_request("/api/v1/agent_instance/inst-1/finish").respond_with_json(
        {"status": "error", "code": "validation_error", "message": "bad status"}, status=422
    )
    config = core.PrefactorCoreConfig(http_config=make_config())

    async def run_agent() -> None:
        async with core.PrefactorCoreClient(config) as client:
            instance = await client.create_agent_instance(
                agent_version={"name": "bot", "external_identifier": "v1"},
                agent_schema_version={"external_identifier": "s1"},
            )
            await instance.finish()

    with pytest.raises(core.PrefactorTelemetryFailureError) as caught:
        asyncio.run(run_agent())

    failure = caught.value
    assert failure.operation_type == "FINISH_AGENT_INSTANCE"
    assert isinstance(failure.cause, PrefactorValidationError)
    assert (failure.cause.status_code, failure.cause.code) == (422, "validation_error")
    paths = [path for _, path, _, _ in sent(server)]
    assert paths.count("/api/v1/agent_instance/inst-1/finish") == 1


def _core_config(server, registry=None):
    """prefactor-core aimed at the local server, one worker so queued calls keep their order."""
    http = HttpClientConfig(
        api_url=server.url, api_token=server.token, initial_retry_delay=0.01, max_retry_delay=0.05
    )
    return core.PrefactorCoreConfig(
        http_config=http,
        queue_config=core.QueueConfig(num_workers=1, max_retries=0),
        schema_registry=registry,
    )


def test_prefactor_core_run_is_stored_by_the_local_server(prefactor_server):
    """A run through prefactor-core, unmodified, leaves the state its calls describe."""
    registry = core.SchemaRegistry()
    registry.register_type("agent:tool", {"type": "object"}, result_schema={"type": "object"})
    registry.register_type("agent:llm", {"type": "object"}, result_schema={"type": "object"})
    registry.register_quality_schema("helpfulness", {"type": "object"})
    config = _core_config(prefactor_server, registry)

    async def run_agent() -> str:
        async with core.PrefactorCoreClient(config, sdk_header_entry="my-agent@1.0") as client:
            instance = await client.create_agent_instance(
                agent_version={"name": "bot", "external_identifier": "v1"}
            )
            await instance.start()
            async with instance.span("agent:tool") as tool:
                await tool.start({"tool": "search"})
                async with instance.span("agent:llm") as llm:
                    await llm.start({"prompt": "hi"})
                    await llm.complete({"text": "hello"})
                await tool.complete({"hits": 3})
            await instance.record_quality("helpfulness", {"score": 1})
            await instance.finish()
            return str(instance.id)

    instance_id = asyncio.run(run_agent())

    state = prefactor_server.state()
    instance = state["instances"][instance_id]
    assert instance["status"] == "complete"
    assert instance["span_counts"]["total"] == 2
    assert instance["span_counts"]["complete"] == 2
    spans = {span["schema_name"]: span for span in state["spans"].values()}
    assert spans["agent:tool"]["parent_span_id"] is None
    assert spans["agent:llm"]["parent_span_id"] == spans["agent:tool"]["id"]
    assert (spans["agent:llm"]["payload"], spans["agent:llm"]["result_payload"]) == (
        {"prompt": "hi"},
        {"text": "hello"},
    )
    assert spans["agent:tool"]["result_payload"] == {"hits": 3}
    assert state["quality"] == {instance_id: {"helpfulness": {"score": 1}}}
    operations = [effect.operation for effect in prefactor_server.effects]
    assert operations.count("registerAgentInstance") == 1
    assert operations.count("createAgentSpan") == 2
    assert operations.count("finishAgentSpan") == 2
    sdk = f"my-agent@1.0 prefactor-core@0.5.3 prefactor-http@{PACKAGE_VERSION}"
    assert {r.headers["x-prefactor-sdk"] for r in prefactor_server.requests} == {sdk}


def test_a_422_on_span_create_reaches_prefactor_core_and_stores_no_span(prefactor_server):
    """A permanent error is raised to the agent at once, not retried, and nothing is stored."""
    prefactor_server.inject(Fault.status(422), method="POST", path="/api/v1/agent_spans")
    config = _core_config(prefactor_server)

    async def run_agent() -> tuple[str, BaseException | None]:
        async with core.PrefactorCoreClient(config) as client:
            instance = await client.create_agent_instance(
                agent_version={"name": "bot", "external_identifier": "v1"},
                agent_schema_version={"external_identifier": "s1"},
            )
            await instance.start()
            raised = None
            try:
                await client.create_span(instance.id, "agent:llm", payload={"prompt": "hi"})
            except PrefactorValidationError as exc:
                raised = exc
            await instance.finish()
            return str(instance.id), raised

    instance_id, raised = asyncio.run(run_agent())

    assert isinstance(raised, PrefactorValidationError)
    assert raised.status_code == 422
    assert "POST /api/v1/agent_spans" in str(raised)
    creates = [r for r in prefactor_server.requests if r.path == "/api/v1/agent_spans"]
    assert len(creates) == 1
    state = prefactor_server.state()
    assert state["spans"] == {}
    assert state["instances"][instance_id]["status"] == "complete"
