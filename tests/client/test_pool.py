"""Pool limits reach the transport: with one connection, calls wait their turn."""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest
from conftest import Twin
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from prefactor_http import PrefactorTimeoutError
from prefactor_http._aiohttp import AiohttpSender
from prefactor_http._senders import PoolOptions

CALLS = 3


class Overlap:
    """Counts how many requests the server holds at once.

    Each request is held until all CALLS are in at once, or for `hold`
    seconds. Unlimited calls all meet however slowly they arrive (a generous
    `hold` only stops a broken client hanging the test); a one-connection
    pool can never meet, so each of its calls is held `hold` seconds, long
    enough for a pool that let calls through together to show it.
    """

    def __init__(self, hold: float) -> None:
        self.changed = threading.Condition()
        self.hold = hold
        self.active = 0
        self.peak = 0

    def __call__(self, request: Request) -> Response:
        with self.changed:
            self.active += 1
            self.peak = max(self.peak, self.active)
            self.changed.notify_all()
            self.changed.wait_for(lambda: self.peak >= CALLS, timeout=self.hold)
            self.active -= 1
        body = json.dumps({"status": "success", "details": {}})
        return Response(body, 200, content_type="application/json")


@pytest.fixture(scope="module")
def threaded_server_of_module() -> Iterator[HTTPServer]:
    """One server for the module: stopping one takes half a second (its serving loop's poll)."""
    server = HTTPServer(threaded=True)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def threaded_server(threaded_server_of_module: HTTPServer) -> Iterator[HTTPServer]:
    """The module's threaded server, without the handlers and log of earlier tests."""
    threaded_server_of_module.clear()
    yield threaded_server_of_module
    threaded_server_of_module.clear()


def concurrent_pings(twin: Twin, client: object) -> None:
    if twin.is_async:

        async def pings() -> None:
            await asyncio.gather(*(client.validate_token() for _ in range(CALLS)))  # type: ignore[attr-defined]

        twin(lambda _: pings())
    else:
        with ThreadPoolExecutor(CALLS) as pool:
            for future in [pool.submit(client.validate_token) for _ in range(CALLS)]:  # type: ignore[attr-defined]
                future.result()


@pytest.mark.parametrize(("max_connections", "peak"), [(1, 1), (None, CALLS)])
def test_max_connections_bounds_the_calls_in_flight(twin, threaded_server, max_connections, peak):
    overlap = Overlap(hold=30 if peak == CALLS else 0.3)
    threaded_server.expect_request("/api/v1/ping").respond_with_handler(overlap)
    url = threaded_server.url_for("/").rstrip("/")
    client = twin.new_client(api_url=url, max_connections=max_connections, request_timeout=60)

    concurrent_pings(twin, client)

    assert overlap.peak == peak
    assert len(threaded_server.log) == CALLS


def test_no_connection_limit_reaches_aiohttp_as_no_limit():
    """aiohttp reads 0 as "no limit"; leaving it unset would cap the pool at 100."""

    async def connector_limit() -> int:
        options = PoolOptions(httpx.Limits(max_connections=None), httpx.Timeout(5.0), None, None)
        sender = AiohttpSender(options)
        try:
            return int(sender.session.connector.limit)  # type: ignore[union-attr]
        finally:
            await sender.aclose()

    assert asyncio.run(connector_limit()) == 0


def test_a_call_that_gets_no_connection_in_time_is_a_timeout_known_unsent(twin, threaded_server):
    """With the only connection busy, the wait for it ends at the call's timeout: nothing sent."""
    arrived, release = threading.Event(), threading.Event()

    def held(request: Request) -> Response:
        arrived.set()
        release.wait(timeout=10)
        return Response('{"status": "success"}', 200, content_type="application/json")

    threaded_server.expect_request("/api/v1/ping").respond_with_handler(held)
    url = threaded_server.url_for("/").rstrip("/")
    client = twin.new_client(api_url=url, max_connections=1, max_retries=0, request_timeout=10)

    def busy_then_waiting() -> Any:
        if twin.is_async:

            async def both() -> None:
                busy = asyncio.ensure_future(client.validate_token())
                while not arrived.is_set() and not busy.done():
                    await asyncio.sleep(0.01)
                try:
                    await client.validate_token(timeout=0.3)
                finally:
                    release.set()
                    await busy

            return twin(lambda _: both())
        with ThreadPoolExecutor(1) as pool:
            busy = pool.submit(client.validate_token)
            assert arrived.wait(timeout=10)
            try:
                client.validate_token(timeout=0.3)
            finally:
                release.set()
                busy.result()

    with pytest.raises(PrefactorTimeoutError) as caught:
        busy_then_waiting()

    assert caught.value.request_sent is False
    assert len(threaded_server.log) == 1


class Meeting:
    """Holds requests until `size` are in at once (or `hold` seconds), then lets all through.

    Keeps the peak: past the meeting, the client's limit alone bounds it.
    """

    def __init__(self, size: int, hold: float) -> None:
        self.size = size
        self.hold = hold
        self.lock = threading.Lock()
        self.met = threading.Event()
        self.active = 0
        self.peak = 0

    def __call__(self, request: Request) -> Response:
        with self.lock:
            self.active += 1
            self.peak = max(self.peak, self.active)
            if self.active >= self.size:
                self.met.set()
        self.met.wait(self.hold)
        with self.lock:
            self.active -= 1
        return Response('{"status": "success", "details": {}}', 200)


# Over httpx, more than one of its pools (of 4 connections each): 4, 3 and 3.
SPREAD_LIMIT = 10


def test_a_limit_spread_over_several_pools_holds_and_is_reached(twin, threaded_server):
    """Three times the limit in flight: the server holds exactly the limit at once."""
    meeting = Meeting(SPREAD_LIMIT, hold=5)
    threaded_server.expect_request("/api/v1/ping").respond_with_handler(meeting)
    url = threaded_server.url_for("/").rstrip("/")
    client = twin.new_client(api_url=url, max_connections=SPREAD_LIMIT, request_timeout=60)
    calls = 3 * SPREAD_LIMIT
    if twin.is_async:

        async def pings() -> None:
            await asyncio.gather(*(client.validate_token() for _ in range(calls)))

        twin(lambda _: pings())
    else:
        with ThreadPoolExecutor(calls) as pool:
            for future in [pool.submit(client.validate_token) for _ in range(calls)]:
                future.result()
    assert meeting.met.is_set()
    assert meeting.peak == SPREAD_LIMIT
    assert len(threaded_server.log) == calls
