"""An agent run reported with the blocking client, then the same trace again through bulk.

Needs a local server: `make demo` starts one, or run `python -m prefactor_http.server`
and export the PREFACTOR_API_URL and PREFACTOR_API_TOKEN it prints.
"""

from __future__ import annotations

from demo_trace import (
    AGENT_SCHEMA_VERSION,
    AGENT_VERSION,
    LLM_CALL,
    LLM_RESULT,
    TOOL_CALL,
    TOOL_RESULT,
    bulk_trace,
    print_stored_tree,
)

from prefactor_http import HttpClientConfig, SyncPrefactorHttpClient


def main() -> None:
    config = HttpClientConfig()
    with SyncPrefactorHttpClient(config) as client:
        instance = client.agent_instances.register(
            agent_version=AGENT_VERSION,
            agent_schema_version=AGENT_SCHEMA_VERSION,
            external_identifier="sync-run",
            purpose="smoke_test",
        )
        client.agent_instances.start(instance.id)
        tool = client.agent_spans.create(instance.id, "agent:tool", "active", payload=TOOL_CALL)
        llm = client.agent_spans.create(
            instance.id, "agent:llm", "active", payload=LLM_CALL, parent_span_id=tool.id
        )
        client.agent_spans.finish(llm.id, status="complete", result_payload=LLM_RESULT)
        client.agent_spans.finish(tool.id, status="complete", result_payload=TOOL_RESULT)
        client.agent_instances.finish(instance.id, status="complete")

        bulk_id, request = bulk_trace("sync-bulk")
        response = client.bulk.execute(request)
        print(f"bulk: {len(response.succeeded)} of {len(request.items)} items succeeded")

    print_stored_tree(config, [instance.id, bulk_id])


if __name__ == "__main__":
    main()
