"""The async client's default sender, speaking aiohttp directly (`async_transport="aiohttp"`).

aiohttp is what the existing client runs on, and per call it costs a
fraction of the CPU of httpx's async path. One `ClientSession` per pool (so
per process and event loop, made in that loop), with no cookie jar, no
environment lookups (`trust_env` stays off: the proxy is resolved once per
pool by the client, since aiohttp's own lookup re-reads the environment on
every request) and no automatic decompression (`_bodies` inflates within the
size cap). URLs are parsed once per URL.

aiohttp's errors become failure kinds (`_failures`) here, once, so that
"never sent" and "may have been sent" stay apart:

- `aiohttp.ClientSSLError` (a certificate refused, a handshake that
  failed): `TLS`, never sent;
- any other `aiohttp.ClientConnectorError` (refused, DNS, proxy
  unreachable): `NO_CONNECTION`, never sent;
- `aiohttp.ConnectionTimeoutError`: no connection in time (aiohttp times the
  wait for a pooled connection and connecting together), `CONNECT_TIMEOUT`,
  never sent;
- any other timeout (`aiohttp.SocketTimeoutError`, a read that stalled):
  `READ_TIMEOUT`;
- a proxy refusing the tunnel (`aiohttp.ClientHttpProxyError`): `PROXY`;
- a connection closed or reset by the server (`ServerDisconnectedError`,
  a socket error), or a body cut short (`aiohttp.ClientPayloadError`):
  `DROPPED`; before the answer's headers on a connection kept from an
  earlier request, `STALE_CONNECTION`;
- any other client error (a malformed status line, an oversized header, a
  bad chunk): `PROTOCOL`.

All but the first three may have reached the server. The messages keep the
names they had when this sender raised httpx's exceptions (`label`): a
server's hang-up reads `RemoteProtocolError`, a reset or a cut body
`ReadError`. Headers still arriving at the attempt's deadline (a trickle of
header lines, each within the read timeout) end the attempt with
`PAST_DEADLINE`, as a trickled body does. An attempt that fails, runs out
of time or is cancelled closes its connection (the server sees the
hang-up), so no half-read answer is ever handed to the next request; at
once, even while part of a large body waits to go out to a server that
stopped reading it (aiohttp alone would close only once it had gone).

aiohttp has no cap on idle kept-alive connections: `max_keepalive_connections`
does not apply (docs/transports.md says so).
"""

from __future__ import annotations

import asyncio
import contextvars
import io
import weakref
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import aiohttp
import yarl
from aiohttp.payload import TOO_LARGE_BYTES_BODY

from prefactor_http._bodies import Answer, BodyReader
from prefactor_http._failures import Kind, SendFailure
from prefactor_http._senders import CLOSED, ParsedUrls, PoolOptions, Watchdog

if TYPE_CHECKING:
    import httpx

# Whether the request being sent in this task went out on a connection kept from an earlier one.
_kept: contextvars.ContextVar[bool] = contextvars.ContextVar("prefactor_http_kept", default=False)
# The socket's transport of the request being sent in this task (aiohttp forgets it on close).
_transport: contextvars.ContextVar[asyncio.Transport | None] = contextvars.ContextVar(
    "prefactor_http_transport", default=None
)


def _url(url: str) -> yarl.URL:
    # The client's URLs are already encoded (httpx built them): taken as they are.
    return yarl.URL(url, encoded=True)


class _Connector(aiohttp.TCPConnector):
    """aiohttp's connector, telling the sender whether a request's connection was kept."""

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self._carried: weakref.WeakSet[object] = weakref.WeakSet()

    async def connect(self, *args: Any, **kwargs: Any) -> aiohttp.connector.Connection:
        connection = await super().connect(*args, **kwargs)
        protocol = connection.protocol
        _kept.set(protocol in self._carried)
        _transport.set(None if protocol is None else protocol.transport)
        self._carried.add(protocol)
        return connection


class AiohttpSender:
    """Sends through one aiohttp session, made in the running event loop and bound to it."""

    __slots__ = ("_own_limits", "_own_timeout", "_proxy", "_urls", "_watchdog", "session")

    # The library and its version, as the User-Agent names them.
    library = f"aiohttp/{aiohttp.__version__}"

    def __init__(self, options: PoolOptions) -> None:
        limits = options.limits
        connector = _Connector(
            # aiohttp reads 0 as "no limit"; None would leave its default cap of 100.
            limit=0 if limits.max_connections is None else limits.max_connections,
            keepalive_timeout=limits.keepalive_expiry,
            ssl=options.ssl_context() or True,
        )
        self.session = aiohttp.ClientSession(
            connector=connector,
            cookie_jar=aiohttp.DummyCookieJar(),
            auto_decompress=False,
            trust_env=False,
        )
        # A proxy URL's credentials become Proxy-Authorization (aiohttp reads them).
        self._proxy = yarl.URL(options.proxy) if options.proxy else None
        self._urls = ParsedUrls(_url)
        self._own_limits = options.timeout
        self._own_timeout = _client_timeout(options.timeout)
        self._watchdog = Watchdog()

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
        if self.session.closed:  # aiohttp would raise a bare RuntimeError
            raise SendFailure(Kind.CLOSED_POOL, CLOSED)
        response: aiohttp.ClientResponse | None = None
        try:
            with self._watchdog.guard(deadline):
                _kept.set(False)
                _transport.set(None)
                try:
                    response = await self.session.request(
                        method,
                        self._urls(url),
                        headers=headers,
                        data=_body(content),
                        allow_redirects=False,
                        proxy=self._proxy,
                        timeout=self._timeout(limits),
                    )
                    body = BodyReader(response.status, response.headers, deadline, max_bytes)
                    stream = response.content
                    # Until the whole body is in (a short answer usually is already):
                    # not one more readany() just to be told so.
                    while not stream.at_eof():
                        body.take(await stream.readany())
                except BaseException:  # failed, out of time, our own limits, or cancelled: hang up
                    if response is not None:
                        response.close()
                    _drop_unsent()
                    raise
        except (aiohttp.ClientError, OSError) as exc:  # TimeoutError is an OSError
            if response is None and _kept.get() and _hung_up(exc):
                raise SendFailure(Kind.STALE_CONNECTION, _problem(exc)) from exc
            raise _failure(exc) from exc
        response.release()
        return body.answer(response.reason or "", headers)

    def _timeout(self, limits: httpx.Timeout) -> aiohttp.ClientTimeout:
        """The aiohttp timeouts of `limits`; those of the client's own are made once."""
        if limits is self._own_limits:
            return self._own_timeout
        return _client_timeout(limits)

    async def aclose(self) -> None:
        self._watchdog.close()
        await self.session.close()


def _body(content: bytes | None) -> bytes | io.BytesIO | None:
    """What aiohttp sends `content` from: bytes, or over its limit for them a stream.

    aiohttp warns (ResourceWarning) on bytes over `TOO_LARGE_BYTES_BODY`, a
    large bulk's size; a BytesIO is sent in chunks, its length still declared.
    """
    if not content:
        return None
    if len(content) > TOO_LARGE_BYTES_BODY:
        return io.BytesIO(content)
    return content


def _client_timeout(limits: httpx.Timeout) -> aiohttp.ClientTimeout:
    return aiohttp.ClientTimeout(
        total=None,
        connect=limits.pool,  # a pooled connection, or a new one, in time
        sock_connect=limits.connect,
        sock_read=limits.read,
    )


def _drop_unsent() -> None:
    """Close the failed attempt's connection now, with whatever of the request it still held.

    aiohttp closes it gently: its transport first sends what is buffered, so a
    server that stopped reading a large body would keep the socket, and the
    body, open for as long as it keeps the connection. Only a transport
    already closing is dropped: it can never go back to the pool.
    """
    transport = _transport.get()
    if transport is not None and transport.is_closing():
        transport.abort()


def _problem(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__


def _hung_up(exc: BaseException) -> bool:
    """The server closed or reset the connection (not a timeout, nor a refused connect)."""
    if isinstance(exc, aiohttp.ServerDisconnectedError | aiohttp.ClientConnectionResetError):
        return True
    return isinstance(exc, aiohttp.ClientOSError) and not isinstance(
        exc, aiohttp.ClientConnectorError
    )


def _failure(exc: BaseException) -> SendFailure:
    """The failure kind of an aiohttp error (or a socket's); see the module's docstring."""
    problem = _problem(exc)
    if isinstance(exc, aiohttp.ClientSSLError):
        return SendFailure(Kind.TLS, problem)
    if isinstance(exc, aiohttp.ClientConnectorError):
        return SendFailure(Kind.NO_CONNECTION, problem)
    if isinstance(exc, aiohttp.ConnectionTimeoutError):
        return SendFailure(Kind.CONNECT_TIMEOUT, problem)
    if isinstance(exc, TimeoutError):
        return SendFailure(Kind.READ_TIMEOUT, problem)
    if isinstance(exc, aiohttp.ClientHttpProxyError):
        return SendFailure(Kind.PROXY, problem)
    if isinstance(exc, aiohttp.ClientPayloadError | aiohttp.ClientOSError):
        return SendFailure(Kind.DROPPED, problem)
    if isinstance(exc, aiohttp.ServerDisconnectedError | aiohttp.ClientConnectionResetError):
        return SendFailure(Kind.DROPPED, problem, label="RemoteProtocolError")
    return SendFailure(Kind.PROTOCOL, problem)
