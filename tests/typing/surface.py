"""Mistakes the typed surface must catch: mypy --strict fails if any `ignore` here is unused.

(`warn_unused_ignores` is on under strict: an ignore that silences nothing is an error,
so each line below proves mypy rejects that mistake.)
"""

from __future__ import annotations

from prefactor_http import HttpClientConfig, SyncPrefactorHttpClient
from prefactor_http.models.bulk_actions import CreateAgentSpanItem, StartAgentInstanceItem

CONFIG = HttpClientConfig(api_url="https://app.prefactorai.com", api_token="token")


def bulk_item_mistakes() -> None:
    CreateAgentSpanItem(  # type: ignore[call-arg]
        idempotency_key="span-0001", agent_instance_id="i", status="active"
    )
    CreateAgentSpanItem(
        idempotency_key="span-0001",
        agent_instance_id="i",
        schema_name="agent:llm",
        status="actve",  # type: ignore[arg-type]
    )
    CreateAgentSpanItem(
        idempotency_key="span-0001",
        agent_instance_id="i",
        schema_name="agent:llm",
        status="active",
        payloda={},  # type: ignore[call-arg]
    )
    StartAgentInstanceItem(idempotency_key="start-001")  # type: ignore[call-arg]


def method_mistakes() -> None:
    with SyncPrefactorHttpClient(CONFIG) as client:
        client.agent_spans.create("i", "agent:llm", "active", payloda={})  # type: ignore[call-arg]
        client.agent_spans.finish("s", status="done")  # type: ignore[arg-type]
        client.agents.list_page(page_size="10")  # type: ignore[arg-type]
        client.agents.update("a", {"name": "n"}, clear=["name"])  # type: ignore[list-item]
