"""`http_client=`: both clients over an httpx client of the user's.

respx (a real mocking library, at httpx's transport) answers instead of a
server; event hooks see every attempt; our timeouts, size cap, retries, keys
and headers apply over the user's client; the client stays its owner's.
"""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
import respx
from conftest import TOKEN, instance_json, span_json, success
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from prefactor_http import (
    HttpClientConfig,
    PrefactorClientError,
    PrefactorConfigError,
    PrefactorEventLoopError,
    PrefactorHttpClient,
    PrefactorNetworkError,
    PrefactorResponseTooLargeError,
    PrefactorTimeoutError,
    SyncPrefactorHttpClient,
)

MOCKED = "https://api.example.test"
KINDS = ["async", "sync"]


class UserClient:
    """One client of ours over one httpx client of the user's, of either kind."""

    def __init__(self, kind: str, config: HttpClientConfig, **httpx_options: Any) -> None:
        self.kind = kind
        if kind == "async":
            self.loop = asyncio.new_event_loop()
            self.http: httpx.AsyncClient | httpx.Client = httpx.AsyncClient(**httpx_options)
            self.client: Any = PrefactorHttpClient(config, http_client=self.http)
        else:
            self.http = httpx.Client(**httpx_options)
            self.client = SyncPrefactorHttpClient(config, http_client=self.http)

    def __call__(self, action: Callable[[Any], Any]) -> Any:
        result = action(self.client)
        return self.loop.run_until_complete(result) if self.kind == "async" else result

    def close_http(self) -> None:
        if isinstance(self.http, httpx.AsyncClient):
            self.loop.run_until_complete(self.http.aclose())
        else:
            self.http.close()

    def finish(self) -> None:
        self(lambda c: c.close())
        self.close_http()
        if self.kind == "async":
            self.loop.close()


@pytest.fixture
def user_client(request: pytest.FixtureRequest) -> Iterator[Callable[..., UserClient]]:
    made: list[UserClient] = []

    def make(config: HttpClientConfig, **httpx_options: Any) -> UserClient:
        made.append(UserClient(request.param, config, **httpx_options))
        return made[-1]

    yield make
    for each in made:
        each.finish()


def fast_config(api_url: str, **overrides: Any) -> HttpClientConfig:
    settings: dict[str, Any] = {
        "api_url": api_url,
        "api_token": TOKEN,
        "initial_retry_delay": 0.001,
        "max_retry_delay": 0.005,
        "request_timeout": 5.0,
    }
    settings.update(overrides)
    return HttpClientConfig(**settings)


def json_answer(status: int, body: Any) -> Response:
    return Response(json.dumps(body), status, content_type="application/json")


class Answers:
    """A handler giving `replies` in turn, then the last one again; it keeps what it was given.

    (The test counts these, not `server.log`: an answer an earlier test held may be logged late.)
    """

    def __init__(self, *replies: Response) -> None:
        self.replies = replies
        self.given: list[Request] = []

    def __call__(self, request: Request) -> Response:
        self.given.append(request)
        return self.replies[min(len(self.given), len(self.replies)) - 1]


@pytest.mark.parametrize("user_client", KINDS, indirect=True)
def test_respx_answers_and_a_mocked_503_is_retried(user_client):
    """A respx route stands in for the API: the 503 is retried, the answer read as the model."""
    with respx.mock(assert_all_mocked=True) as mock:
        route = mock.get(f"{MOCKED}/api/v1/agent_instance/inst-1")
        route.side_effect = [
            httpx.Response(503, json={"status": "error", "code": "unavailable", "message": "x"}),
            httpx.Response(200, json=success(instance_json(id="inst-1"))),
        ]
        runner = user_client(fast_config(MOCKED))
        instance = runner(lambda c: c.agent_instances.get("inst-1"))
    assert instance.id == "inst-1"
    assert route.call_count == 2
    for call in route.calls:
        assert call.request.headers["Authorization"] == f"Bearer {TOKEN}"


@pytest.mark.parametrize("user_client", KINDS, indirect=True)
def test_a_retried_write_goes_out_again_with_the_same_key_and_bytes(user_client):
    with respx.mock(assert_all_mocked=True) as mock:
        route = mock.post(f"{MOCKED}/api/v1/agent_spans")
        route.side_effect = [
            httpx.Response(503),
            httpx.Response(200, json=success(span_json(id="span-1"))),
        ]
        runner = user_client(fast_config(MOCKED))
        span = runner(lambda c: c.agent_spans.create("inst-1", "agent:llm", "active"))
    assert span.id == "span-1"
    first, second = (call.request for call in route.calls)
    assert first.headers["Idempotency-Key"] == second.headers["Idempotency-Key"]
    assert first.headers["Idempotency-Key"].startswith("pfhttp-")
    assert first.content == second.content
    assert json.loads(first.content)["details"]["agent_instance_id"] == "inst-1"


def hooks_for(kind: str, seen: list[tuple[str, Any]]) -> dict[str, list[Any]]:
    """Event hooks recording each request's path and headers, and each response's status."""
    if kind == "async":

        async def on_request(request: httpx.Request) -> None:
            seen.append(("request", (request.url.path, dict(request.headers))))

        async def on_response(response: httpx.Response) -> None:
            seen.append(("response", response.status_code))

        return {"request": [on_request], "response": [on_response]}
    return {
        "request": [lambda r: seen.append(("request", (r.url.path, dict(r.headers))))],
        "response": [lambda r: seen.append(("response", r.status_code))],
    }


@pytest.mark.parametrize("user_client", KINDS, indirect=True)
def test_an_event_hook_sees_every_attempt(user_client, server: HTTPServer):
    """Over a real loopback server: two 503s, then the answer; the hooks see all three."""
    busy = json_answer(503, {"status": "error", "code": "unavailable", "message": "busy"})
    handler = Answers(busy, busy, json_answer(200, {"status": "success", "details": {}}))
    server.expect_request("/api/v1/ping").respond_with_handler(handler)
    seen: list[tuple[str, Any]] = []
    runner = user_client(fast_config(server.url_for("/").rstrip("/")))
    runner.http.event_hooks = hooks_for(runner.kind, seen)
    assert runner(lambda c: c.validate_token()) == {"status": "success", "details": {}}
    assert [what for what, _ in seen] == ["request", "response"] * 3
    assert [status for what, status in seen if what == "response"] == [503, 503, 200]
    for what, value in seen:
        if what == "request":
            path, headers = value
            assert path == "/api/v1/ping"
            assert headers["authorization"] == f"Bearer {TOKEN}"
    assert len(handler.given) == 3


@pytest.mark.parametrize("user_client", KINDS, indirect=True)
def test_our_headers_go_over_the_users_and_theirs_stay(user_client, server: HTTPServer):
    handler = Answers(json_answer(200, {"status": "success", "details": {}}))
    server.expect_request("/api/v1/ping").respond_with_handler(handler)
    runner = user_client(
        fast_config(server.url_for("/").rstrip("/")),
        headers={"X-Team": "search", "Authorization": "Bearer theirs", "User-Agent": "theirs"},
    )
    runner(lambda c: c.validate_token())
    (request,) = handler.given
    assert request.headers["X-Team"] == "search"
    assert request.headers["Authorization"] == f"Bearer {TOKEN}"
    assert request.headers["User-Agent"].startswith("prefactor-http/")


@pytest.mark.parametrize("user_client", KINDS, indirect=True)
def test_our_timeout_bounds_each_attempt_over_the_users_client(user_client, server: HTTPServer):
    """The user's client has no timeout at all; ours ends the held attempt."""
    release = threading.Event()

    def hold(request: Request) -> Response:
        release.wait(10)
        return json_answer(200, {"status": "success", "details": {}})

    server.expect_request("/api/v1/ping").respond_with_handler(hold)
    runner = user_client(
        fast_config(server.url_for("/").rstrip("/"), request_timeout=0.3, max_retries=0),
        timeout=None,
    )
    try:
        with pytest.raises(PrefactorTimeoutError):
            runner(lambda c: c.validate_token())
    finally:
        release.set()


@pytest.mark.parametrize("user_client", KINDS, indirect=True)
def test_the_size_cap_applies_over_the_users_client(user_client, server: HTTPServer):
    server.expect_request("/api/v1/ping").respond_with_json(
        {"status": "success", "details": {"padding": "x" * 5000}}
    )
    runner = user_client(fast_config(server.url_for("/").rstrip("/"), max_response_bytes=1000))
    with pytest.raises(PrefactorResponseTooLargeError):
        runner(lambda c: c.validate_token())


@pytest.mark.parametrize("user_client", KINDS, indirect=True)
def test_closing_ours_leaves_the_users_client_open(user_client, server: HTTPServer):
    server.expect_request("/api/v1/ping").respond_with_json({"status": "success", "details": {}})
    runner = user_client(fast_config(server.url_for("/").rstrip("/")))
    runner(lambda c: c.validate_token())
    runner(lambda c: c.close())
    assert not runner.http.is_closed
    with pytest.raises(PrefactorClientError, match="is closed"):
        runner(lambda c: c.validate_token())
    # Still the owner's to use.
    sent = runner.http.get(server.url_for("/api/v1/ping"))
    status = (runner.loop.run_until_complete(sent) if runner.kind == "async" else sent).status_code
    assert status == 200


@pytest.mark.parametrize("user_client", KINDS, indirect=True)
def test_a_client_its_owner_closed_sends_nothing(user_client, server: HTTPServer):
    handler = Answers(json_answer(200, {"status": "success", "details": {}}))
    server.expect_request("/api/v1/ping").respond_with_handler(handler)
    # Retries on: the refusal is not retried, as nothing waiting can mend it.
    runner = user_client(fast_config(server.url_for("/").rstrip("/"), max_retries=3))
    runner.close_http()
    with pytest.raises(PrefactorClientError, match="closed by its owner") as caught:
        runner(lambda c: c.validate_token())
    assert not isinstance(caught.value, PrefactorNetworkError)
    assert str(caught.value).startswith("GET /api/v1/ping: ")
    assert handler.given == []


@pytest.mark.parametrize(
    "setting",
    [
        {"proxy": "http://proxy.example.test:3128"},
        {"max_connections": 5},
        {"max_keepalive_connections": 5},
        {"keepalive_expiry": 1.0},
    ],
)
@pytest.mark.parametrize("kind", KINDS)
def test_settings_the_users_client_holds_are_refused_beside_it(kind, setting):
    config = fast_config(MOCKED, **setting)
    (name,) = setting
    with httpx.Client() as sync_http:
        http = httpx.AsyncClient() if kind == "async" else sync_http
        cls = PrefactorHttpClient if kind == "async" else SyncPrefactorHttpClient
        with pytest.raises(PrefactorConfigError, match=f"{name} cannot apply over http_client="):
            cls(config, http_client=http)  # type: ignore[arg-type]


def test_ca_bundle_beside_a_users_client_is_refused(tmp_path):
    bundle = tmp_path / "ca.pem"
    bundle.write_text("not read")
    with (
        httpx.Client() as http,
        pytest.raises(PrefactorConfigError, match="ca_bundle cannot apply"),
    ):
        SyncPrefactorHttpClient(fast_config(MOCKED, ca_bundle=str(bundle)), http_client=http)


def test_each_client_takes_its_own_kind_of_httpx_client():
    with httpx.Client() as sync_http:
        with pytest.raises(PrefactorConfigError, match=r"httpx\.AsyncClient, got Client"):
            PrefactorHttpClient(fast_config(MOCKED), http_client=sync_http)  # type: ignore[arg-type]
        async_http = httpx.AsyncClient()
        with pytest.raises(PrefactorConfigError, match=r"httpx\.Client, got AsyncClient"):
            SyncPrefactorHttpClient(fast_config(MOCKED), http_client=async_http)  # type: ignore[arg-type]


def test_http_client_is_keyword_only():
    """0.4.3 code passes (config, sdk_header) positionally; a third positional is refused."""
    with httpx.Client() as http, pytest.raises(TypeError):
        SyncPrefactorHttpClient(fast_config(MOCKED), None, http)  # type: ignore[misc]


def test_a_users_async_client_stays_with_its_first_event_loop(server: HTTPServer):
    """Its connections belong to that loop: another loop is refused, naming what to do."""
    handler = Answers(json_answer(200, {"status": "success", "details": {}}))
    server.expect_request("/api/v1/ping").respond_with_handler(handler)
    http = httpx.AsyncClient()
    client = PrefactorHttpClient(fast_config(server.url_for("/").rstrip("/")), http_client=http)
    asyncio.run(client.validate_token())
    with pytest.raises(PrefactorEventLoopError, match=r"make a new httpx\.AsyncClient"):
        asyncio.run(client.validate_token())
    assert len(handler.given) == 1
    asyncio.run(client.close())
