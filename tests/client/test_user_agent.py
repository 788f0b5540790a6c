"""One User-Agent on every transport, as it crosses the wire.

`prefactor-http/<version> Python/<x.y.z> <library>/<version>`: the library
is the one that sends (aiohttp, urllib3, or httpx, its transport or a
user's client). The versions expected are read from the installed
distributions, not from the package. X-Prefactor-SDK stays as it was.
"""

from __future__ import annotations

import asyncio
import platform
from importlib.metadata import version

import httpx
import pytest
from conftest import TOKEN
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from prefactor_http import HttpClientConfig, PrefactorHttpClient, SyncPrefactorHttpClient

TRANSPORTS = {
    "aiohttp": "aiohttp",
    "httpx-transport": "httpx",
    "urllib3": "urllib3",
    "user-async-httpx": "httpx",
    "user-sync-httpx": "httpx",
}


def ping(transport: str, config: HttpClientConfig) -> None:
    if transport in ("aiohttp", "httpx-transport", "user-async-httpx"):

        async def call() -> None:
            http = httpx.AsyncClient() if transport == "user-async-httpx" else None
            if transport == "httpx-transport":
                config_ = HttpClientConfig(
                    api_url=config.api_url, api_token=TOKEN, async_transport="httpx"
                )
            else:
                config_ = config
            client = PrefactorHttpClient(config_, "my-sdk@2.0", http_client=http)
            async with client:
                await client.validate_token()
            if http is not None:
                await http.aclose()

        asyncio.run(call())
        return
    with httpx.Client() as http:
        user = http if transport == "user-sync-httpx" else None
        with SyncPrefactorHttpClient(config, "my-sdk@2.0", http_client=user) as client:
            client.validate_token()


@pytest.mark.parametrize("transport", sorted(TRANSPORTS))
def test_every_transport_sends_the_same_user_agent(transport, server: HTTPServer):
    given: list[Request] = []

    def answer(request: Request) -> Response:
        given.append(request)
        return Response(
            '{"status": "success", "details": {}}', 200, content_type="application/json"
        )

    server.expect_request("/api/v1/ping").respond_with_handler(answer)
    config = HttpClientConfig(api_url=server.url_for("/").rstrip("/"), api_token=TOKEN)
    ping(transport, config)
    (request,) = given  # not server.log, where an answer an earlier test held may land late
    library = TRANSPORTS[transport]
    assert request.headers["User-Agent"] == (
        f"prefactor-http/{version('prefactor-http')} Python/{platform.python_version()} "
        f"{library}/{version(library)}"
    )
    assert (
        request.headers["X-Prefactor-SDK"]
        == f"my-sdk@2.0 prefactor-http@{version('prefactor-http')}"
    )
    assert len(request.headers.getlist("User-Agent")) == 1


def test_a_callers_user_agent_in_default_headers_wins_and_copies_keep_it(twin, server):
    """A User-Agent in default_headers wins and its copies keep it; other clients send ours."""
    given: list[Request] = []

    def answer(request: Request) -> Response:
        given.append(request)
        return Response(
            '{"status": "success", "details": {}}', 200, content_type="application/json"
        )

    server.expect_request("/api/v1/ping").respond_with_handler(answer)
    theirs = twin.new_client(default_headers={"User-Agent": "helpdesk-bot/2.1"})
    twin(lambda c: c.validate_token(), theirs)
    twin(lambda c: c.with_options(headers={"X-Team": "b"}).validate_token(), theirs)
    twin(lambda c: c.with_options(headers={"X-Team": "a"}).validate_token())
    assert len(given) == 3
    assert given[0].headers["User-Agent"] == "helpdesk-bot/2.1"
    assert given[1].headers["User-Agent"] == "helpdesk-bot/2.1"
    assert given[1].headers["X-Team"] == "b"
    assert given[2].headers["User-Agent"].startswith(f"prefactor-http/{version('prefactor-http')} ")
    assert given[2].headers["X-Team"] == "a"
