"""The senders over an httpx client of the user's: `http_client=`.

Each attempt goes through the client's `send`, so whatever the user set on
it applies: its transport (a mock such as respx, mTLS certificates, a
proxy), its event hooks (which see every attempt, retries included), its
pool limits, its auth and cookies. The request is built with our URL, our
headers over the client's and the attempt's timeouts; the answer's raw
bytes go through `_bodies.BodyReader` (deadline, size cap, our decoding).
httpx's transport errors become failure kinds as in `_httpx`; an exception
the user's own hooks raise reaches the caller as it is.

The client stays the user's: closing ours leaves it open, and it is never
used from a process other than the one it was handed over in (a forked
child would read its parent's sockets) or, for an `httpx.AsyncClient`, from
an event loop other than the first it ran in (`_base` refuses both).

The async sender runs under asyncio or trio alike: an attempt's deadline is
an anyio cancel scope (the asyncio watchdog of the other senders needs
asyncio's tasks). A cancellation, ours at the deadline or the caller's,
reaches httpcore as it would with the user's own calls. The blocking
sender bounds the body by the deadline; the status line and headers only by
each read's timeout.
"""

from __future__ import annotations

import os
import ssl
import time
from collections.abc import Mapping
from typing import Any

import anyio
import httpx

from prefactor_http._bodies import Answer, AnswerTooLarge, BodyReader
from prefactor_http._failures import Kind, SendFailure, past_deadline
from prefactor_http._httpx import failure_of, hung_up, tls_refused
from prefactor_http._redaction import redact
from prefactor_http._senders import CLOSED, DEADLINE_GRACE
from prefactor_http.config import HttpClientConfig
from prefactor_http.exceptions import (
    PrefactorClientError,
    PrefactorConfigError,
    PrefactorEventLoopError,
    PrefactorForkedClientError,
)

# What an attempt over a client its owner closed says.
OWNER_CLOSED = "the httpx client passed as http_client= was closed by its owner"

# Settings an httpx client of the user's holds itself: given with `http_client=`, refused.
CLIENT_OWN_SETTINGS = (
    "max_connections",
    "max_keepalive_connections",
    "keepalive_expiry",
    "proxy",
    "ca_bundle",
)


# httpcore's trace events: a connection made for this request; its headers going out.
_CONNECT = "connection.connect_tcp.started"
_HEADERS = ("http11.send_request_headers.started", "http2.send_request_headers.started")


class _Trace:
    """Whether the request went out on a kept connection: a hang-up then is a stale one."""

    __slots__ = ("connected", "sending")

    def __init__(self) -> None:
        self.connected = False
        self.sending = False

    def saw(self, event: str) -> None:
        if event == _CONNECT:
            self.connected = True
        elif event in _HEADERS:
            self.sending = True

    def __call__(self, event: str, info: Mapping[str, Any]) -> None:
        self.saw(event)

    async def on_async(self, event: str, info: Mapping[str, Any]) -> None:
        self.saw(event)

    def failure(self, exc: httpx.RequestError, answered: bool) -> SendFailure:
        if not answered and self.sending and not self.connected and hung_up(exc):
            return SendFailure(Kind.STALE_CONNECTION, f"{type(exc).__name__}: {exc}")
        return failure_of(exc)


def _request(
    client: httpx.Client | httpx.AsyncClient,
    trace: object,
    method: str,
    url: str,
    headers: Mapping[str, str],
    content: bytes | None,
    limits: httpx.Timeout,
) -> httpx.Request:
    if client.is_closed:
        # Nothing waiting can mend: refused at once and never retried, as by a closed client of
        # ours, so a span writer reports its items instead of retrying them for `max_age`.
        raise PrefactorClientError(
            f"{method} {redact(httpx.URL(url).path, headers)}: {OWNER_CLOSED}; nothing was "
            "sent (close it after the Prefactor client)"
        )
    return client.build_request(
        method, url, headers=headers, content=content, timeout=limits, extensions={"trace": trace}
    )


async def _read_into(body: BodyReader, response: httpx.Response) -> Exception | None:
    """Feed the raw body to `body`; what it refused (past the deadline or the size cap).

    Leaving `aiter_raw()` between two chunks would strand the generators of
    httpx under it, which trio warns about as it collects each: a refusal
    cancels the read instead, which ends inside the stream, where each of
    them sees it go by.
    """
    refused: Exception | None = None
    with anyio.CancelScope() as stop:
        async for chunk in response.aiter_raw():
            if refused is None:
                try:
                    body.take(chunk)
                except (SendFailure, AnswerTooLarge) as exc:
                    refused = exc
                    stop.cancel()
    return refused


class AsyncClientSender:
    """Sends through the user's `httpx.AsyncClient`, under asyncio or trio."""

    __slots__ = ("_client", "_closed")

    def __init__(self, client: httpx.AsyncClient) -> None:
        self._client = client
        self._closed = False

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
        if self._closed:
            raise SendFailure(Kind.CLOSED_POOL, CLOSED)
        trace = _Trace()
        request = _request(self._client, trace.on_async, method, url, headers, content, limits)
        answer: Answer | None = None
        # anyio's clock is the library's (trio's is offset): the deadline is time.monotonic()'s.
        with anyio.move_on_after(deadline + DEADLINE_GRACE - time.monotonic()):
            answer = await self._exchange(request, headers, trace, deadline, max_bytes)
        if answer is None:
            raise past_deadline()
        return answer

    async def _exchange(
        self,
        request: httpx.Request,
        headers: Mapping[str, str],
        trace: _Trace,
        deadline: float,
        max_bytes: int,
    ) -> Answer:
        response: httpx.Response | None = None
        try:
            response = await self._client.send(request, stream=True)
            try:
                body = BodyReader(response.status_code, response.headers, deadline, max_bytes)
                refused = await _read_into(body, response)
            finally:
                await response.aclose()
            if refused is not None:
                raise refused
        except httpx.RequestError as exc:
            raise trace.failure(exc, response is not None) from exc
        except ssl.SSLError as exc:  # a TLS alert on the first read: httpcore lets it by
            raise tls_refused(exc) from exc
        return body.answer(response.reason_phrase, headers)

    async def aclose(self) -> None:
        """Stop sending; the client itself is its owner's to close."""
        self._closed = True


class ClientSender:
    """Sends through the user's `httpx.Client`, from any thread of its process."""

    __slots__ = ("_client", "_closed")

    def __init__(self, client: httpx.Client) -> None:
        self._client = client
        self._closed = False

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
        if self._closed:
            raise SendFailure(Kind.CLOSED_POOL, CLOSED)
        trace = _Trace()
        request = _request(self._client, trace, method, url, headers, content, limits)
        response: httpx.Response | None = None
        try:
            response = self._client.send(request, stream=True)
            try:
                body = BodyReader(response.status_code, response.headers, deadline, max_bytes)
                for chunk in response.iter_raw():
                    body.take(chunk)
            finally:
                response.close()
        except httpx.RequestError as exc:
            raise trace.failure(exc, response is not None) from exc
        except ssl.SSLError as exc:  # a TLS alert on the first read: httpcore lets it by
            raise tls_refused(exc) from exc
        return body.answer(response.reason_phrase, headers)

    def close(self) -> None:
        """Stop sending; the client itself is its owner's to close."""
        self._closed = True


def check_http_client(config: HttpClientConfig, client: object, kind: type) -> None:
    """Refuse a client of the wrong kind, and settings that only the client itself holds."""
    if not isinstance(client, kind):
        raise PrefactorConfigError(
            f"http_client must be an {kind.__module__}.{kind.__qualname__}, "
            f"got {type(client).__name__}"
        )
    given = [
        name
        for name in CLIENT_OWN_SETTINGS
        if getattr(config, name) != HttpClientConfig.__dataclass_fields__[name].default
    ]
    if given:
        raise PrefactorConfigError(
            f"{', '.join(given)} cannot apply over http_client=: set them on the httpx "
            "client itself (limits=, proxy=, verify=) and leave them out of HttpClientConfig"
        )


def check_process(owner_pid: int, client: str) -> None:
    """A user's httpx client is refused in a forked child: its connections are the parent's."""
    if os.getpid() != owner_pid:
        raise PrefactorForkedClientError(
            f"{client} was called in a forked child of the process it was made in: the httpx "
            "client passed as http_client= holds the parent's connections; make a new httpx "
            "client and a new client in the child"
        )


def another_loop(client: str) -> PrefactorEventLoopError:
    return PrefactorEventLoopError(
        f"{client} was called from another event loop than the one its http_client= first "
        "ran in, whose connections belong to that loop; make a new httpx.AsyncClient and a "
        "new client in each event loop"
    )
