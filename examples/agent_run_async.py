"""An agent run reported with the async client, then the same trace again through bulk.

Needs a local server: `make demo` starts one, or run `python -m prefactor_http.server`
and export the PREFACTOR_API_URL and PREFACTOR_API_TOKEN it prints.
"""

from __future__ import annotations

import asyncio

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

from prefactor_http import HttpClientConfig, PrefactorHttpClient


async def main() -> None:
    config = HttpClientConfig()
    async with PrefactorHttpClient(config) as client:
        instance = await client.agent_instances.register(
            agent_version=AGENT_VERSION,
            agent_schema_version=AGENT_SCHEMA_VERSION,
            external_identifier="async-run",
            purpose="smoke_test",
        )
        await client.agent_instances.start(instance.id)
        tool = await client.agent_spans.create(
            instance.id, "agent:tool", "active", payload=TOOL_CALL
        )
        llm = await client.agent_spans.create(
            instance.id, "agent:llm", "active", payload=LLM_CALL, parent_span_id=tool.id
        )
        await client.agent_spans.finish(llm.id, status="complete", result_payload=LLM_RESULT)
        await client.agent_spans.finish(tool.id, status="complete", result_payload=TOOL_RESULT)
        await client.agent_instances.finish(instance.id, status="complete")

        bulk_id, request = bulk_trace("async-bulk")
        response = await client.bulk.execute(request)
        print(f"bulk: {len(response.succeeded)} of {len(request.items)} items succeeded")

    print_stored_tree(config, [instance.id, bulk_id])


if __name__ == "__main__":
    asyncio.run(main())
