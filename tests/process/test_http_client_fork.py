"""A client over a user's httpx client, across a real os.fork().

The parent has used it, so the httpx client's pool holds a connection the
child inherited. The child must not send over it: its call is refused with
PrefactorForkedClientError, which says what to do, and nothing reaches the
server from the child; the parent goes on calling as before.
"""

from __future__ import annotations

import asyncio
import json
import os
from typing import Any

import httpx
import pytest
from conftest import TOKEN
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from prefactor_http import HttpClientConfig, PrefactorHttpClient, SyncPrefactorHttpClient
from tests.support.pipes import read_all

# Real forks: `make test-fast` leaves them out.
pytestmark = pytest.mark.slow

PATIENCE = 10.0


def child_report(fd: int) -> dict[str, Any]:
    """The JSON the child wrote before it exited, within PATIENCE seconds."""
    report: dict[str, Any] = json.loads(read_all(fd, PATIENCE))
    return report


@pytest.mark.parametrize("kind", ["async", "sync"])
def test_a_forked_child_is_refused_the_parents_httpx_client(kind, server: HTTPServer):
    pids: list[int] = []

    def answer(request: Request) -> Response:
        pids.append(int(request.headers["X-Caller-Pid"]))
        return Response('{"status": "success", "details": {}}', 200)

    server.expect_request("/api/v1/ping").respond_with_handler(answer)
    config = HttpClientConfig(api_url=server.url_for("/").rstrip("/"), api_token=TOKEN)

    def caller_pid(request: httpx.Request) -> None:
        request.headers["X-Caller-Pid"] = str(os.getpid())

    async def async_caller_pid(request: httpx.Request) -> None:
        caller_pid(request)

    loop = asyncio.new_event_loop()
    if kind == "async":
        http: Any = httpx.AsyncClient(event_hooks={"request": [async_caller_pid]})
        client: Any = PrefactorHttpClient(config, http_client=http)
    else:
        http = httpx.Client(event_hooks={"request": [caller_pid]})
        client = SyncPrefactorHttpClient(config, http_client=http)

    def ping() -> object:
        result = client.validate_token()
        return loop.run_until_complete(result) if kind == "async" else result

    ping()
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: report what it got, then leave without pytest's teardown
        try:
            os.close(read_end)
            if kind == "async":
                loop = asyncio.new_event_loop()
            try:
                ping()
                report = {"error": None, "message": ""}
            except Exception as exc:
                report = {"error": type(exc).__name__, "message": str(exc)}
            os.write(write_end, json.dumps(report).encode())
        finally:
            os._exit(0)
    os.close(write_end)
    try:
        report = child_report(read_end)
    finally:
        os.close(read_end)
        os.waitpid(pid, 0)
    assert report["error"] == "PrefactorForkedClientError"
    assert "make a new httpx client and a new client in the child" in report["message"]
    ping()  # the parent's own connection still serves it
    assert pids == [os.getpid(), os.getpid()]
    if kind == "async":
        loop.run_until_complete(client.close())
        loop.run_until_complete(http.aclose())
    else:
        client.close()
        http.close()
    loop.close()
