"""Our client's cases in `make bench`, and the bare httpx ones (benchmarks/bench.py runs them).

Each case takes the server's URL and a count and returns the CPU and wall
seconds of its timed loop (after a warm-up): one span create per call, on
the blocking client, the async client (aiohttp or httpx underneath) and
bare httpx; `bulk.execute` with BULK_SIZE items per request, making the
items included; 200 calls in flight on the async client. `check_ours` reads
every answer the benchmark server gives with both of our clients.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any

from bench_measure import (
    BULK_SIZE,
    PAYLOAD,
    REQUEST_HEADERS,
    SPAN_PATH,
    atimed,
    bulk_item,
    bulk_request,
    config,
    sdk_headers,
    span_body,
    timed,
)

IN_FLIGHT = 200


def bare_sync(url: str, calls: int) -> tuple[float, float]:
    import httpx

    body, content_type = span_body(), REQUEST_HEADERS
    with httpx.Client(base_url=url, headers=sdk_headers()) as client:

        def loop(n: int) -> None:
            for _ in range(n):
                client.post(SPAN_PATH, content=body, headers=content_type).json()

        return timed(loop, calls)


def bare_async(url: str, calls: int) -> tuple[float, float]:
    import httpx

    body, content_type = span_body(), REQUEST_HEADERS

    async def main() -> tuple[float, float]:
        async with httpx.AsyncClient(base_url=url, headers=sdk_headers()) as client:

            async def loop(n: int) -> None:
                for _ in range(n):
                    (await client.post(SPAN_PATH, content=body, headers=content_type)).json()

            return await atimed(loop, calls)

    return asyncio.run(main())


def ours_sync(url: str, calls: int) -> tuple[float, float]:
    from prefactor_http import SyncPrefactorHttpClient

    with SyncPrefactorHttpClient(config(url)) as client:

        def loop(n: int) -> None:
            for _ in range(n):
                client.agent_spans.create("inst-1", "agent:llm", "active", payload=PAYLOAD)

        return timed(loop, calls)


def ours_async_with(**settings: Any) -> Callable[[str, int], tuple[float, float]]:
    def case(url: str, calls: int) -> tuple[float, float]:
        from prefactor_http import PrefactorHttpClient

        async def main() -> tuple[float, float]:
            async with PrefactorHttpClient(config(url, **settings)) as client:

                async def loop(n: int) -> None:
                    for _ in range(n):
                        await client.agent_spans.create(
                            "inst-1", "agent:llm", "active", payload=PAYLOAD
                        )

                return await atimed(loop, calls)

        return asyncio.run(main())

    return case


def ours_bulk_async(url: str, items: int) -> tuple[float, float]:
    from prefactor_http import PrefactorHttpClient

    async def main() -> tuple[float, float]:
        async with PrefactorHttpClient(config(url)) as client:

            async def loop(n: int) -> None:
                for start in range(0, n, BULK_SIZE):
                    response = await client.bulk.execute(
                        bulk_request(start, min(n, start + BULK_SIZE))
                    )
                    for output in response.outputs.values():
                        assert output.status == "success", output

            return await atimed(loop, items)

    return asyncio.run(main())


def ours_bulk_sync(url: str, items: int) -> tuple[float, float]:
    from prefactor_http import SyncPrefactorHttpClient

    with SyncPrefactorHttpClient(config(url)) as client:

        def loop(n: int) -> None:
            for start in range(0, n, BULK_SIZE):
                response = client.bulk.execute(bulk_request(start, min(n, start + BULK_SIZE)))
                for output in response.outputs.values():
                    assert output.status == "success", output

        return timed(loop, items)


def concurrent_ours_with(
    user_client: bool = False, **settings: Any
) -> Callable[[str, int], tuple[float, float]]:
    """200 calls in flight on the client's default pool, as the existing client is run.

    `user_client`: through an `httpx.AsyncClient` with its default pool (`http_client=`).
    """

    def case(url: str, calls: int) -> tuple[float, float]:
        import httpx

        from prefactor_http import PrefactorHttpClient

        async def main() -> tuple[float, float]:
            http = httpx.AsyncClient() if user_client else None
            async with PrefactorHttpClient(config(url, **settings), http_client=http) as client:

                async def one() -> None:
                    await client.agent_spans.create(
                        "inst-1", "agent:llm", "active", payload=PAYLOAD
                    )

                try:
                    return await atimed(lambda n: in_flight(one, n), calls)
                finally:
                    if http is not None:
                        await http.aclose()

        return asyncio.run(main())

    return case


async def in_flight(one: Callable[[], Coroutine[Any, Any, None]], calls: int) -> None:
    """`calls` calls by IN_FLIGHT workers, so IN_FLIGHT are in flight at any time."""
    remaining = calls

    async def worker() -> None:
        nonlocal remaining
        while remaining > 0:
            remaining -= 1
            await one()

    await asyncio.gather(*(worker() for _ in range(IN_FLIGHT)))


def check_ours(url: str) -> None:
    """Each answer the benchmark server gives, read by our blocking and async clients."""
    from prefactor_http import (
        AgentInstance,
        AgentSpan,
        BulkItem,
        BulkRequest,
        PrefactorHttpClient,
        SyncPrefactorHttpClient,
    )

    register: dict[str, Any] = {
        "agent_id": "agent-1",
        "agent_version": {"name": "bench", "external_identifier": "v1"},
        "agent_schema_version": {"external_identifier": "v1"},
    }
    items = [
        BulkItem(_type="agent_instances/register", idempotency_key="bench-register-1", **register),
        bulk_item(0),
    ]
    with SyncPrefactorHttpClient(config(url)) as client:
        client.validate_token()
        for instance in (
            client.agent_instances.register(**register),
            client.agent_instances.start("inst-1"),
            client.agent_instances.finish("inst-1", status="complete"),
            client.agent_instances.get("inst-1"),
        ):
            assert isinstance(instance, AgentInstance), instance
            assert instance.id == "inst-1", instance
        for span in (
            client.agent_spans.create("inst-1", "agent:llm", "active", payload={}),
            client.agent_spans.finish("span-1", status="complete"),
        ):
            assert isinstance(span, AgentSpan), span
            assert span.id == "span-1", span
        response = client.bulk.execute(BulkRequest(items=items))
        assert set(response.outputs) == {"bench-register-1", "bench-span-000000000000"}
        assert all(output.status == "success" for output in response.outputs.values())

    async def main() -> None:
        async with PrefactorHttpClient(config(url)) as client:
            span = await client.agent_spans.create("inst-1", "agent:llm", "active", payload={})
            assert isinstance(span, AgentSpan), span
            response = await client.bulk.execute(BulkRequest(items=items))
            assert all(output.status == "success" for output in response.outputs.values())

    asyncio.run(main())
