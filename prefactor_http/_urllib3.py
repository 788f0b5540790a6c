"""The blocking client's sender, speaking urllib3 directly.

urllib3 writes requests and parses answers with the standard library's
`http.client`, which costs less CPU per call than httpx's blocking path
(httpcore and h11, with their header normalisation and event objects). One
`PoolManager` (a `ProxyManager` behind a proxy) per pool, so per process,
with urllib3's own retries and redirects off (the client retries, and never
follows a redirect) and nothing decoded by urllib3 (`_bodies` inflates within
the size cap). Each URL's connection pool and request target are looked up
once.

urllib3's errors become failure kinds (`_failures`) here, once, so that
"never sent" and "may have been sent" stay apart:

- `NewConnectionError` (refused, DNS) and a proxy that could not be reached
  (`ProxyError`): `NO_CONNECTION`, never sent;
- a certificate refused in the TLS handshake (`SSLError` from a failed
  verification): `TLS`, never sent;
- `ConnectTimeoutError`: `CONNECT_TIMEOUT`, never sent;
- `EmptyPoolError`, no pooled connection free in time: `POOL_TIMEOUT`,
  never sent; `ClosedPoolError`, the client closed meanwhile:
  `CLOSED_POOL`, never sent;
- `ReadTimeoutError`: `READ_TIMEOUT`, may have been sent;
- a request whose sending timed out (`ProtocolError` of a `TimeoutError`;
  the connections write within the attempt's write timeout):
  `WRITE_TIMEOUT`, may have been sent;
- a connection closed or reset by the server (`ProtocolError` of
  `RemoteDisconnected`, a reset or a broken pipe) or a body cut short
  (`IncompleteRead`): `DROPPED`, may have been sent; before the status line
  on a connection kept from an earlier request (no new connection made for
  this attempt), `STALE_CONNECTION`;
- any other error (`ProtocolError`: a malformed status line or header, a
  bad chunk; any other `SSLError`, which urllib3 cannot place before or
  after sending): `PROTOCOL`, may have been sent.

The messages keep the names they had when this sender raised httpx's
exceptions (`label`): a dropped connection reads `RemoteProtocolError`.

An attempt that fails or runs out of time closes its connection, so no
half-read answer is handed to the next request. The socket's timeout bounds
each read; the answer's reader (`_DeadlineResponse`, made by the pools'
connections) also ends every read by the attempt's deadline, so a status
line and headers still arriving then end the attempt with `PAST_DEADLINE`,
as a trickled body does.

With `max_connections` set, the pool holds at most that many connections
and calls beyond wait for one (urllib3's `block=True`), keeping all of them
alive; without it, `max_keepalive_connections` bounds how many are kept
(urllib3 closes the others after use, and logs a warning as it does).
urllib3 has no idle lifetime (`keepalive_expiry` does not apply): a
connection the server closed is noticed when it is taken from the pool, and
a new one is made.
"""

from __future__ import annotations

import http.client
import io
import socket
import ssl
import threading
import time
from collections.abc import Mapping
from typing import Any
from urllib.parse import unquote

import httpx
import urllib3
from urllib3._version import __version__ as urllib3_version
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import (
    ClosedPoolError,
    ConnectTimeoutError,
    EmptyPoolError,
    IncompleteRead,
    NewConnectionError,
    ProtocolError,
    ProxyError,
    ReadTimeoutError,
    SSLError,
)
from urllib3.util import parse_url

from prefactor_http._bodies import Answer, BodyReader
from prefactor_http._failures import STILL_ARRIVING, Kind, SendFailure, past_deadline
from prefactor_http._senders import CLOSED, DEADLINE_GRACE, ParsedUrls, PoolOptions

# Most bytes taken per read of an answer's body.
READ_SIZE = 65536
# Idle connections kept when neither limit is set (urllib3 makes a slot for each up front).
MAX_KEPT = 1024

Route = tuple[urllib3.HTTPConnectionPool, str]

# The attempt this thread is sending: its deadline, read by the answer it gets, its write
# timeout, and whether it made a connection of its own.
_attempt = threading.local()

# What a connection the server closed or reset fails with: before the status line on a kept
# connection, that is a stale one.
_HUNG_UP = (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError)


class _PastDeadlineError(TimeoutError):
    """Raised by `_DeadlineReader`: the answer was still arriving at the attempt's deadline."""


class _DeadlineReader(io.RawIOBase):
    """A socket's reader whose every read ends by the attempt's deadline.

    The socket's own timeout bounds one read; a server sending a header line
    now and then would never trip it. Reads go to the reader `makefile` made,
    which keeps the socket open until it is closed.
    """

    def __init__(self, plain: io.BufferedReader, sock: socket.socket, deadline: float) -> None:
        super().__init__()
        self._plain = plain
        self._socket = sock
        self._deadline = deadline

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int | None:
        left = self._deadline - time.monotonic()
        if left <= 0:
            raise _PastDeadlineError(STILL_ARRIVING)
        # The read timeout goes first when it ends with the deadline, as on the async senders.
        left += DEADLINE_GRACE
        timeout = self._socket.gettimeout()
        capped = timeout is None or timeout > left
        if capped:
            self._socket.settimeout(left)
        try:
            return self._plain.raw.readinto(buffer)
        except TimeoutError as exc:
            if capped:
                raise _PastDeadlineError(STILL_ARRIVING) from exc
            raise

    def close(self) -> None:
        if not self.closed:
            self._plain.close()
        super().close()


class _DeadlineResponse(http.client.HTTPResponse):
    """http.client's answer, read (status line, headers and body) by the attempt's deadline."""

    def __init__(self, sock: socket.socket, *args: Any, **kwargs: Any) -> None:
        super().__init__(sock, *args, **kwargs)
        deadline: float | None = getattr(_attempt, "deadline", None)
        if deadline is not None:
            self.fp = io.BufferedReader(_DeadlineReader(self.fp, sock, deadline))


def _write_timed(sock: socket.socket | None) -> None:
    """Bound the request's writes by the attempt's write timeout.

    urllib3 sends with its connect timeout on the socket; a server that
    stops reading the request would hold it that long, and the failure would
    not read as a timeout.
    """
    write: float | None = getattr(_attempt, "write", None)
    if sock is not None and write is not None and sock.gettimeout() != write:
        sock.settimeout(write)


class _HTTPConnection(HTTPConnection):
    response_class = _DeadlineResponse

    def connect(self) -> None:
        _attempt.connected = True
        super().connect()

    def send(self, data: Any) -> None:
        _write_timed(self.sock)
        super().send(data)


class _HTTPSConnection(_HTTPConnection, HTTPSConnection):
    """HTTPSConnection with the deadline-bound answer and timed writes of `_HTTPConnection`."""


class _HTTPConnectionPool(HTTPConnectionPool):
    ConnectionCls = _HTTPConnection


class _HTTPSConnectionPool(HTTPSConnectionPool):
    ConnectionCls = _HTTPSConnection


class Urllib3Sender:
    """Sends through one urllib3 pool manager; its threads share its connections."""

    __slots__ = ("_manager", "_options", "_own_limits", "_own_timeout", "_routes", "_tls")

    # The library and its version, as the User-Agent names them.
    library = f"urllib3/{urllib3_version}"

    def __init__(self, options: PoolOptions) -> None:
        limits = options.limits
        bounded = limits.max_connections is not None
        kept = limits.max_connections if bounded else limits.max_keepalive_connections
        self._manager: urllib3.PoolManager
        if options.proxy:
            proxy = parse_url(options.proxy)
            headers = {}
            if proxy.auth:
                user, _, password = proxy.auth.partition(":")
                credentials = f"{unquote(user)}:{unquote(password)}"
                headers = urllib3.make_headers(proxy_basic_auth=credentials)
            self._manager = urllib3.ProxyManager(
                proxy._replace(auth=None).url,
                proxy_headers=headers,
                maxsize=kept or MAX_KEPT,
                block=bounded,
                retries=False,
            )
        else:
            self._manager = urllib3.PoolManager(
                maxsize=kept or MAX_KEPT, block=bounded, retries=False
            )
        self._manager.pool_classes_by_scheme = {
            "http": _HTTPConnectionPool,
            "https": _HTTPSConnectionPool,
        }
        self._routes = ParsedUrls(self._route)
        self._options = options
        self._tls: ssl.SSLContext | None = None
        self._own_limits = options.timeout
        self._own_timeout = _timeout(options.timeout)

    def _route(self, url: str) -> Route:
        """The pool of `url`'s origin, and what to ask it for (the whole URL through a proxy)."""
        parsed = parse_url(url)
        tls = {"ssl_context": self._tls_context()} if parsed.scheme == "https" else None
        pool = self._manager.connection_from_url(url, pool_kwargs=tls)
        plain_proxy = isinstance(self._manager, urllib3.ProxyManager) and parsed.scheme == "http"
        return pool, url if plain_proxy else parsed.request_uri

    def _tls_context(self) -> ssl.SSLContext:
        """The certificates to trust: the bundle, or httpx's (certifi), as the client always had.

        Made once, on the first https URL: urllib3 would load them for every new connection.
        """
        if self._tls is None:
            self._tls = self._options.ssl_context() or httpx.create_ssl_context()
        return self._tls

    def send(
        self,
        method: str,
        url: str,
        headers: Mapping[str, str],
        content: bytes | None,
        limits: httpx.Timeout,
        deadline: float,
        max_bytes: int,
    ) -> Answer:
        pool, target = self._routes(url)
        timeout = self._own_timeout if limits is self._own_limits else _timeout(limits)
        _attempt.deadline = deadline
        _attempt.write = limits.write
        _attempt.connected = False
        try:
            response = pool.urlopen(
                method,
                target,
                body=content,
                headers=headers,
                retries=False,
                redirect=False,
                assert_same_host=False,
                timeout=timeout,
                pool_timeout=limits.pool,  # type: ignore[arg-type]  # seconds, as a float too
                preload_content=False,
                decode_content=False,
            )
        except ProtocolError as exc:
            stale = not _attempt.connected and any(isinstance(a, _HUNG_UP) for a in exc.args)
            raise (
                SendFailure(Kind.STALE_CONNECTION, f"{type(exc).__name__}: {exc}")
                if stale
                else _failure(exc)
            ) from exc
        except urllib3.exceptions.HTTPError as exc:
            raise _failure(exc) from exc
        try:
            body = BodyReader(response.status, response.headers, deadline, max_bytes)
            # read1: what has arrived, up to READ_SIZE (read() would wait for all of it,
            # so a trickled answer would pass the deadline unnoticed).
            while chunk := response.read1(READ_SIZE, decode_content=False):
                body.take(chunk)
        except BaseException as exc:  # a failure, or our own limits: hang up
            response.close()
            response.release_conn()
            if isinstance(exc, urllib3.exceptions.HTTPError):
                raise _failure(exc) from exc
            raise
        response.release_conn()
        return body.answer(response.reason or "", headers)

    def close(self) -> None:
        """Close every pool's idle connections now; those still in use close as they return.

        `PoolManager.clear()` alone only forgets the pools: their sockets would
        stay open until the garbage collector found them.
        """
        pools = self._manager.pools
        kept = [pools[key] for key in pools.keys()]  # noqa: SIM118  # it refuses iteration
        self._manager.clear()
        for pool in kept:
            pool.close()


def _timeout(limits: httpx.Timeout) -> urllib3.Timeout:
    return urllib3.Timeout(connect=limits.connect, read=limits.read)


def _failure(exc: urllib3.exceptions.HTTPError) -> SendFailure:
    """The failure kind of a urllib3 error; see the module's docstring."""
    if isinstance(exc.__cause__ or exc.__context__, _PastDeadlineError):
        return past_deadline()
    problem = f"{type(exc).__name__}: {exc}"
    if _refused_certificate(exc):
        return SendFailure(Kind.TLS, problem)
    # NewConnectionError is a ConnectTimeoutError too (urllib3 2 keeps that for old callers).
    if isinstance(exc, NewConnectionError | ProxyError):
        return SendFailure(Kind.NO_CONNECTION, problem)
    if isinstance(exc, ConnectTimeoutError):
        return SendFailure(Kind.CONNECT_TIMEOUT, problem)
    if isinstance(exc, EmptyPoolError):
        return SendFailure(Kind.POOL_TIMEOUT, problem)
    if isinstance(exc, ClosedPoolError):  # close() while this call waited for a connection
        return SendFailure(Kind.CLOSED_POOL, CLOSED)
    if isinstance(exc, ReadTimeoutError):
        return SendFailure(Kind.READ_TIMEOUT, problem)
    if isinstance(exc, ProtocolError):
        if any(isinstance(a, TimeoutError) for a in exc.args):  # reads, connects: above
            return SendFailure(Kind.WRITE_TIMEOUT, problem)
        if any(isinstance(a, (*_HUNG_UP, IncompleteRead)) for a in exc.args):
            return SendFailure(Kind.DROPPED, problem, label="RemoteProtocolError")
    return SendFailure(Kind.PROTOCOL, problem)


def _refused_certificate(exc: urllib3.exceptions.HTTPError) -> bool:
    """A certificate that failed verification: the handshake ended before anything was sent."""
    if not isinstance(exc, SSLError):
        return False
    causes = [*exc.args, exc.__cause__, exc.__context__]
    return any(isinstance(cause, ssl.SSLCertVerificationError) for cause in causes)
