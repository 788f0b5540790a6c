"""The sender over httpx's own async transport: `async_transport="httpx"`.

Each request goes straight to the transport, with no `httpx.Client` in
between: a client would merge headers, resolve the URL and look up auth,
redirects and cookies on every call, none of which this package uses.
httpx times each socket read, not the answer: the attempt's deadline bounds
the wait for headers too (`PAST_DEADLINE`).

This is the one module where httpx's exception classes are a contract: they
become failure kinds (`_failures`) here, once, as aiohttp's and urllib3's do
in their senders. `ConnectError` is `TLS` when an `ssl.SSLError` caused it,
`NO_CONNECTION` otherwise; `ConnectTimeout`, `PoolTimeout`, `WriteTimeout`
and `ReadTimeout` are the timeouts of their names; `ProxyError` is `PROXY`;
`ReadError`, `WriteError` and `CloseError` are `DROPPED`, and so is a
`RemoteProtocolError` saying the server closed the connection early (no
answer, or a body cut short); any other is `PROTOCOL`. The messages name
httpx's class, as they always did.

httpcore 1.0 loses a connection slot for good when a request is cancelled
between the pool handing it a new connection and the request's headers
starting out (encode/httpcore#1093: the connection stays "connecting" or
"new" forever), and when a cancellation lands while it cleans up after an
earlier one or closes an answer (asyncio's cancellation goes through its
shield: the connection stays "active"). After enough of them every call
waits for a slot and fails. So httpcore never sees a cancellation from the
caller: each exchange (request, answer, close) runs in a task of its own,
which the caller's cancellation reaches only through `_Handover`. Before the
headers go out, the exchange is stopped at the next point where httpcore
cleans up after itself (a connect about to start, or the headers about to
go out); once they are out, the request has reached the server anyway, and
the exchange may finish within `ABANDONED_GRACE` seconds: its answer is read
and dropped, and the connection goes back to the pool. An answer not in by
then is cut off by the deadline's watchdog (one cancellation, while httpcore
waits on the network, which it cleans up after). The caller's cancellation
is never delayed.

The same trace events tell whether the request made a connection of its own
or went out on a kept one, whose server may have closed it meanwhile: a kept
connection that is closed or reset before the answer's headers arrive is a
`STALE_CONNECTION`.
"""

from __future__ import annotations

import asyncio
import enum
import ssl
import time
from collections.abc import Mapping
from typing import Any

import httpx

from prefactor_http._bodies import Answer, BodyReader
from prefactor_http._failures import Kind, SendFailure
from prefactor_http._senders import CLOSED, DeadlineGuard, ParsedUrls, PoolOptions, Watchdog

# How long an exchange whose caller left after its headers went out may go on to finish.
ABANDONED_GRACE = 1.0
# How many links of an error's chain are searched for the ssl error that caused it.
MAX_CHAIN = 8


def _request(
    urls: ParsedUrls[httpx.URL],
    method: str,
    url: str,
    headers: Mapping[str, str],
    content: bytes | None,
    limits: httpx.Timeout,
) -> httpx.Request:
    return httpx.Request(
        method,
        urls(url),
        headers=headers,
        content=content,
        extensions={"timeout": limits.as_dict()},
    )


class _Stage(enum.Enum):
    BEFORE_HEADERS = enum.auto()
    SENDING = enum.auto()  # the headers are going out: the exchange finishes whatever happens
    ABANDONED = enum.auto()  # the caller left before the headers: stop at the next safe point
    STOPPED = enum.auto()


# httpcore's trace events at which raising leaves its pool clean (and no socket open).
_CONNECT = "connection.connect_tcp.started"
_HEADERS = ("http11.send_request_headers.started", "http2.send_request_headers.started")


class _Handover:
    """Where one request is inside httpcore, from its trace events; stops it where that is safe."""

    __slots__ = ("connected", "guard", "stage")

    def __init__(self, guard: DeadlineGuard) -> None:
        self.stage = _Stage.BEFORE_HEADERS
        self.guard = guard
        self.connected = False  # a connection made for this request, not a kept one

    async def trace(self, event: str, info: Mapping[str, Any]) -> None:
        if event == _CONNECT:
            self.connected = True
        if self.stage is _Stage.ABANDONED and (event == _CONNECT or event in _HEADERS):
            # Raised once: httpcore marks the connection failed or closes it; the events
            # of that clean-up pass through.
            self.stage = _Stage.STOPPED
            raise asyncio.CancelledError
        if (
            self.stage is _Stage.BEFORE_HEADERS
            and event in _HEADERS
            # A proxy tunnel's CONNECT goes first: the TLS handshake through it, which a
            # cancellation would leave its connection stuck in, is still to come.
            and info["request"].method != b"CONNECT"
        ):
            self.stage = _Stage.SENDING

    def abandon(self) -> None:
        """The caller was cancelled: stop at the next safe point, or finish in a short while."""
        if self.stage is _Stage.BEFORE_HEADERS:
            self.stage = _Stage.ABANDONED
        elif self.stage is _Stage.SENDING:
            self.guard.deadline = min(self.guard.deadline, time.monotonic() + ABANDONED_GRACE)


# Connections per httpcore pool. Whenever a request arrives or ends, httpcore's pool walks
# all its connections, asks each idle one's socket whether the server closed it (anyio builds
# a dict of the socket's attributes for each ask), and counts all of them again for each idle
# one: at 200 calls in flight on one pool of 100 connections that took over a millisecond of
# CPU per call. Pools of 4, the call going to the least busy, keep the walk short.
SHARD_CONNECTIONS = 4


class _Shard:
    """One httpcore pool of the sender's, and how many exchanges it holds now."""

    __slots__ = ("busy", "transport")

    def __init__(self, transport: httpx.AsyncHTTPTransport) -> None:
        self.transport = transport
        self.busy = 0


def _busy(shard: _Shard) -> int:
    return shard.busy


def _split(total: int, parts: int) -> list[int]:
    """`total` in `parts` shares as even as can be, the larger ones first."""
    share, extra = divmod(total, parts)
    return [share + (index < extra) for index in range(parts)]


def shard_limits(limits: httpx.Limits) -> list[httpx.Limits]:
    """The limits of each pool: `max_connections` and `max_keepalive_connections` shared out.

    No limit, or a small one, is one pool. Calls go to the least busy pool, the first of
    equals, so a caller with few calls in flight reuses the first pools' kept connections.
    """
    connections = limits.max_connections
    if connections is None or connections <= SHARD_CONNECTIONS:
        return [limits]
    count = -(-connections // SHARD_CONNECTIONS)
    kept = limits.max_keepalive_connections
    kept_shares = _split(kept, count) if kept is not None else [None] * count
    return [
        httpx.Limits(
            max_connections=size,
            max_keepalive_connections=keep,
            keepalive_expiry=limits.keepalive_expiry,
        )
        for size, keep in zip(_split(connections, count), kept_shares, strict=True)
    ]


class AsyncHttpxSender:
    """Sends through `httpx.AsyncHTTPTransport`s (httpcore's async pools), see `shard_limits`."""

    __slots__ = ("_abandoned", "_closed", "_shards", "_urls", "_watchdog")

    # The library and its version, as the User-Agent names them.
    library = f"httpx/{httpx.__version__}"

    def __init__(self, options: PoolOptions) -> None:
        # One context for every pool: making one reads the trust store.
        verify = options.ssl_context() or httpx.create_ssl_context()
        self._shards = [
            _Shard(httpx.AsyncHTTPTransport(limits=limits, proxy=options.proxy, verify=verify))
            for limits in shard_limits(options.limits)
        ]
        self._urls = ParsedUrls(httpx.URL)
        self._closed = False
        self._watchdog = Watchdog()
        # Exchanges whose callers were cancelled, still finishing.
        self._abandoned: set[asyncio.Task[Answer]] = set()

    async def send(
        self,
        method: str,
        url: str,
        headers: Mapping[str, str],
        content: bytes | None,
        limits: httpx.Timeout,
        deadline: float,
        max_bytes: int,
    ) -> Answer:
        if self._closed:  # httpcore would open connections again, that nobody closes
            raise SendFailure(Kind.CLOSED_POOL, CLOSED)
        request = _request(self._urls, method, url, headers, content, limits)
        handover = _Handover(self._watchdog.guard(deadline))
        request.extensions["trace"] = handover.trace
        task = asyncio.get_running_loop().create_task(
            self._exchange(request, headers, handover, deadline, max_bytes)
        )
        try:
            return await asyncio.shield(task)
        except asyncio.CancelledError:
            if not task.done():  # done: its answer came just as the caller left
                handover.abandon()
                self._abandoned.add(task)
                task.add_done_callback(self._settled)
            raise

    async def _exchange(
        self,
        request: httpx.Request,
        headers: Mapping[str, str],
        handover: _Handover,
        deadline: float,
        max_bytes: int,
    ) -> Answer:
        """One request and its whole answer, in the task the caller's cancellation cannot reach.

        Only the deadline's watchdog cancels it: a server still answering at
        the deadline (or past the grace of an abandoned exchange), which
        httpcore's own timeouts (each read's) let through.
        """
        with handover.guard:
            response: httpx.Response | None = None
            shard = min(self._shards, key=_busy)
            shard.busy += 1
            try:
                response = await shard.transport.handle_async_request(request)
                response.request = request
                try:
                    body = BodyReader(response.status_code, response.headers, deadline, max_bytes)
                    async for chunk in response.aiter_raw():
                        body.take(chunk)
                finally:
                    await response.aclose()
            except httpx.HTTPError as exc:
                if (
                    response is None
                    and handover.stage is _Stage.SENDING
                    and not handover.connected
                    and hung_up(exc)
                ):
                    raise SendFailure(
                        Kind.STALE_CONNECTION, f"{type(exc).__name__}: {exc}"
                    ) from exc
                raise failure_of(exc) from exc
            except (
                ssl.SSLError
            ) as exc:  # a TLS alert on the first read, which httpcore lets through
                raise tls_refused(exc) from exc
            finally:
                shard.busy -= 1
        return body.answer(response.reason_phrase, headers)

    def _settled(self, task: asyncio.Task[Answer]) -> None:
        """An abandoned request ended: its error is nobody's; read, so that asyncio stays quiet."""
        self._abandoned.discard(task)
        if not task.cancelled():
            task.exception()

    async def aclose(self) -> None:
        self._closed = True
        self._watchdog.close()
        for shard in self._shards:
            await shard.transport.aclose()
        for task in list(self._abandoned):
            task.cancel()
        await asyncio.gather(*self._abandoned, return_exceptions=True)


# What httpcore and h11 say when the server closed the connection before its answer was
# whole: with no answer at all, or within the body.
_NO_ANSWER = "without sending a response"
_CUT_SHORT = "without sending complete message body"


def hung_up(exc: httpx.HTTPError) -> bool:
    """The server closed or reset the connection before the answer's headers were in."""
    if isinstance(exc, httpx.RemoteProtocolError):
        return _NO_ANSWER in str(exc)  # h11 saw the end, and nothing before it
    return isinstance(exc, httpx.ReadError | httpx.WriteError)


def tls_refused(exc: ssl.SSLError) -> SendFailure:
    """A TLS alert after the handshake seemed done: no HTTP request was read.

    TLS 1.3 servers send theirs for a missing client certificate then, on
    the client's first read; httpcore passes the ssl error on unmapped.
    """
    return SendFailure(Kind.TLS, str(exc), label="ConnectError")


def failure_of(exc: httpx.HTTPError) -> SendFailure:
    """The failure kind of an httpx error; see the module's docstring."""
    return SendFailure(_kind(exc), str(exc), label=type(exc).__name__)


def _kind(exc: httpx.HTTPError) -> Kind:
    if isinstance(exc, httpx.ConnectError):
        return Kind.TLS if _caused_by_tls(exc) else Kind.NO_CONNECTION
    if isinstance(exc, httpx.ConnectTimeout):
        return Kind.CONNECT_TIMEOUT
    if isinstance(exc, httpx.PoolTimeout):
        return Kind.POOL_TIMEOUT
    if isinstance(exc, httpx.WriteTimeout):
        return Kind.WRITE_TIMEOUT
    if isinstance(exc, httpx.TimeoutException):
        return Kind.READ_TIMEOUT
    if isinstance(exc, httpx.ProxyError):
        return Kind.PROXY
    if isinstance(exc, httpx.NetworkError):  # ReadError, WriteError, CloseError
        return Kind.DROPPED
    if isinstance(exc, httpx.RemoteProtocolError) and (
        _NO_ANSWER in str(exc) or _CUT_SHORT in str(exc)
    ):
        return Kind.DROPPED
    return Kind.PROTOCOL


def _caused_by_tls(exc: BaseException) -> bool:
    """Whether an ssl error (a refused certificate, a failed handshake) is in `exc`'s chain."""
    link: BaseException | None = exc
    for _ in range(MAX_CHAIN):
        if link is None:
            return False
        if isinstance(link, ssl.SSLError):
            return True
        link = link.__cause__ or link.__context__
    return False
