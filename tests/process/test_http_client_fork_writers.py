"""A span writer over a user's httpx client, across a real os.fork().

In the child the writer starts over, as every writer does, but it cannot
send over the parent's httpx client: what the child writes fails with
PrefactorForkedClientError, reported when it closes, and nothing reaches the
server from the child. The restart itself raises nothing (Python would print
"Exception ignored" and skip the other writers), and close() does not wait
for a sender that never started.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
from typing import Any

import httpx
import pytest
from conftest import TOKEN
from pytest_httpserver import HTTPServer

from prefactor_http import (
    HttpClientConfig,
    PrefactorDeliveryError,
    PrefactorHttpClient,
    SpanWriter,
    SyncPrefactorHttpClient,
    SyncSpanWriter,
)
from tests.support.bulk import span_item
from tests.support.pipes import read_all

# Real forks: `make test-fast` leaves them out.
pytestmark = pytest.mark.slow

PATIENCE = 10.0


def child_writes(kind: str, writer: Any, unraisable: list[str]) -> dict[str, Any]:
    """In the child: write one item and close, and say what happened."""
    report: dict[str, Any] = {"close": None, "cause": None}

    async def write_and_close() -> None:
        await writer.write(span_item("child-key-0001"))
        await writer.close()

    try:
        if kind == "async":
            asyncio.run(write_and_close())
        else:
            writer.write(span_item("child-key-0001"))
            writer.close()
        report["close"] = "ok"
    except PrefactorDeliveryError as exc:
        report["close"] = type(exc).__name__
        report["cause"] = type(exc.failures[0].error).__name__
    report["unraisable"] = unraisable
    return report


@pytest.mark.parametrize("kind", ["async", "sync"])
def test_a_writer_in_a_forked_child_reports_what_it_cannot_send(kind, server: HTTPServer):
    server.expect_request("/api/v1/ping").respond_with_json({"status": "success", "details": {}})
    config = HttpClientConfig(api_url=server.url_for("/").rstrip("/"), api_token=TOKEN)
    loop = asyncio.new_event_loop()
    if kind == "async":
        http: Any = httpx.AsyncClient()
        client: Any = PrefactorHttpClient(config, http_client=http)
        writer: Any = SpanWriter(client)
        loop.run_until_complete(client.validate_token())
    else:
        http = httpx.Client()
        client = SyncPrefactorHttpClient(config, http_client=http)
        writer = SyncSpanWriter(client)
        client.validate_token()

    unraisable: list[str] = []
    hook = sys.unraisablehook
    sys.unraisablehook = lambda seen: unraisable.append(f"{seen.exc_type.__name__}")
    read_end, write_end = os.pipe()
    try:
        pid = os.fork()
        if pid == 0:  # the child: report, then leave without pytest's teardown
            try:
                os.close(read_end)
                report = child_writes(kind, writer, unraisable)
                os.write(write_end, json.dumps(report).encode())
            finally:
                os._exit(0)
    finally:
        sys.unraisablehook = hook
    os.close(write_end)
    written = read_all(read_end, PATIENCE)
    os.close(read_end)
    if not written:
        os.kill(pid, signal.SIGKILL)  # a child stuck in close() must not outlive the test
    os.waitpid(pid, 0)
    report = json.loads(written or b'{"close": "no report in time"}')

    assert report == {
        "close": "PrefactorDeliveryError",
        "cause": "PrefactorForkedClientError",
        "unraisable": [],
    }
    assert [entry.path for entry, _ in server.log] == ["/api/v1/ping"]
    if kind == "async":
        loop.run_until_complete(writer.close())
        loop.run_until_complete(client.close())
        loop.run_until_complete(http.aclose())
    else:
        writer.close()
        client.close()
        http.close()
    loop.close()
