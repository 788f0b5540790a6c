"""Public-API usages, checked by mypy --strict (never run): a signature change breaks them."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any, assert_type, cast

from prefactor_http import (
    AgentInstance,
    AgentSpan,
    BulkItem,
    BulkRequest,
    BulkResponse,
    HttpClientConfig,
    PrefactorApiError,
    PrefactorHttpClient,
    PrefactorHttpError,
    RawResponse,
    SyncPrefactorHttpClient,
    is_permanent_http_error,
    is_transient_http_error,
)
from prefactor_http._generated.models.agent_summary import AgentSummary
from prefactor_http._version import PACKAGE_NAME, PACKAGE_VERSION
from prefactor_http.models.params import AgentSchemaVersionParam, AgentVersionParam
from prefactor_http.models.types import FinishStatus, InstancePurpose

CONFIG = HttpClientConfig(api_url="https://app.prefactorai.com", api_token="token")
VERSION: AgentVersionParam = {"name": "bot", "external_identifier": "v1"}
SCHEMA: AgentSchemaVersionParam = {"external_identifier": "s1"}
# The keys prefactor-core and 0.4.3 send beside the span types: quality schemas, data risk.
RISK = {"action_profile": {"reads": True}, "params_data_categories": {}}
FULL_SCHEMA: AgentSchemaVersionParam = {
    "external_identifier": "s2",
    "span_type_schemas": [{"name": "agent:llm", "params_schema": {}, "data_risk": RISK}],
    "quality_schemas": [{"name": "helpfulness", "schema": {"type": "object"}, "data_risk": RISK}],
}


async def async_usage() -> None:
    async with PrefactorHttpClient(CONFIG, sdk_header="my-sdk@1.0") as client:
        instance: AgentInstance = await client.agent_instances.register(
            "agent-1", VERSION, SCHEMA, purpose="eval"
        )
        await client.agent_instances.register(
            agent_version=VERSION, agent_schema_version=FULL_SCHEMA
        )
        await client.agent_instances.start(
            instance.id, timestamp=datetime.now(UTC), timeout=5.0, max_retries=1
        )
        rated: AgentInstance = await client.agent_instances.record_quality(
            agent_instance_id=instance.id, name="helpfulness", payload={"score": 0.9}
        )
        print(rated.status)
        span: AgentSpan = await client.agent_spans.create(
            instance.id, "agent:llm", "active", payload={"prompt": "hi"}
        )
        status: FinishStatus = "complete"
        await client.agent_spans.finish(span.id, status=status, control_signal_callback=print)
        answer: BulkResponse = await client.bulk.execute(
            BulkRequest(items=[BulkItem(_type="agents/list", idempotency_key="list-0001")])
        )
        failed: str | None = answer.failed
        print(failed, answer.outputs["list-0001"].status)
        raw: dict[str, object] = await client.request("GET", "/api/v1/ping")
        print(raw)


def sync_usage() -> None:
    with SyncPrefactorHttpClient(CONFIG) as client:
        try:
            instance: AgentInstance = client.agent_instances.get("inst-1")
        except PrefactorApiError as exc:
            code: int | None = exc.status_code
            wait: float | None = exc.retry_after
            print(code, wait, is_transient_http_error(exc))
            return
        client.agent_instances.finish(instance.id, status="failed", timeout=2)
        client.agent_instances.record_quality(instance.id, "tone", idempotency_key="tone-0001")


async def prefactor_core_usage(client: PrefactorHttpClient) -> None:
    """Every call prefactor-core 0.5.3 makes, with its keyword names and value types."""
    await client.__aenter__()
    await client.validate_token()
    client._sdk_header = "my-agent@1.0 prefactor-core@0.5.3"
    purpose: InstancePurpose | None = None
    # prefactor-core builds both as dict[str, Any]: a type checker wants them cast to the
    # TypedDicts; any dict runs.
    version: dict[str, Any] = {"name": "bot", "runtime_environment": {"os": "linux"}}
    schema: dict[str, Any] = {"external_identifier": "s1", "quality_schemas": []}
    result = await client.agent_instances.register(
        agent_id=None,
        agent_version=cast("AgentVersionParam", version),
        agent_schema_version=cast("AgentSchemaVersionParam", schema),
        environment_id=None,
        id=None,
        idempotency_key=str(uuid.uuid4()),
        purpose=purpose,
        external_identifier=None,
    )
    instance_id: str = result.id
    now = datetime.now(UTC)
    await client.agent_instances.start(
        agent_instance_id=instance_id, timestamp=now, idempotency_key=None
    )
    span = await client.agent_spans.create(
        agent_instance_id=instance_id,
        schema_name="agent:llm",
        status="active",
        payload={},
        parent_span_id=None,
        started_at=None,
        idempotency_key=str(uuid.uuid4()),
    )
    span_id: str = span.id
    status: FinishStatus = "complete"
    await client.agent_spans.finish(
        agent_span_id=span_id,
        status=status,
        result_payload=None,
        timestamp=now,
        idempotency_key=None,
        control_signal_callback=on_control_signal,
    )
    await client.agent_instances.record_quality(
        agent_instance_id=instance_id, name="helpfulness", payload=None, idempotency_key=None
    )
    try:
        await client.agent_instances.finish(
            agent_instance_id=instance_id, status=status, timestamp=now, idempotency_key=None
        )
    except PrefactorApiError as exc:
        already_finished: bool = exc.status_code == 409
        print(already_finished, is_permanent_http_error(exc))
    fetched = await client.agent_instances.get(instance_id)
    print(fetched.status == "terminated", fetched.termination_reason)
    print(f"{PACKAGE_NAME}@{PACKAGE_VERSION}")
    await client.__aexit__(None, None, None)


def on_control_signal(reason: str | None) -> None:
    print(reason)


async def async_metadata_usage() -> None:
    client = PrefactorHttpClient(CONFIG, default_headers={"X-Team": "blue"})
    quick = client.with_options(timeout=2.0, max_retries=0, headers={"X-Trace": "t-1"})
    raw = await quick.agent_spans.with_raw_response.create("inst-1", "agent:llm", "active")
    assert_type(raw, RawResponse[AgentSpan])
    span: AgentSpan = raw.parse()
    request_id: str | None = raw.request_id
    elapsed: timedelta = raw.elapsed
    print(span.id, request_id, elapsed, raw.status_code, raw.headers.get("date"), raw.attempts)
    ping = await client.with_raw_response.validate_token(timeout=1.0)
    assert_type(ping, RawResponse[dict[str, Any]])
    page = await client.agents.with_raw_response.list_agents(page_size=10)
    assert_type(page.parse(), list[AgentSummary])
    try:
        await client.agent_instances.get("inst-1")
    except PrefactorHttpError as exc:
        print(exc.request_id, exc.url, exc.headers)
    await client.close()


def sync_metadata_usage() -> None:
    with SyncPrefactorHttpClient(CONFIG, default_headers={"X-Team": "blue"}) as client:
        quick = client.with_options(max_retries=0)
        assert_type(quick, SyncPrefactorHttpClient)
        raw = quick.agent_instances.with_raw_response.get("inst-1")
        assert_type(raw, RawResponse[AgentInstance])
        bulk = client.bulk.with_raw_response.execute(
            BulkRequest(items=[BulkItem(_type="agents/list", idempotency_key="list-0001")])
        )
        assert_type(bulk.parse(), BulkResponse)
        answer = client.with_raw_response.request("GET", "/api/v1/ping")
        print(answer.url, answer.parse()["status"])
