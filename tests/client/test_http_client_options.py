"""Where `http_client=` meets `default_headers`, `with_options` and `with_raw_response`.

Each was written on a branch of its own: here a copy of a client over the
user's httpx client sends through that client with the copy's options, and
a raw answer read through it has its status, headers, request id, attempts
and time, on both clients, over a real loopback server.
"""

from __future__ import annotations

from typing import Any

import pytest
from conftest import TOKEN
from pytest_httpserver import HTTPServer
from test_http_client import KINDS, Answers, fast_config, hooks_for, json_answer, user_client
from werkzeug import Response

from prefactor_http import PrefactorHttpClient, SyncPrefactorHttpClient

__all__ = ["user_client"]  # the fixture, used by name below


@pytest.mark.parametrize("user_client", KINDS, indirect=True)
def test_a_copy_over_the_users_client_sends_its_options_and_answers_raw(
    user_client, server: HTTPServer
):
    busy = json_answer(503, {"status": "error", "code": "unavailable", "message": "busy"})
    done = Response(
        '{"status": "success", "details": {}}',
        200,
        headers={"X-Request-Id": "req-42"},
        content_type="application/json",
    )
    handler = Answers(busy, done)
    server.expect_request("/api/v1/ping").respond_with_handler(handler)
    seen: list[tuple[str, Any]] = []
    config = fast_config(server.url_for("/").rstrip("/"), max_retries=0)
    runner = user_client(config, headers={"X-Theirs": "kept"})
    runner.http.event_hooks = hooks_for(runner.kind, seen)
    made = PrefactorHttpClient if runner.kind == "async" else SyncPrefactorHttpClient
    runner.client = made(config, default_headers={"X-Team": "a"}, http_client=runner.http)

    copy = runner.client.with_options(max_retries=1, headers={"X-Call": "1"})
    raw = runner(lambda _: copy.with_raw_response.validate_token())

    assert raw.parse() == {"status": "success", "details": {}}
    assert (raw.status_code, raw.request_id, raw.attempts) == (200, "req-42", 2)
    assert raw.url == f"{config.api_url}/api/v1/ping"
    assert raw.elapsed.total_seconds() > 0
    assert [status for what, status in seen if what == "response"] == [503, 200]
    assert len(handler.given) == 2
    for request in handler.given:
        assert request.headers["Authorization"] == f"Bearer {TOKEN}"
        assert request.headers["X-Team"] == "a"
        assert request.headers["X-Call"] == "1"
        assert request.headers["X-Theirs"] == "kept"
        assert request.headers["User-Agent"].startswith("prefactor-http/")

    runner(lambda _: copy.close())
    assert not runner.http.is_closed
    runner(lambda c: c.validate_token())
    assert len(handler.given) == 3
    assert "X-Call" not in handler.given[2].headers
    assert handler.given[2].headers["X-Team"] == "a"
