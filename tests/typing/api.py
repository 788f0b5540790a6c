"""Public-API usages, checked by mypy --strict (never run): a signature change breaks them."""

from __future__ import annotations

from datetime import UTC, datetime

from prefactor_http import (
    AgentInstance,
    AgentSpan,
    BulkItem,
    BulkRequest,
    BulkResponse,
    HttpClientConfig,
    PrefactorApiError,
    PrefactorHttpClient,
    SyncPrefactorHttpClient,
    is_transient_http_error,
)
from prefactor_http.models.types import FinishStatus

CONFIG = HttpClientConfig(api_url="https://app.prefactorai.com", api_token="token")
VERSION = {"name": "bot", "external_identifier": "v1"}
SCHEMA = {"external_identifier": "s1"}


async def async_usage() -> None:
    async with PrefactorHttpClient(CONFIG, sdk_header="my-sdk@1.0") as client:
        instance: AgentInstance = await client.agent_instances.register(
            "agent-1", VERSION, SCHEMA, purpose="eval"
        )
        await client.agent_instances.start(
            instance.id, timestamp=datetime.now(UTC), timeout=5.0, max_retries=1
        )
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
