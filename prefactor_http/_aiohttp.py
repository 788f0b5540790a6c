"""The async client's default sender, speaking aiohttp directly (`async_transport="aiohttp"`).

aiohttp is what the existing client runs on, and per call it costs a
fraction of the CPU of httpx's async path. One `ClientSession` per pool (so
per process and event loop, made in that loop), with no cookie jar, no
environment lookups (`trust_env` stays off: the proxy is resolved once per
pool by the client, since aiohttp's own lookup re-reads the environment on
every request) and no automatic decompression (`_bodies` inflates within the
size cap). URLs are parsed once per URL.

aiohttp's errors become the senders' vocabulary (`_senders`) so that "never
sent" and "may have been sent" stay apart:

- `aiohttp.ClientConnectorError` (refused, DNS, TLS, proxy unreachable): no
  connection was made, `httpx.ConnectError`, never sent;
- `aiohttp.ConnectionTimeoutError`: no connection in time (aiohttp times the
  wait for a pooled connection and connecting together), `httpx.ConnectTimeout`,
  never sent;
- any other timeout (`aiohttp.SocketTimeoutError`, a read that stalled):
  `httpx.ReadTimeout`, may have been sent;
- a proxy refusing the tunnel (`aiohttp.ClientHttpProxyError`): `httpx.ProxyError`;
- a body cut short (`aiohttp.ClientPayloadError`) or a socket error while
  reading: `httpx.ReadError`;
- a connection kept from an earlier request that was closed or reset before
  the answer's headers (`aiohttp.ServerDisconnectedError`, a socket error):
  `StaleConnection`;
- any other client error (a dropped connection, a malformed status line, an
  oversized header, a bad chunk): `httpx.RemoteProtocolError`.

All but the first two may have reached the server. Headers still arriving
at the attempt's deadline (a trickle of header lines, each within the read
timeout) end the attempt with `DeadlinePassed`, as a trickled body does. An attempt that fails,
runs out of time or is cancelled closes its connection (the server sees the
hang-up), so no half-read answer is ever handed to the next request.

aiohttp has no cap on idle kept-alive connections: `max_keepalive_connections`
does not apply (docs/transports.md says so).
"""

from __future__ import annotations

import contextvars
import io
import weakref
from collections.abc import Mapping
from typing import Any

import aiohttp
import httpx
import yarl
from aiohttp.payload import TOO_LARGE_BYTES_BODY

from prefactor_http._bodies import Answer, BodyReader
from prefactor_http._senders import CLOSED, ParsedUrls, PoolOptions, StaleConnection, Watchdog

# Whether the request being sent in this task went out on a connection kept from an earlier one.
_kept: contextvars.ContextVar[bool] = contextvars.ContextVar("prefactor_http_kept", default=False)


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
        self._carried.add(protocol)
        return connection


class AiohttpSender:
    """Sends through one aiohttp session, made in the running event loop and bound to it."""

    __slots__ = ("_own_limits", "_own_timeout", "_proxy", "_urls", "_watchdog", "session")

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
            raise httpx.ConnectError(CLOSED)
        response: aiohttp.ClientResponse | None = None
        try:
            with self._watchdog.guard(deadline):
                _kept.set(False)
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
                    raise
        except (aiohttp.ClientError, OSError) as exc:  # TimeoutError is an OSError
            if response is None and _kept.get() and _hung_up(exc):
                raise StaleConnection(_problem(exc)) from exc
            raise _mapped(exc) from exc
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


def _problem(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__


def _hung_up(exc: BaseException) -> bool:
    """The server closed or reset the connection (not a timeout, nor a refused connect)."""
    if isinstance(exc, aiohttp.ServerDisconnectedError | aiohttp.ClientConnectionResetError):
        return True
    return isinstance(exc, aiohttp.ClientOSError) and not isinstance(
        exc, aiohttp.ClientConnectorError
    )


def _mapped(exc: BaseException) -> httpx.HTTPError:
    """The sender's error for an aiohttp failure; see the module's docstring."""
    problem = _problem(exc)
    if isinstance(exc, aiohttp.ClientConnectorError):
        return httpx.ConnectError(problem)
    if isinstance(exc, aiohttp.ConnectionTimeoutError):
        return httpx.ConnectTimeout(problem)
    if isinstance(exc, TimeoutError):
        return httpx.ReadTimeout(problem)
    if isinstance(exc, aiohttp.ClientHttpProxyError):
        return httpx.ProxyError(problem)
    if isinstance(exc, aiohttp.ClientPayloadError | aiohttp.ClientOSError):
        return httpx.ReadError(problem)
    return httpx.RemoteProtocolError(problem)
