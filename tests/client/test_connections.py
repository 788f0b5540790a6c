"""Connections are bounded and given back: under cancellations, and at close()."""

from __future__ import annotations

import asyncio
import gc
import random
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest

from prefactor_http import HttpClientConfig, PrefactorHttpClient, PrefactorTimeoutError
from prefactor_http.server import LocalServer
from tests.support.flaky_server import STALL, FlakyServer
from tests.support.sockets import connections_to

CANCELLATIONS = 10_000
IN_FLIGHT = 16
POOL = 4


@pytest.fixture(scope="module")
def local() -> Iterator[LocalServer]:
    with LocalServer() as server:
        yield server


def _port(url: str) -> int:
    port = urlsplit(url).port
    assert port is not None
    return port


@pytest.mark.slow  # 20,000 cancellations: seconds of CPU
@pytest.mark.parametrize("transport", ["aiohttp", "httpx"])
def test_random_cancellations_leave_the_pool_whole(local, transport):
    """10,000 calls cancelled at random points; then every call succeeds, within the pool."""
    config = HttpClientConfig(
        api_url=local.url,
        api_token=local.token,
        async_transport=transport,
        max_connections=POOL,
        max_retries=0,
        request_timeout=5.0,
    )
    port = _port(local.url)
    chance = random.Random(1093)

    async def cancelled(client: PrefactorHttpClient) -> None:
        call = asyncio.ensure_future(client.validate_token())
        for _ in range(chance.randrange(6)):  # a few steps in: queued, connecting, sending...
            await asyncio.sleep(0)
        if chance.random() < 0.5:
            call.cancel()
        else:  # ...or later, on a timer, as asyncio.wait_for does
            await asyncio.wait({call}, timeout=chance.uniform(0, 0.002))
            call.cancel()
        await asyncio.gather(call, return_exceptions=True)

    async def scenario() -> tuple[int, int, int]:
        peak = 0
        async with PrefactorHttpClient(config) as client:
            for start in range(0, CANCELLATIONS, IN_FLIGHT):
                await asyncio.gather(*(cancelled(client) for _ in range(IN_FLIGHT)))
                if start % (IN_FLIGHT * 25) == 0:
                    # A transport closes its socket on the loop's next turn after close():
                    # let the closes already made run, then count what is still open.
                    await asyncio.sleep(0)
                    peak = max(peak, connections_to(port))
            answers = await asyncio.gather(
                *(client.validate_token(timeout=5) for _ in range(50)), return_exceptions=True
            )
            succeeded = sum(1 for answer in answers if isinstance(answer, dict))
        return succeeded, peak, connections_to(port)

    succeeded, peak, left = asyncio.run(scenario())

    assert succeeded == 50
    assert peak <= POOL
    assert left == 0


def test_close_shuts_every_socket_without_the_garbage_collector(twin, local):
    """Clients opened, used and closed with gc off: no socket is left open after close()."""
    port = _port(local.url)
    gc.disable()
    try:
        for _ in range(20):
            client = twin.new_client(api_url=local.url, api_token=local.token)
            twin(lambda c: c.validate_token(), client)
            twin(lambda c: c.close(), client)
            assert connections_to(port) == 0
    finally:
        gc.enable()


def test_a_request_abandoned_over_httpx_that_then_fails_leaves_no_stray_error(caplog):
    """Cancelled while queued for a connection, its pool timeout later is nobody's to report."""
    with FlakyServer([STALL]) as stalled:
        config = HttpClientConfig(
            api_url=stalled.url,
            api_token="t" * 32,
            async_transport="httpx",
            max_connections=1,
            max_retries=0,
            request_timeout=0.3,
        )

        async def scenario() -> None:
            async with PrefactorHttpClient(config) as client:
                holding = asyncio.ensure_future(client.validate_token())
                await asyncio.to_thread(stalled.received.wait, 5)
                queued = asyncio.ensure_future(client.validate_token())
                await asyncio.sleep(0)  # it enters the pool's queue
                queued.cancel()
                await asyncio.gather(queued, return_exceptions=True)
                with pytest.raises(PrefactorTimeoutError):
                    await holding  # by then the queued request's wait ran out too
                gc.collect()

        asyncio.run(scenario())

    assert "never retrieved" not in caplog.text
