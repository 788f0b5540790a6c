"""Bounds over a user's httpx client: servers that trickle, a body past the size cap.

One byte or one header line every 20 ms never trips httpx's read timeout;
the call's timeout= still ends the attempt, "still arriving": the async
client's anyio cancel scope (under asyncio and trio) for the headers and
the body, and the body reader's deadline for the blocking client's body.
"""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import Callable, Iterator

import anyio
import httpx
import pytest
from conftest import TOKEN
from test_answer_bounds import canned, trickle, trickle_head

from prefactor_http import (
    HttpClientConfig,
    PrefactorHttpClient,
    PrefactorResponseTooLargeError,
    PrefactorTimeoutError,
    SyncPrefactorHttpClient,
)
from tests.support.flaky_server import FlakyServer

# The call's timeout=: each read's timeout too, so a loaded machine must stall the 20 ms
# trickle this long to end it by a read timeout instead of the deadline.
CALL_TIMEOUT = 0.5
# Far longer than CALL_TIMEOUT and its grace: only a call that was not cut off takes it.
BOUND = 4.0


@pytest.fixture
def scripted() -> Iterator[Callable[[Callable[[socket.socket], None]], FlakyServer]]:
    servers: list[FlakyServer] = []

    def start(answer: Callable[[socket.socket], None]) -> FlakyServer:
        servers.append(FlakyServer([answer, answer]).__enter__())
        return servers[-1]

    yield start
    for server in servers:
        server.__exit__()


def async_get(url: str, backend: str, max_bytes: int = 1 << 20) -> None:
    config = HttpClientConfig(
        api_url=url, api_token=TOKEN, max_retries=0, max_response_bytes=max_bytes
    )

    async def main() -> None:
        async with (
            httpx.AsyncClient() as http,
            PrefactorHttpClient(config, http_client=http) as client,
        ):
            await client.agent_instances.get("inst-1", timeout=CALL_TIMEOUT)

    if backend == "asyncio":
        asyncio.run(main())
    else:
        anyio.run(main, backend="trio")


@pytest.mark.parametrize("backend", ["asyncio", "trio"])
@pytest.mark.parametrize("answer", [trickle, trickle_head], ids=["body", "headers"])
def test_a_trickle_ends_at_the_calls_timeout_over_a_users_async_client(scripted, backend, answer):
    server = scripted(answer(total_seconds=30))
    started = time.monotonic()
    with pytest.raises(PrefactorTimeoutError, match="still arriving"):
        async_get(server.url, backend)
    assert time.monotonic() - started < BOUND


def test_a_trickled_body_ends_at_the_calls_timeout_over_a_users_client(scripted):
    server = scripted(trickle(total_seconds=30))
    config = HttpClientConfig(api_url=server.url, api_token=TOKEN, max_retries=0)
    started = time.monotonic()
    with (
        httpx.Client() as http,
        SyncPrefactorHttpClient(config, http_client=http) as client,
        pytest.raises(PrefactorTimeoutError, match="still arriving"),
    ):
        client.agent_instances.get("inst-1", timeout=CALL_TIMEOUT)
    assert time.monotonic() - started < BOUND


@pytest.mark.parametrize("backend", ["asyncio", "trio"])
def test_an_undeclared_body_past_the_cap_is_dropped_over_a_users_async_client(scripted, backend):
    """No Content-Length: the cap is met while reading, and the read stops there."""
    server = scripted(canned(b"Connection: close\r\n", b"x" * 50_000))
    with pytest.raises(PrefactorResponseTooLargeError, match="ran past 1000 bytes"):
        async_get(server.url, backend, max_bytes=1000)
