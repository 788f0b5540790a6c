"""The aiohttp transport behind `HttpClientConfig(async_transport="aiohttp")`.

httpx-aiohttp sends httpx requests through an aiohttp session, which costs
about half the CPU of httpx's own async transport. It maps every aiohttp
connection error it does not know to `httpx.ConnectTimeout`, including a
connection the server dropped after the request went out; taken at its
word, the client would think such a request was never sent and resend a
call that is not safe to replay. Here a connection that could not be made
(`aiohttp.ClientConnectorError`: refused, DNS, TLS, proxy) becomes
`httpx.ConnectError` (never sent, safe to retry), aiohttp's own timeouts keep
`ConnectTimeout`, and any other such error becomes `httpx.RemoteProtocolError`
(may have been sent). aiohttp errors httpx-aiohttp lets through raw (a
malformed status line, an oversized header, a bad chunk) become
`httpx.RemoteProtocolError` too, so every transport fails the same way.

The proxy (the config's, or the environment's as the client read it once)
and the certificates to trust are given by the client: aiohttp's own
environment lookup (`trust_env`) re-reads it on every request, which costs
more than the rest of the call.

aiohttp applies one timeout to waiting for a pooled connection and to
connecting, so a pool wait that runs out is reported as a connect timeout,
and it has no cap on idle kept-alive connections (`max_keepalive_connections`
does not apply); the README says so.
"""

from __future__ import annotations

import ssl
from collections.abc import AsyncIterator

import aiohttp
import httpx
from httpx_aiohttp import AiohttpTransport


def _remapped(
    exc: httpx.ConnectTimeout | aiohttp.ClientError, request: httpx.Request
) -> httpx.HTTPError:
    if isinstance(exc, aiohttp.ClientError):  # not mapped by httpx-aiohttp: a malformed answer
        return httpx.RemoteProtocolError(f"{type(exc).__name__}: {exc}", request=request)
    cause = exc.__cause__
    if isinstance(cause, aiohttp.ClientConnectorError):  # no connection was made: never sent
        return httpx.ConnectError(str(cause) or type(cause).__name__, request=request)
    if isinstance(cause, TimeoutError):  # aiohttp's connect or pool-wait timeout
        return exc
    return httpx.RemoteProtocolError(str(exc) or type(exc.__cause__).__name__, request=request)


class _Stream(httpx.AsyncByteStream):
    """The answer's body, with the same error correction while it is read."""

    def __init__(self, inner: httpx.AsyncByteStream, request: httpx.Request) -> None:
        self._inner = inner
        self._request = request

    async def __aiter__(self) -> AsyncIterator[bytes]:
        try:
            async for chunk in self._inner:
                yield chunk
        except (httpx.ConnectTimeout, aiohttp.ClientError) as exc:
            raise _remapped(exc, self._request) from exc

    async def aclose(self) -> None:
        await self._inner.aclose()


class _Transport(AiohttpTransport):
    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        try:
            response = await super().handle_async_request(request)
        except (httpx.ConnectTimeout, aiohttp.ClientError) as exc:
            raise _remapped(exc, request) from exc
        if isinstance(response.stream, httpx.AsyncByteStream):
            response.stream = _Stream(response.stream, request)
        return response


def aiohttp_transport(
    limits: httpx.Limits, proxy: str | None, verify: ssl.SSLContext | bool
) -> httpx.AsyncBaseTransport:
    """A transport whose aiohttp session (made on first use, in the running loop) obeys `limits`."""
    # httpx-aiohttp leaves aiohttp's default cap (100) for None; aiohttp's "no limit" is 0.
    limit = 0 if limits.max_connections is None else limits.max_connections
    ssl_option: ssl.SSLContext | bool = verify if isinstance(verify, ssl.SSLContext) else True

    def session() -> aiohttp.ClientSession:
        connector = aiohttp.TCPConnector(
            limit=limit, keepalive_timeout=limits.keepalive_expiry, ssl=ssl_option
        )
        return aiohttp.ClientSession(connector=connector)

    return _Transport(limits=limits, client=session, proxy=httpx.Proxy(proxy) if proxy else None)
