"""Every sender maps each real failure, once, into the package's own kind.

One table: a failure provoked over loopback (a refused port, an untrusted
certificate, a full accept queue, a server that never answers, one that
hangs up, resets or sends garbage, a proxy that refuses), and the `Kind`
each sender (aiohttp, httpx, urllib3) reports for it. The same failure then
goes through the error mapping: the public error's class, `request_sent`
and message are those of its kind, and it chains to the library's own
exception with no httpx class in between unless httpx sent.
"""

from __future__ import annotations

import ast
import asyncio
import contextlib
import socket
import struct
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from prefactor_http import PrefactorNetworkError, PrefactorTimeoutError
from prefactor_http._aiohttp import AiohttpSender
from prefactor_http._failures import Kind, SendFailure
from prefactor_http._httpx import AsyncHttpxSender
from prefactor_http._responses import error_from_transport
from prefactor_http._senders import AsyncSender, PoolOptions, Sender
from prefactor_http._urllib3 import Urllib3Sender
from tests.support.failing_servers import (
    deaf,
    full_accept_queue,
    port_nobody_listens_on,
    untrusted_tls,
)
from tests.support.flaky_server import DROP, STALL, FlakyServer, http_answer
from tests.support.keepalive_server import LIMIT, KeepAliveServer

SENDERS = ("aiohttp", "httpx", "urllib3")
# The limit a case means to trip: short, so that each case ends in well under a second.
SHORT = 0.3
# Every other limit: never reached.
LONG = 5.0
BODY = b'{"n": 1}'
# What the scripted servers answer.
CUT_SHORT = b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{}"
BAD_STATUS = b"HTTP/1.1 abc\r\nContent-Length: 2\r\n\r\n{}"
HUGE_HEADER = b"HTTP/1.1 200 OK\r\nX-Big: " + b"a" * 200_000 + b"\r\n\r\n{}"
BAD_CHUNK = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n"
NOT_GZIP = b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: 4\r\n\r\nabcd"
UNKNOWN_ENCODING = b"HTTP/1.1 200 OK\r\nContent-Encoding: br\r\nContent-Length: 4\r\n\r\nabcd"


@dataclass
class Step:
    """One `send` of a case: its URL, body and limits."""

    url: str
    content: bytes | None = None
    limits: httpx.Timeout = field(default_factory=lambda: httpx.Timeout(LONG))
    deadline: float = LONG  # seconds from the send
    # Left running while the next steps go: its server holds it until the case ends.
    background: bool = False


CLOSE = "close"  # a step that closes the sender


@dataclass
class Plan:
    """How a case reaches its failure: the pool's options and the sends; the last one fails."""

    steps: list[Step | str]
    proxy: str | None = None
    max_connections: int | None = None
    # Set by the server when a background step's request is in; the case's end releases it.
    arrived: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)

    def options(self) -> PoolOptions:
        limits = httpx.Limits(max_connections=self.max_connections)
        return PoolOptions(limits, httpx.Timeout(LONG), self.proxy, None)


Provoke = Callable[[], contextlib.AbstractContextManager[Plan]]


def _limits(**short: float) -> httpx.Timeout:
    return httpx.Timeout(LONG, **short)


@contextlib.contextmanager
def refused() -> Iterator[Plan]:
    yield Plan([Step(f"http://127.0.0.1:{port_nobody_listens_on()}/x")])


@contextlib.contextmanager
def untrusted_certificate() -> Iterator[Plan]:
    with untrusted_tls() as url:
        yield Plan([Step(url + "/x")])


@contextlib.contextmanager
def closed_pool() -> Iterator[Plan]:
    """A pool closed after a first call: the next call is refused before anything is sent."""
    with FlakyServer([http_answer(200, {})]) as server:
        yield Plan([Step(server.url + "/x"), CLOSE, Step(server.url + "/x")])


@contextlib.contextmanager
def unanswered_connect() -> Iterator[Plan]:
    with full_accept_queue() as url:
        yield Plan([Step(url + "/x", limits=_limits(connect=SHORT))])


@contextlib.contextmanager
def busy_pool() -> Iterator[Plan]:
    """The pool's only connection is held by a call the server keeps waiting."""
    plan = Plan([], max_connections=1)

    def held(conn: socket.socket) -> None:
        plan.arrived.set()  # the request is in
        plan.release.wait(LONG)
        conn.sendall(http_answer(200, {}))

    with FlakyServer([held]) as server:
        waits = _limits(pool=SHORT, connect=SHORT)
        plan.steps = [
            Step(server.url + "/x", background=True),
            Step(server.url + "/x", limits=waits),
        ]
        yield plan


@contextlib.contextmanager
def request_never_read() -> Iterator[Plan]:
    """A body far larger than the sockets' buffers, to a server that never reads it."""
    with deaf() as url:
        body = b"x" * 20_000_000
        yield Plan([Step(url + "/x", body, _limits(write=SHORT), deadline=2 * SHORT)])


def _flaky(step: str | bytes | Callable[[socket.socket], None], **sent: object) -> Provoke:
    """A case: one connection that reads the request and then plays `step`."""

    @contextlib.contextmanager
    def case() -> Iterator[Plan]:
        with FlakyServer([step]) as server:
            yield Plan([Step(server.url + "/x", **sent)])

    return case


@contextlib.contextmanager
def stale_connection() -> Iterator[Plan]:
    """A kept connection the server closes when the second request arrives on it."""
    with KeepAliveServer(LIMIT, per_connection=1) as server:
        yield Plan([Step(server.url + "/x", BODY), Step(server.url + "/x", BODY)])


def _reset(conn: socket.socket) -> None:
    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))


@contextlib.contextmanager
def refusing_proxy() -> Iterator[Plan]:
    """An http proxy that answers the tunnel to an https API with 403."""
    with FlakyServer([b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n"]) as proxy:
        yield Plan([Step("https://127.0.0.2:9/x")], proxy=proxy.url)


@contextlib.contextmanager
def unreachable_proxy() -> Iterator[Plan]:
    proxy = f"http://127.0.0.1:{port_nobody_listens_on()}"
    yield Plan([Step("http://127.0.0.2:9/x")], proxy=proxy)


def _all(kind: Kind) -> dict[str, Kind]:
    return dict.fromkeys(SENDERS, kind)


# case: (how to provoke it, the kind each sender reports)
CASES: dict[str, tuple[Provoke, dict[str, Kind]]] = {
    "connection refused": (refused, _all(Kind.NO_CONNECTION)),
    "proxy unreachable": (unreachable_proxy, _all(Kind.NO_CONNECTION)),
    "certificate not trusted": (untrusted_certificate, _all(Kind.TLS)),
    "pool closed": (closed_pool, _all(Kind.CLOSED_POOL)),
    "accept queue full": (unanswered_connect, _all(Kind.CONNECT_TIMEOUT)),
    # aiohttp times the wait for a pooled connection and connecting as one.
    "pool busy": (busy_pool, {**_all(Kind.POOL_TIMEOUT), "aiohttp": Kind.CONNECT_TIMEOUT}),
    # aiohttp times no write: the attempt's deadline ends it instead.
    "request never read": (
        request_never_read,
        {**_all(Kind.WRITE_TIMEOUT), "aiohttp": Kind.PAST_DEADLINE},
    ),
    "never answers": (_flaky(STALL, limits=_limits(read=SHORT)), _all(Kind.READ_TIMEOUT)),
    "never answers by the deadline": (_flaky(STALL, deadline=SHORT), _all(Kind.PAST_DEADLINE)),
    "kept connection closed": (stale_connection, _all(Kind.STALE_CONNECTION)),
    # A POST: on a GET, aiohttp waits out its read timeout before it notices the hang-up.
    "hangs up without answering": (_flaky(DROP, content=BODY), _all(Kind.DROPPED)),
    "resets without answering": (_flaky(_reset, content=BODY), _all(Kind.DROPPED)),
    "closes mid-answer": (_flaky(CUT_SHORT), _all(Kind.DROPPED)),
    "bad status line": (_flaky(BAD_STATUS), _all(Kind.PROTOCOL)),
    "oversized header": (_flaky(HUGE_HEADER), _all(Kind.PROTOCOL)),
    "bad chunk": (_flaky(BAD_CHUNK), _all(Kind.PROTOCOL)),
    # urllib3 reports a refused tunnel as a proxy it could not connect to: never sent.
    "proxy refuses the tunnel": (
        refusing_proxy,
        {**_all(Kind.PROXY), "urllib3": Kind.NO_CONNECTION},
    ),
    "body not gzip": (_flaky(NOT_GZIP), _all(Kind.UNDECODABLE)),
    "unknown encoding": (_flaky(UNKNOWN_ENCODING), _all(Kind.UNDECODABLE)),
}

# The kinds that prove the server never saw the request (request_sent False), and the timeouts.
UNSENT = {Kind.NO_CONNECTION, Kind.TLS, Kind.CLOSED_POOL, Kind.CONNECT_TIMEOUT, Kind.POOL_TIMEOUT}
TIMEOUTS = {Kind.CONNECT_TIMEOUT, Kind.POOL_TIMEOUT, Kind.WRITE_TIMEOUT, Kind.READ_TIMEOUT}
TIMEOUTS.add(Kind.PAST_DEADLINE)
# kind: the public error's message after "GET /x: " ({label}: the sender's name for it)
MESSAGES = {
    Kind.NO_CONNECTION: "request failed: {label}: ",
    Kind.TLS: "request failed: {label}: ",
    Kind.CLOSED_POOL: "request failed: ConnectError: the connection pool is closed",
    Kind.CONNECT_TIMEOUT: "connect timed out after 0.3s (ConnectTimeout)",
    Kind.POOL_TIMEOUT: "wait for a pooled connection timed out after 0.3s (PoolTimeout)",
    Kind.WRITE_TIMEOUT: "write timed out after 0.3s (WriteTimeout)",
    Kind.READ_TIMEOUT: "read timed out after 0.3s (ReadTimeout)",
    Kind.PAST_DEADLINE: "the answer was still arriving when the attempt's time ran out (Deadl",
    Kind.STALE_CONNECTION: "request failed: StaleConnection: ",
    Kind.DROPPED: "request failed: {label}: ",
    Kind.PROTOCOL: "request failed: RemoteProtocolError: ",
    Kind.PROXY: "request failed: ProxyError: ",
    Kind.UNDECODABLE: "request failed: DecodingError: ",
}


def _args(step: Step) -> tuple[str, str, dict[str, str], bytes | None, httpx.Timeout, float, int]:
    method = "POST" if step.content else "GET"
    deadline = time.monotonic() + step.deadline
    return method, step.url, {}, step.content, step.limits, deadline, 1_000_000


async def _fail_async(name: str, plan: Plan) -> SendFailure:
    """Run the plan's steps; the failure of the last one (every other must succeed)."""
    sender: AsyncSender  # made in the running loop, as the client makes it
    sender = (
        AiohttpSender(plan.options()) if name == "aiohttp" else AsyncHttpxSender(plan.options())
    )
    background: list[asyncio.Future[object]] = []
    try:
        for step in plan.steps:
            if step == CLOSE:
                await sender.aclose()
            elif isinstance(step, Step) and step.background:
                background.append(asyncio.ensure_future(sender.send(*_args(step))))
                assert await asyncio.to_thread(plan.arrived.wait, LONG)
            elif isinstance(step, Step) and step is plan.steps[-1]:
                with pytest.raises(SendFailure) as caught:
                    await sender.send(*_args(step))
                return caught.value
            elif isinstance(step, Step):
                await sender.send(*_args(step))
        raise AssertionError("the plan has no last step")
    finally:
        plan.release.set()
        await asyncio.gather(*background, return_exceptions=True)
        await sender.aclose()


def _fail_blocking(plan: Plan) -> SendFailure:
    """`_fail_async`, for the blocking sender: a background step runs in a thread."""
    sender: Sender = Urllib3Sender(plan.options())
    with ThreadPoolExecutor(1) as pool:
        background: list[Future[object]] = []
        try:
            for step in plan.steps:
                if step == CLOSE:
                    sender.close()
                elif isinstance(step, Step) and step.background:
                    background.append(pool.submit(sender.send, *_args(step)))
                    assert plan.arrived.wait(LONG)
                elif isinstance(step, Step) and step is plan.steps[-1]:
                    with pytest.raises(SendFailure) as caught:
                        sender.send(*_args(step))
                    return caught.value
                elif isinstance(step, Step):
                    sender.send(*_args(step))
            raise AssertionError("the plan has no last step")
        finally:
            plan.release.set()
            for call in background:
                call.exception(LONG)
            sender.close()


def provoke(name: str, plan: Plan) -> SendFailure:
    if name == "urllib3":
        return _fail_blocking(plan)
    return asyncio.run(_fail_async(name, plan))


def _chain(error: BaseException) -> Iterator[BaseException]:
    link = error.__cause__
    while link is not None:
        yield link
        link = link.__cause__ or link.__context__


@pytest.mark.parametrize("sender", SENDERS)
@pytest.mark.parametrize("case", list(CASES))
def test_each_sender_reports_each_failure_as_its_kind_and_public_error(case, sender):
    """The real failure comes out as the table's kind, and maps to that kind's public error."""
    make_plan, kinds = CASES[case]
    with make_plan() as plan:
        failure = provoke(sender, plan)
        last = plan.steps[-1]
        assert isinstance(last, Step)

    assert failure.kind is kinds[sender], f"{failure.kind} ({failure.label}: {failure})"
    error = error_from_transport("GET", "/x", failure, last.limits, {})
    timeout = failure.kind in TIMEOUTS
    assert type(error) is (PrefactorTimeoutError if timeout else PrefactorNetworkError)
    assert error.request_sent is (failure.kind not in UNSENT)
    assert str(error).startswith("GET /x: " + MESSAGES[failure.kind].format(label=failure.label))
    assert error.__cause__ is failure.__cause__
    if sender != "httpx":  # translated once: the library's own exception, no httpx class
        assert not [e for e in _chain(error) if type(e).__module__.startswith("httpx")]


def test_the_table_provokes_every_kind():
    """No kind goes untested: each is some sender's answer to some case of the table."""
    provoked = {kind for _, kinds in CASES.values() for kind in kinds.values()}
    assert provoked == set(Kind) == set(MESSAGES)


# The httpx exception classes, which only the httpx sender names (the sender over a user's
# httpx client catches their base, and maps it through _httpx's mapping); URL checks and
# building (in the config, and before any sender is asked) may name InvalidURL.
HTTPX_FAILURES = {
    name
    for name in dir(httpx)
    if isinstance(getattr(httpx, name), type) and issubclass(getattr(httpx, name), Exception)
}
PACKAGE = Path(__file__).resolve().parents[2] / "prefactor_http"
ALLOWED = {
    "_httpx.py": HTTPX_FAILURES,
    "_httpx_client.py": {"RequestError"},
    "client.py": {"InvalidURL"},
    "_sync/client.py": {"InvalidURL"},
    "config.py": {"InvalidURL"},
    "_responses.py": {"InvalidURL"},
}


def _httpx_exceptions_named(source: str) -> set[str]:
    named = set()
    for node in ast.walk(ast.parse(source)):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id == "httpx"
        ):
            named.add(node.attr)
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("httpx"):
            named.update(alias.name for alias in node.names)
    return named & HTTPX_FAILURES


def test_only_the_httpx_sender_names_httpx_exceptions():
    """Outside the httpx senders no module raises or catches httpx's exception classes."""
    for path in sorted(PACKAGE.rglob("*.py")):
        module = path.relative_to(PACKAGE).as_posix()
        if module.startswith("_generated/"):
            continue
        named = _httpx_exceptions_named(path.read_text())
        assert named <= ALLOWED.get(module, set()), f"{module} names {sorted(named)}"
