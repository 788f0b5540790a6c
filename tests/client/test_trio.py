"""The async client on trio (`anyio.run(..., backend="trio")`).

Through an `httpx.AsyncClient` of the user's it runs there: calls, retries
(the pause between attempts), deadlines and close(). Without one it stops
at the first call with PrefactorEventLoopError, which names the fix.
"""

from __future__ import annotations

import json
import threading
from typing import Any

import anyio
import httpx
import pytest
from conftest import TOKEN, instance_json, success
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from prefactor_http import (
    BulkItem,
    HttpClientConfig,
    PrefactorClientError,
    PrefactorEventLoopError,
    PrefactorHttpClient,
    PrefactorTimeoutError,
    SpanWriter,
    WriterStats,
)


def config_for(server: HTTPServer, **overrides: Any) -> HttpClientConfig:
    settings: dict[str, Any] = {
        "api_url": server.url_for("/").rstrip("/"),
        "api_token": TOKEN,
        "initial_retry_delay": 0.001,
        "max_retry_delay": 0.005,
        "request_timeout": 5.0,
    }
    settings.update(overrides)
    return HttpClientConfig(**settings)


def test_calls_and_retries_run_on_trio_through_a_users_client(server: HTTPServer):
    given: list[Request] = []

    def flaky(request: Request) -> Response:
        given.append(request)
        status = 503 if len(given) == 1 else 200
        body = success(instance_json(id="inst-1")) if status == 200 else {"status": "error"}
        return Response(json.dumps(body), status, content_type="application/json")

    server.expect_request("/api/v1/agent_instance/inst-1").respond_with_handler(flaky)

    async def main() -> tuple[str, str, bool]:
        async with httpx.AsyncClient() as http:
            async with PrefactorHttpClient(config_for(server), http_client=http) as client:
                instance = await client.agent_instances.get("inst-1")
                library = __import__("sniffio").current_async_library()
            return instance.id, library, http.is_closed

    assert anyio.run(main, backend="trio") == ("inst-1", "trio", False)
    assert len(given) == 2
    assert all(request.headers["Authorization"] == f"Bearer {TOKEN}" for request in given)


def test_an_attempt_past_its_deadline_ends_on_trio(server: HTTPServer):
    """The server holds the answer; the attempt ends at request_timeout, typed."""
    release = threading.Event()

    def hold(request: Request) -> Response:
        release.wait(10)
        return Response("{}", 200, content_type="application/json")

    server.expect_request("/api/v1/ping").respond_with_handler(hold)

    async def main() -> None:
        async with (
            httpx.AsyncClient(timeout=None) as http,
            PrefactorHttpClient(
                config_for(server, request_timeout=0.3, max_retries=0), http_client=http
            ) as client,
        ):
            await client.validate_token()

    try:
        with pytest.raises(PrefactorTimeoutError):
            anyio.run(main, backend="trio")
    finally:
        release.set()


@pytest.mark.parametrize("transport", ["aiohttp", "httpx"])
def test_without_a_users_client_trio_gets_a_typed_error_naming_the_fix(server, transport):
    reached: list[Request] = []
    server.expect_request("/api/v1/ping").respond_with_handler(
        lambda request: reached.append(request) or Response("{}", 200)
    )

    async def main() -> None:
        async with PrefactorHttpClient(config_for(server, async_transport=transport)) as client:
            await client.validate_token()

    with pytest.raises(PrefactorEventLoopError) as caught:
        anyio.run(main, backend="trio")
    assert isinstance(caught.value, PrefactorClientError)
    message = str(caught.value)
    assert "not under trio" in message
    assert "http_client=httpx.AsyncClient()" in message
    assert TOKEN not in message
    # (Not server.log: an answer an earlier test held may be logged late.)
    assert reached == []


def test_a_span_writer_on_trio_refuses_before_accepting_anything(server: HTTPServer):
    """Its sender is an asyncio task: under trio the write is refused, typed; nothing is held."""
    item = BulkItem(
        _type="agent_spans/create",
        idempotency_key="trio-span-1",
        agent_instance_id="inst-1",
        schema_name="agent:llm",
        status="active",
    )

    async def main() -> WriterStats:
        async with httpx.AsyncClient() as http:
            client = PrefactorHttpClient(config_for(server), http_client=http)
            writer = SpanWriter(client)
            with pytest.raises(PrefactorEventLoopError, match="SpanWriter runs under asyncio only"):
                await writer.write(item)
            return writer.stats

    stats = anyio.run(main, backend="trio")
    assert (stats.accepted, stats.pending) == (0, 0)
