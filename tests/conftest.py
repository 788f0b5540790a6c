"""Fixtures: a spec-checking loopback server and one driver for both twins."""

from __future__ import annotations

import asyncio
import json
import re
import socket
import ssl
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import jsonschema
import pytest
import yaml
from pytest_httpserver import HTTPServer

from prefactor_http import HttpClientConfig, PrefactorHttpClient, SyncPrefactorHttpClient
from prefactor_http._generated import limits
from prefactor_http.server._api import body_key

ROOT = Path(__file__).resolve().parent.parent
SPEC: dict[str, Any] = yaml.safe_load((ROOT / "openapi.yaml").read_text())
TOKEN = "pf-test-token-8c1e6f"


def schema_validator(schema: dict[str, Any]) -> jsonschema.Draft202012Validator:
    """Validate against `schema` (formats included), resolving `#/components/...` refs."""
    return jsonschema.Draft202012Validator(
        {**schema, "components": SPEC["components"]},
        format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER,
    )


def component(name: str) -> jsonschema.Draft202012Validator:
    return schema_validator({"$ref": f"#/components/schemas/{name}"})


def _operation(method: str, path: str) -> dict[str, Any]:
    for template, operations in SPEC["paths"].items():
        pattern = "^" + re.sub(r"\{[^}]+\}", "[^/]+", template) + "$"
        if re.match(pattern, path) and method.lower() in operations:
            return operations[method.lower()]  # type: ignore[no-any-return]
    raise AssertionError(f"{method} {path} is not an operation of openapi.yaml")


def assert_request_matches_spec(method: str, path: str, body: bytes) -> None:
    """The request is an operation of the spec and its JSON body fits the operation's schema."""
    operation = _operation(method, path)
    request_body = operation.get("requestBody")
    if request_body is None:
        assert body == b"", f"{method} {path} takes no body, got {body!r}"
        return
    schema = request_body["content"]["application/json"]["schema"]
    schema_validator(schema).validate(json.loads(body))


def raw_path(request: Any) -> str:
    """The path as it crossed the wire, still percent-encoded, without the query."""
    return str(request.environ["RAW_URI"]).split("?", 1)[0]


def assert_key_header_matches_body(method: str, path: str, headers: Any, body: bytes) -> None:
    """A mutating request names its key in the Idempotency-Key header, equal to the body's.

    The body's key is read by the local server's own rule (`details` for span
    create, none for bulk), so the two cannot drift apart.
    """
    header = headers.get("Idempotency-Key")
    if method == "GET":
        assert header is None, f"GET carries Idempotency-Key {header!r}"
        return
    assert header, f"{method} without an Idempotency-Key header"
    operation_id = _operation(method, path)["operationId"]
    key = body_key(operation_id, json.loads(body)) if body else None
    assert key in (None, header), f"header key {header!r} differs from body key {key!r}"


@pytest.fixture
def server(httpserver: HTTPServer) -> Iterator[HTTPServer]:
    """The loopback server; every request it saw is checked against openapi.yaml afterwards."""
    yield httpserver
    for request, _ in httpserver.log:
        path = raw_path(request)
        if path.startswith("/api/v1/"):
            assert_request_matches_spec(request.method, path, request.get_data())
            assert_key_header_matches_body(
                request.method, path, request.headers, request.get_data()
            )


@pytest.fixture
def make_config(server: HTTPServer) -> Callable[..., HttpClientConfig]:
    def make(**overrides: Any) -> HttpClientConfig:
        settings: dict[str, Any] = {
            "api_url": server.url_for("/").rstrip("/"),
            "api_token": TOKEN,
            "initial_retry_delay": 0.001,
            "max_retry_delay": 0.005,
            "request_timeout": 5.0,
        }
        settings.update(overrides)
        return HttpClientConfig(**settings)

    return make


class Twin:
    """Runs one call on any client, so each behaviour is tested on all of them.

    Kinds: "async" (the default transport, aiohttp), "async-httpx" (httpx's own)
    and "sync" (urllib3, its only transport).
    `twin(lambda c: c.agent_instances.get("i"))` returns the call's result:
    awaited on this test's event loop for an async client, as is for the
    blocking one.
    """

    def __init__(self, kind: str, make_config: Callable[..., HttpClientConfig]) -> None:
        self.kind = kind
        self.is_async = kind.startswith("async")
        self._make_config = make_config
        self._loop = asyncio.new_event_loop() if self.is_async else None
        self._clients: list[PrefactorHttpClient | SyncPrefactorHttpClient] = []
        self.client = self.new_client()

    def new_client(
        self,
        sdk_header: str | None = None,
        *,
        default_headers: dict[str, str] | None = None,
        **config: Any,
    ) -> Any:
        cls = PrefactorHttpClient if self.is_async else SyncPrefactorHttpClient
        if self.kind == "async-httpx":
            config.setdefault("async_transport", "httpx")
        client = cls(
            self._make_config(**config), sdk_header=sdk_header, default_headers=default_headers
        )
        self._clients.append(client)
        return client

    def __call__(self, action: Callable[[Any], Any], client: Any = None) -> Any:
        result = action(client or self.client)
        if self._loop is not None:
            return self._loop.run_until_complete(result)
        return result

    def fresh_loop(self) -> None:
        """Run later calls on a new event loop (a forked child must not share its parent's)."""
        self._loop = asyncio.new_event_loop()

    def close(self) -> None:
        for client in self._clients:
            self(lambda c: c.close(), client)
        if self._loop is not None:
            self._loop.close()


@pytest.fixture(params=["async", "async-httpx", "sync"])
def twin(
    request: pytest.FixtureRequest, make_config: Callable[..., HttpClientConfig]
) -> Iterator[Twin]:
    driver = Twin(request.param, make_config)
    yield driver
    driver.close()


@pytest.fixture
def refusing_url() -> Iterator[str]:
    """A loopback port bound but not listening: every connection is refused, and no one else
    can take the port while the test runs (a port probed and let go could be given to
    another xdist worker's server before the test connects)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """No test sees a token or URL from the machine it runs on."""
    monkeypatch.delenv("PREFACTOR_API_URL", raising=False)
    monkeypatch.delenv("PREFACTOR_API_TOKEN", raising=False)


def instance_json(**overrides: Any) -> dict[str, Any]:
    """An AgentInstance as the API sends it."""
    body: dict[str, Any] = {
        "type": "agent_instance",
        "id": "inst-1",
        "account_id": "acc-1",
        "agent_id": "agent-1",
        "agent_version_id": "ver-1",
        "environment_id": "env-1",
        "agent_deployment_id": "dep-1",
        "status": "pending",
        "inserted_at": "2026-11-22T14:13:05.123456+00:00",
        "updated_at": "2026-11-22T14:13:05.123456+00:00",
        "started_at": None,
        "finished_at": None,
        "termination_reason": None,
        "external_identifier": None,
        "span_counts": {
            "total": 0,
            "active": 0,
            "complete": 0,
            "failed": 0,
            "cancelled": 0,
            "finished": 0,
        },
        "purpose": "live",
    }
    body.update(overrides)
    return body


def span_json(**overrides: Any) -> dict[str, Any]:
    """An AgentSpan as the API sends it."""
    body: dict[str, Any] = {
        "type": "agent_span",
        "id": "span-1",
        "agent_instance_id": "inst-1",
        "schema_name": "agent:llm",
        "status": "active",
        "payload": {"model": "m", "prompt": "p"},
        "account_id": "acc-1",
        "agent_id": "agent-1",
        "parent_span_id": None,
        "schema_title": "LLM Call",
        "result_payload": None,
        "summary": None,
        "started_at": "2026-11-22T14:13:05+00:00",
        "inserted_at": "2026-11-22T14:13:05+00:00",
        "updated_at": "2026-11-22T14:13:05+00:00",
        "finished_at": None,
    }
    body.update(overrides)
    return body


def success(details: Any, **extra: Any) -> dict[str, Any]:
    return {"status": "success", "details": details, **extra}


def error(code: str, message: str, **extra: Any) -> dict[str, Any]:
    return {"status": "error", "code": code, "message": message, **extra}


AUTO_KEY = re.compile(r"^pfhttp-[0-9a-f]{32}$")
# One character past the spec's bound on a single call's key: follows openapi.yaml.
TOO_LONG_KEY = "k" * (limits.IDEMPOTENCY_KEY_MAX_LENGTH + 1)


def auto_key(body: dict[str, Any]) -> dict[str, Any]:
    """The body without the idempotency key the client made, after checking it is one."""
    rest = dict(body)
    key = rest.pop("idempotency_key")
    assert AUTO_KEY.match(key), key
    return rest


def sent(server: HTTPServer) -> list[tuple[str, str, dict[str, str], Any]]:
    """What crossed the wire: method, path with query, headers and JSON body of each request."""
    result = []
    for request, _ in server.log:
        data = request.get_data()
        path = request.environ["RAW_URI"]
        body = json.loads(data) if data else None
        headers = {k.lower(): v for k, v in request.headers.items()}
        result.append((request.method, path, headers, body))
    return result


# httpx loads its CA bundle into a new SSL context for each Client it makes (some 20 ms of
# CPU, in every test using `api`); that client speaks plain HTTP to loopback, so one serves all.
LOOPBACK_TLS = ssl.create_default_context()


@pytest.fixture
def api(prefactor_server: Any) -> Iterator[httpx.Client]:
    """Raw HTTP to the local server (from the package's pytest plugin), with its token."""
    headers = {"Authorization": f"Bearer {prefactor_server.token}"}
    with httpx.Client(
        base_url=prefactor_server.url, headers=headers, timeout=10, verify=LOOPBACK_TLS
    ) as client:
        yield client


def register_body(**overrides: Any) -> dict[str, Any]:
    """A register request body the local server accepts."""
    body: dict[str, Any] = {
        "agent_version": {"name": "Support bot", "external_identifier": "v1"},
        "agent_schema_version": {
            "external_identifier": "s1",
            "span_type_schemas": [{"name": "agent:llm", "title": "LLM Call", "params_schema": {}}],
        },
    }
    body.update(overrides)
    return body


def span_body(instance_id: str, **overrides: Any) -> dict[str, Any]:
    """A span create request body (wrapped in `details`) the local server accepts."""
    details: dict[str, Any] = {
        "agent_instance_id": instance_id,
        "schema_name": "agent:llm",
        "status": "active",
        "payload": {"prompt": "Hello"},
    }
    details.update(overrides)
    return {"details": details}


def registered_instance(api: httpx.Client, **overrides: Any) -> str:
    """Register an instance on the local server; its id."""
    answer = api.post("/api/v1/agent_instance/register", json=register_body(**overrides))
    assert answer.status_code == 200, answer.text
    instance_id: str = answer.json()["details"]["id"]
    return instance_id


def started_instance(api: httpx.Client, **overrides: Any) -> str:
    """Register and start an instance on the local server; its id."""
    instance_id = registered_instance(api, **overrides)
    answer = api.post(f"/api/v1/agent_instance/{quote(instance_id, safe='')}/start", json={})
    assert answer.status_code == 200, answer.text
    return instance_id
