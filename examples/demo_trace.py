"""What both example agents report, and how they show what the server stored.

The agent answers one question: a tool call (a search) holding an LLM call
that summarises the search result.
"""

from __future__ import annotations

import uuid
from typing import Any

import httpx

from prefactor_http import BulkItem, BulkRequest, HttpClientConfig
from prefactor_http.models.params import AgentSchemaVersionParam, AgentVersionParam
from prefactor_http.server import render_tree

AGENT_VERSION: AgentVersionParam = {
    "name": "Weather bot",
    "external_identifier": "weather-bot@1.0.0",
}
AGENT_SCHEMA_VERSION: AgentSchemaVersionParam = {
    "external_identifier": "weather-bot-spans@1",
    "span_type_schemas": [
        {
            "name": "agent:tool",
            "title": "Tool Call",
            "params_schema": {"type": "object", "properties": {"tool": {"type": "string"}}},
        },
        {
            "name": "agent:llm",
            "title": "LLM Call",
            "params_schema": {"type": "object", "properties": {"prompt": {"type": "string"}}},
            "template": "{{model}}: {{prompt}} → {{response}}",
        },
    ],
}
TOOL_CALL = {"tool": "search", "query": "weather in Paris"}
TOOL_RESULT = {"hits": 1}
LLM_CALL = {"model": "gpt-x", "prompt": "Summarise: sunny, 21°C"}
LLM_RESULT = {"response": "Sunny and 21°C in Paris."}


def bulk_trace(run_name: str) -> tuple[str, BulkRequest]:
    """The same run as one bulk request: ids chosen here so later items can name them.

    Ids and keys are new on every call, so running an example again against
    the same server records a new run; the tree shows it by `run_name`.
    """
    batch = uuid.uuid4().hex[:12]
    run_id, tool_id, llm_id = (f"{run_name}-{batch}-{part}" for part in ("run", "tool", "llm"))

    def item(kind: str, step: str, **params: Any) -> BulkItem:
        return BulkItem(_type=kind, idempotency_key=f"{batch}-{step}", **params)

    span = {"agent_instance_id": run_id, "status": "active"}
    items = [
        item(
            "agent_instances/register",
            "register",
            id=run_id,
            external_identifier=run_name,
            agent_version=AGENT_VERSION,
            agent_schema_version=AGENT_SCHEMA_VERSION,
        ),
        item("agent_instances/start", "start", agent_instance_id=run_id),
        item(
            "agent_spans/create",
            "tool",
            id=tool_id,
            schema_name="agent:tool",
            payload=TOOL_CALL,
            **span,
        ),
        item(
            "agent_spans/create",
            "llm",
            id=llm_id,
            schema_name="agent:llm",
            payload=LLM_CALL,
            parent_span_id=tool_id,
            **span,
        ),
        item(
            "agent_spans/finish",
            "llm-done",
            agent_span_id=llm_id,
            status="complete",
            result_payload=LLM_RESULT,
        ),
        item(
            "agent_spans/finish",
            "tool-done",
            agent_span_id=tool_id,
            status="complete",
            result_payload=TOOL_RESULT,
        ),
        item("agent_instances/finish", "finish", agent_instance_id=run_id, status="complete"),
    ]
    return run_id, BulkRequest(items=items)


def print_stored_tree(config: HttpClientConfig, instance_ids: list[str]) -> None:
    """Fetch the local server's state over its control interface and print these runs."""
    state = httpx.get(f"{config.api_url}/_control/state", timeout=10).json()
    print(render_tree(state, instance_ids))
