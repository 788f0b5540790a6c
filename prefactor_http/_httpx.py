"""The sender over httpx's own async transport: `async_transport="httpx"`.

Each request goes straight to the transport, with no `httpx.Client` in
between: a client would merge headers, resolve the URL and look up auth,
redirects and cookies on every call, none of which this package uses.
httpx's exceptions are already the senders' vocabulary (`_senders`). httpx
times each socket read, not the answer: the attempt's deadline bounds the
wait for headers too (`DeadlinePassed`).
"""

from __future__ import annotations

from collections.abc import Mapping

import httpx

from prefactor_http._bodies import Answer, BodyReader
from prefactor_http._senders import CLOSED, ParsedUrls, PoolOptions, Watchdog


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


class AsyncHttpxSender:
    """Sends through `httpx.AsyncHTTPTransport` (httpcore's async pool)."""

    __slots__ = ("_closed", "_transport", "_urls", "_watchdog")

    def __init__(self, options: PoolOptions) -> None:
        self._transport = httpx.AsyncHTTPTransport(
            limits=options.limits, proxy=options.proxy, verify=options.ssl_context() or True
        )
        self._urls = ParsedUrls(httpx.URL)
        self._closed = False
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
        if self._closed:  # httpcore would open connections again, that nobody closes
            raise httpx.ConnectError(CLOSED)
        request = _request(self._urls, method, url, headers, content, limits)
        with self._watchdog.guard(deadline):
            response = await self._transport.handle_async_request(request)
            response.request = request
            try:
                body = BodyReader(response.status_code, response.headers, deadline, max_bytes)
                async for chunk in response.aiter_raw():
                    body.take(chunk)
            finally:
                await response.aclose()
        return body.answer(response.reason_phrase, headers)

    async def aclose(self) -> None:
        self._closed = True
        self._watchdog.close()
        await self._transport.aclose()
