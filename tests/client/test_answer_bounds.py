"""Answers are read within time and size bounds, on every client and transport.

The servers here are raw sockets on loopback, scripted to misbehave the way
no well-made HTTP server does: trickling a body, inflating one, or sending
more than any API answer holds.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import threading
import time
import zlib
from collections.abc import Callable, Iterator

import pytest
from conftest import TOKEN

from prefactor_http import (
    HttpClientConfig,
    PrefactorHttpClient,
    PrefactorResponseTooLargeError,
    PrefactorRetryExhaustedError,
    PrefactorTimeoutError,
)
from tests.support.flaky_server import FlakyServer

INSTANCE_PATH = "/api/v1/agent_instance/inst-1"
# A trickling server sends something this often: far inside any read timeout below.
EVERY = 0.02
# The call's timeout= that ends a trickle; each bound asserted below is many times longer.
CALL_TIMEOUT = 0.2


@pytest.fixture
def scripted() -> Iterator[Callable[[Callable[[socket.socket], None]], FlakyServer]]:
    """Start a server that answers each of up to two connections with `answer(conn)`."""
    servers: list[FlakyServer] = []

    def start(answer: Callable[[socket.socket], None]) -> FlakyServer:
        server = FlakyServer([answer, answer]).__enter__()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.__exit__()


def trickle(total_seconds: float) -> Callable[[socket.socket], None]:
    """Headers at once, then one byte every EVERY seconds for up to `total_seconds`."""

    def answer(conn: socket.socket) -> None:
        conn.sendall(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n"
        )
        end = time.monotonic() + total_seconds
        while time.monotonic() < end:
            conn.sendall(b" ")
            time.sleep(EVERY)

    return answer


def trickle_head(total_seconds: float) -> Callable[[socket.socket], None]:
    """A status line, then one more header line every EVERY seconds for up to `total_seconds`."""

    def answer(conn: socket.socket) -> None:
        conn.sendall(b"HTTP/1.1 200 OK\r\n")
        end = time.monotonic() + total_seconds
        while time.monotonic() < end:
            conn.sendall(b"X-Wait: 1\r\n")
            time.sleep(EVERY)

    return answer


def canned(headers: bytes, body: bytes) -> Callable[[socket.socket], None]:
    def answer(conn: socket.socket) -> None:
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n" + headers)
        conn.sendall(b"\r\n" + body)

    return answer


def gzip_of_zeros(megabytes: int) -> bytes:
    """A gzip body that inflates to `megabytes` MiB, made without holding them in memory."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    block = bytes(1024 * 1024)
    parts = [packer.compress(block) for _ in range(megabytes)]
    return b"".join([*parts, packer.flush()])


def test_a_trickled_answer_ends_at_the_calls_timeout(twin, scripted):
    """One byte per 20 ms never trips a read timeout; the call's timeout= still ends it."""
    server = scripted(trickle(total_seconds=30))
    client = twin.new_client(api_url=server.url, max_retries=0)

    started = time.monotonic()
    with pytest.raises(PrefactorTimeoutError, match="still arriving"):
        twin(lambda c: c.agent_instances.get("inst-1", timeout=CALL_TIMEOUT), client)

    assert time.monotonic() - started < 3.0


def test_trickled_headers_end_at_the_calls_timeout(twin, scripted):
    """Header lines that keep coming, each within the read timeout, still end at timeout=."""
    server = scripted(trickle_head(total_seconds=30))
    client = twin.new_client(api_url=server.url, max_retries=0)

    started = time.monotonic()
    with pytest.raises(PrefactorTimeoutError, match="still arriving"):
        twin(lambda c: c.agent_instances.get("inst-1", timeout=CALL_TIMEOUT), client)

    assert time.monotonic() - started < 3.0


@pytest.mark.parametrize("transport", ["aiohttp", "httpx"])
def test_an_attempt_past_its_deadline_ends_alone(scripted, transport):
    """Trickled headers end one call at its timeout=; a task beside it runs on untouched."""
    server = scripted(trickle_head(total_seconds=30))
    config = HttpClientConfig(
        api_url=server.url, api_token=TOKEN, async_transport=transport, max_retries=0
    )

    async def beside() -> str:
        await asyncio.sleep(3 * CALL_TIMEOUT)  # across the other call's deadline
        return "done"

    async def scenario() -> list[object]:
        async with PrefactorHttpClient(config) as client:
            return await asyncio.gather(
                client.agent_instances.get("inst-1", timeout=CALL_TIMEOUT),
                beside(),
                return_exceptions=True,
            )

    started = time.monotonic()
    outcome = asyncio.run(scenario())

    assert isinstance(outcome[0], PrefactorTimeoutError)
    assert "still arriving" in str(outcome[0])
    assert outcome[1] == "done"
    assert time.monotonic() - started < 3.0


@pytest.fixture
def deaf_server() -> Iterator[str]:
    """The URL of a server that accepts connections and never reads from them."""
    listener = socket.create_server(("127.0.0.1", 0))
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    held: list[socket.socket] = []

    def hold() -> None:
        while True:
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            held.append(conn)

    thread = threading.Thread(target=hold, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    with contextlib.suppress(OSError):
        listener.shutdown(socket.SHUT_RDWR)  # wakes the pending accept()
    listener.close()
    thread.join(timeout=5)
    for conn in held:
        conn.close()


def test_a_body_the_server_never_reads_is_a_write_timeout(twin, deaf_server):
    """A request stuck in sending is a timeout within the attempt's time, known maybe sent."""
    client = twin.new_client(
        api_url=deaf_server, max_retries=0, connect_timeout=0.2, request_timeout=0.2
    )
    payload = {"blob": "x" * 20_000_000}  # far more than the sockets' buffers hold

    started = time.monotonic()
    with pytest.raises(PrefactorTimeoutError) as caught:
        twin(
            lambda c: c.request("POST", "/api/v1/x", json_data=payload, idempotency_key="k-123456"),
            client,
        )

    assert caught.value.request_sent is True
    assert time.monotonic() - started < 3.0


def test_an_endless_trickle_ends_within_the_configured_timeouts(twin, scripted):
    """Without timeout=, an attempt still ends within connect_timeout + request_timeout."""
    server = scripted(trickle(total_seconds=30))
    client = twin.new_client(
        api_url=server.url, max_retries=1, request_timeout=0.2, connect_timeout=0.2
    )

    started = time.monotonic()
    with pytest.raises(PrefactorRetryExhaustedError) as caught:
        twin(lambda c: c.agent_instances.get("inst-1"), client)

    assert isinstance(caught.value.last_error, PrefactorTimeoutError)
    assert time.monotonic() - started < 5.0
    assert len(server.requests) == 2


def test_a_declared_oversized_answer_is_refused_unread(twin, scripted):
    """A Content-Length above max_response_bytes is refused before any body is read."""
    server = scripted(canned(b"Content-Length: 500000000\r\n", b"{"))
    client = twin.new_client(api_url=server.url, max_response_bytes=1_000_000)

    with pytest.raises(PrefactorResponseTooLargeError, match="declares 500000000 bytes") as caught:
        twin(lambda c: c.agent_instances.get("inst-1"), client)

    assert caught.value.status_code == 200
    assert caught.value.path == INSTANCE_PATH


def test_an_undeclared_oversized_answer_stops_at_the_cap(twin, scripted):
    """A chunked body is counted as it comes and dropped once it passes the cap."""
    chunk = b"100000\r\n" + b" " * 0x100000 + b"\r\n"
    server = scripted(canned(b"Transfer-Encoding: chunked\r\n", chunk * 8 + b"0\r\n\r\n"))
    client = twin.new_client(api_url=server.url, max_response_bytes=2_000_000)

    with pytest.raises(PrefactorResponseTooLargeError, match="ran past 2000000 bytes"):
        twin(lambda c: c.agent_instances.get("inst-1"), client)


@pytest.fixture(scope="module")
def bomb() -> bytes:
    return gzip_of_zeros(256)


def test_a_gzip_bomb_is_stopped_at_the_cap(twin, scripted, bomb):
    """A small gzip answer that inflates to 256 MiB is dropped at max_response_bytes."""
    headers = b"Content-Encoding: gzip\r\nContent-Length: %d\r\n" % len(bomb)
    server = scripted(canned(headers, bomb))
    client = twin.new_client(api_url=server.url, max_response_bytes=4_000_000)

    with pytest.raises(PrefactorResponseTooLargeError, match="inflates past 4000000 bytes"):
        twin(lambda c: c.agent_instances.get("inst-1"), client)


def test_a_gzip_answer_within_the_cap_reads(twin, scripted):
    """Compression the client asked for is decoded as before."""
    body = (
        b'{"details":{"type":"agent_instance","id":"inst-1","account_id":"a","agent_id":"g",'
        b'"agent_version_id":"v","environment_id":"e","agent_deployment_id":"d",'
        b'"status":"active","inserted_at":"2026-11-22T14:13:05+00:00",'
        b'"updated_at":"2026-11-22T14:13:05+00:00"}}'
    )
    packer = zlib.compressobj(6, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    packed = packer.compress(body) + packer.flush()
    headers = b"Content-Encoding: gzip\r\nContent-Length: %d\r\n" % len(packed)
    server = scripted(canned(headers, packed))
    client = twin.new_client(api_url=server.url)

    instance = twin(lambda c: c.agent_instances.get("inst-1"), client)

    assert instance.status == "active"
