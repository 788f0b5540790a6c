"""Both span writers over a client that sends through a user's httpx client.

Against the local server: every span written reaches it once, in bulk
requests that the httpx client's event hook saw, and the httpx client is
still open after the writer and our client closed.
"""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
from conftest import started_instance

from prefactor_http import (
    BulkItem,
    HttpClientConfig,
    PrefactorDeliveryError,
    PrefactorHttpClient,
    SpanWriter,
    SyncPrefactorHttpClient,
    SyncSpanWriter,
)

SPANS = 25


def items(instance_id: str) -> list[BulkItem]:
    return [
        BulkItem(
            _type="agent_spans/create",
            idempotency_key=f"hooked-span-{index:03d}",
            agent_instance_id=instance_id,
            schema_name="agent:llm",
            status="active",
            payload={"n": index},
        )
        for index in range(SPANS)
    ]


def check_delivered(server: Any, stats: Any, paths: list[str]) -> None:
    assert (stats.accepted, stats.delivered, stats.failed, stats.pending) == (SPANS, SPANS, 0, 0)
    payloads = sorted(span["payload"]["n"] for span in server.state()["spans"].values())
    assert payloads == list(range(SPANS))
    assert set(paths) == {"/api/v1/bulk"}
    assert len(paths) >= SPANS // 10  # batches of at most max_items=10


def test_the_async_writer_delivers_over_a_users_client(prefactor_server, api):
    instance_id = started_instance(api)
    config = HttpClientConfig(api_url=prefactor_server.url, api_token=prefactor_server.token)
    paths: list[str] = []

    async def seen(request: httpx.Request) -> None:
        paths.append(request.url.path)

    async def main() -> tuple[Any, bool]:
        async with httpx.AsyncClient(event_hooks={"request": [seen]}) as http:
            async with PrefactorHttpClient(config, http_client=http) as client:
                writer = SpanWriter(client, max_items=10)
                for item in items(instance_id):
                    await writer.write(item)
                stats = await writer.close()
            return stats, http.is_closed

    stats, closed = asyncio.run(main())
    check_delivered(prefactor_server, stats, paths)
    assert not closed


def test_the_blocking_writer_delivers_over_a_users_client(prefactor_server, api):
    instance_id = started_instance(api)
    config = HttpClientConfig(api_url=prefactor_server.url, api_token=prefactor_server.token)
    paths: list[str] = []
    with httpx.Client(event_hooks={"request": [lambda r: paths.append(r.url.path)]}) as http:
        with SyncPrefactorHttpClient(config, http_client=http) as client:
            writer = SyncSpanWriter(client, max_items=10)
            for item in items(instance_id):
                writer.write(item)
            stats = writer.close()
        check_delivered(prefactor_server, stats, paths)
        assert not http.is_closed


def test_a_writer_over_a_client_its_owner_closed_reports_its_items_at_once(prefactor_server, api):
    """Not retried until `max_age` (an hour) as an outage would be: close() reports them now."""
    instance_id = started_instance(api)
    config = HttpClientConfig(api_url=prefactor_server.url, api_token=prefactor_server.token)
    http = httpx.Client()
    with SyncPrefactorHttpClient(config, http_client=http) as client:
        writer = SyncSpanWriter(client, max_items=10)
        http.close()
        for item in items(instance_id):
            writer.write(item)
        with pytest.raises(PrefactorDeliveryError) as caught:
            writer.close(timeout=30)
    failures = caught.value.failures
    assert len(failures) == SPANS
    assert all("closed by its owner" in str(failure.error) for failure in failures)
    assert prefactor_server.state()["spans"] == {}


def test_an_async_writer_over_a_client_its_owner_closed_reports_its_items_at_once(
    prefactor_server, api
):
    instance_id = started_instance(api)
    config = HttpClientConfig(api_url=prefactor_server.url, api_token=prefactor_server.token)

    async def main() -> PrefactorDeliveryError:
        http = httpx.AsyncClient()
        async with PrefactorHttpClient(config, http_client=http) as client:
            writer = SpanWriter(client, max_items=10)
            await http.aclose()
            for item in items(instance_id):
                await writer.write(item)
            with pytest.raises(PrefactorDeliveryError) as caught:
                await writer.close(timeout=30)
        return caught.value

    failures = asyncio.run(main()).failures
    assert len(failures) == SPANS
    assert all("closed by its owner" in str(failure.error) for failure in failures)
    assert prefactor_server.state()["spans"] == {}
