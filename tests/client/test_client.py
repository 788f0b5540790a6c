"""The clients themselves: lifecycle, raw requests, SDK header, and twin parity."""

from __future__ import annotations

import asyncio
import importlib
import inspect
import re
import threading
from collections.abc import AsyncIterator

import pytest
from conftest import TOKEN, error, instance_json, sent, success

import prefactor_http
from prefactor_http import (
    PACKAGE_VERSION,
    PrefactorAuthError,
    PrefactorClientError,
    PrefactorConfigError,
    PrefactorHttpClient,
    PrefactorHttpError,
    PrefactorResponseContractError,
    PrefactorRetryExhaustedError,
    PrefactorValidationError,
    SyncPrefactorHttpClient,
)
from prefactor_http.endpoints import (
    AgentClient,
    AgentInstanceClient,
    AgentSpanClient,
    BulkClient,
    SyncAgentClient,
    SyncAgentInstanceClient,
    SyncAgentSpanClient,
    SyncBulkClient,
)


def test_validate_token_calls_ping(server, twin):
    """validate_token sends GET /api/v1/ping and returns the answer."""
    server.expect_request("/api/v1/ping", method="GET").respond_with_json({"status": "success"})

    assert twin(lambda c: c.validate_token()) == {"status": "success"}

    [(method, path, headers, body)] = sent(server)
    assert (method, path, body) == ("GET", "/api/v1/ping", None)
    assert headers["authorization"] == f"Bearer {TOKEN}"


def test_validate_token_raises_on_a_refused_token(server, twin):
    """A 401 from ping raises PrefactorAuthError."""
    server.expect_request("/api/v1/ping").respond_with_json(
        error("unauthorized", "bad token"), status=401
    )

    with pytest.raises(PrefactorAuthError, match="bad token"):
        twin(lambda c: c.validate_token())


def test_request_sends_params_body_and_key(server, twin):
    """request() passes query params and JSON, adds the key to the body, returns the JSON."""
    answer_body = {"status": "success", "details": {"id": "inst-1"}, "extra": [1]}
    server.expect_request("/api/v1/agent_instance/inst-1/finish", method="POST").respond_with_json(
        answer_body
    )

    answer = twin(
        lambda c: c.request(
            "post",
            "/api/v1/agent_instance/inst-1/finish",
            params={"verbose": "1"},
            json_data={"status": "complete"},
            idempotency_key="raw-key-0001",
        )
    )

    [(method, path, headers, body)] = sent(server)
    assert (method, path) == ("POST", "/api/v1/agent_instance/inst-1/finish?verbose=1")
    assert headers["content-type"] == "application/json"
    assert body == {"status": "complete", "idempotency_key": "raw-key-0001"}
    assert answer == answer_body


def test_request_refuses_a_non_object_answer(server, twin):
    """request() promises a dict: a JSON array is a contract error."""
    server.expect_request("/api/v1/agent_instance/inst-1").respond_with_json([1, 2])

    with pytest.raises(PrefactorResponseContractError):
        twin(lambda c: c.request("GET", "/api/v1/agent_instance/inst-1"))


# A raw path with a dot segment, and a call whose dots stay inside a segment (the path
# it is sent to, under api_url): the line between refused and sent as given.
DOT_SEGMENTS = [
    ("/api/v1/../../etc", lambda c: c.request("GET", "/api/v1/..etc/x.."), "/api/v1/..etc/x.."),
    ("/api/v1/x/..", lambda c: c.agent_instances.get("..x"), "/api/v1/agent_instance/..x"),
    ("/api/v1/./ping", lambda c: c.request("GET", "/api/v1/.a/b."), "/api/v1/.a/b."),
    ("/api/v1/.%2e/x", lambda c: c.agent_instances.get("a.b"), "/api/v1/agent_instance/a.b"),
    (
        "/api/v1/%2e%2e/%2E%2E/etc",
        lambda c: c.agent_instances.get("%2e%2e"),
        "/api/v1/agent_instance/%252e%252e",
    ),
    (
        "/api/v1/%2E/ping",
        lambda c: c.agent_instances.get("../.."),
        "/api/v1/agent_instance/..%2F..",
    ),
    ("/api/v1/a/../b", lambda c: c.request("GET", "/api/v1/a\\..\\b"), "/api/v1/a%5C..%5Cb"),
    ("/api/v1/x/..?q=1", lambda c: c.request("GET", "/api/v1/x?q=../."), "/api/v1/x?q=../."),
]


@pytest.mark.parametrize(
    ("climbing", "staying", "path"), DOT_SEGMENTS, ids=[d[0] for d in DOT_SEGMENTS]
)
def test_a_raw_path_cannot_climb_out_of_api_url(server, twin, climbing, staying, path):
    """A '.' or '..' segment (also as %2e) is refused unsent; dots within a segment travel."""
    server.expect_request(re.compile("/base/.*")).respond_with_json(success(instance_json()))
    client = twin.new_client(api_url=server.url_for("/base"))

    with pytest.raises(PrefactorValidationError) as caught:
        twin(lambda c: c.request("GET", climbing), client)
    assert sent(server) == []
    assert repr(climbing) in caught.value.errors["path"][0]

    twin(staying, client)
    assert [sent_path for _, sent_path, _, _ in sent(server)] == ["/base" + path]


def test_sdk_header_chains_the_wrapping_sdk(server, twin):
    """A wrapping SDK's entry comes first, then ours, space separated."""
    server.expect_request("/api/v1/ping").respond_with_json({"status": "success"})
    client = twin.new_client(sdk_header="prefactor-core@0.5.3")

    twin(lambda c: c.validate_token(), client)
    client._sdk_header = "prefactor-langchain@0.2.0 prefactor-core@0.5.3"
    twin(lambda c: c.validate_token(), client)

    first, second = (headers["x-prefactor-sdk"] for _, _, headers, _ in sent(server))
    assert first == f"prefactor-core@0.5.3 prefactor-http@{PACKAGE_VERSION}"
    assert (
        second == f"prefactor-langchain@0.2.0 prefactor-core@0.5.3 prefactor-http@{PACKAGE_VERSION}"
    )


def test_closed_client_refuses_calls_and_closing_twice_is_harmless(server, twin):
    """After close() every call raises PrefactorClientError; close() may be called again."""
    twin(lambda c: c.close())
    twin(lambda c: c.close())

    with pytest.raises(PrefactorClientError, match="closed"):
        twin(lambda c: c.agent_instances.get("inst-1"))
    assert sent(server) == []


def test_async_context_manager_closes(make_config):
    """`async with` yields the client and closes it on exit."""

    async def use() -> PrefactorHttpClient:
        async with PrefactorHttpClient(make_config()) as client:
            assert repr(client).endswith("open>")
        return client

    assert repr(asyncio.run(use())).endswith("closed>")


def test_async_client_works_from_a_second_event_loop(server, make_config):
    """Each event loop gets its own pool: a second asyncio.run() reuses the client."""
    server.expect_request("/api/v1/ping").respond_with_json({"status": "success"})
    client = PrefactorHttpClient(make_config())

    asyncio.run(client.validate_token())
    asyncio.run(client.validate_token())
    asyncio.run(client.close())

    assert len(sent(server)) == 2


@pytest.mark.parametrize("transport", ["aiohttp", "httpx"])
def test_a_call_after_its_loop_closed_the_pool_is_a_typed_error_known_unsent(
    server, make_config, transport
):
    """A call from an async generator's cleanup at loop shutdown: no raw error from the library."""
    server.expect_request("/api/v1/ping").respond_with_json({"status": "success"})
    client = PrefactorHttpClient(make_config(async_transport=transport, max_retries=1))
    outcome: list[BaseException | dict[str, object]] = []

    async def cleanup_calls() -> AsyncIterator[None]:
        try:
            yield
        finally:  # runs in asyncio.run's shutdown_asyncgens, beside the pool's own closer
            await asyncio.sleep(0.2)  # the closer, run at the same time, has closed the pool
            try:
                outcome.append(await client.validate_token())
            except BaseException as exc:  # the test looks at whatever it was
                outcome.append(exc)

    async def main() -> AsyncIterator[None]:
        await client.validate_token()
        generator = cleanup_calls()
        await generator.__anext__()
        return generator

    kept = asyncio.run(main())  # noqa: F841 (kept alive until asyncio.run shuts it down)

    [error] = outcome
    assert isinstance(error, PrefactorHttpError), repr(error)
    last = error.last_error if isinstance(error, PrefactorRetryExhaustedError) else error
    assert last.request_sent is False
    assert len(sent(server)) == 1


def test_async_client_serves_a_loop_in_another_thread_and_closes_from_either(server, make_config):
    """A callback loop in a worker thread (LangChain's way) records, and close() is clean."""
    server.expect_request("/api/v1/ping").respond_with_json({"status": "success"})
    client = PrefactorHttpClient(make_config())
    other = asyncio.new_event_loop()
    worker = threading.Thread(target=other.run_forever)
    worker.start()
    try:

        async def main() -> None:
            await client.validate_token()
            future = asyncio.run_coroutine_threadsafe(client.validate_token(), other)
            await asyncio.wrap_future(future)
            await client.close()

        asyncio.run(main())
    finally:
        other.call_soon_threadsafe(other.stop)
        worker.join(timeout=5)
        other.close()

    assert len(sent(server)) == 2
    assert repr(client).endswith("closed>")


def test_sync_context_manager_closes(make_config):
    """`with` yields the blocking client and closes it on exit."""
    with SyncPrefactorHttpClient(make_config()) as client:
        assert repr(client).endswith("open>")
    assert repr(client).endswith("closed>")


@pytest.mark.parametrize("cls", [PrefactorHttpClient, SyncPrefactorHttpClient])
@pytest.mark.parametrize("sdk_header", ["my-sdk@1.0\r\nX-Evil: 1", "sdk-ü@1", 42])
def test_unsendable_sdk_headers_are_refused(make_config, cls, sdk_header):
    """An SDK header that cannot travel in HTTP fails at construction, not mid-call."""
    with pytest.raises(PrefactorConfigError, match="sdk_header"):
        cls(make_config(), sdk_header=sdk_header)


@pytest.mark.parametrize("cls", [PrefactorHttpClient, SyncPrefactorHttpClient])
def test_constructor_refuses_a_non_config(cls):
    """Passing something other than HttpClientConfig fails at once."""
    with pytest.raises(PrefactorConfigError):
        cls({"api_url": "x"})


PAIRS = [
    (PrefactorHttpClient, SyncPrefactorHttpClient),
    (AgentInstanceClient, SyncAgentInstanceClient),
    (AgentSpanClient, SyncAgentSpanClient),
    (AgentClient, SyncAgentClient),
    (BulkClient, SyncBulkClient),
]


@pytest.mark.parametrize(("async_cls", "sync_cls"), PAIRS, ids=lambda c: c.__name__)
def test_twins_have_the_same_methods_and_signatures(async_cls, sync_cls):
    """The blocking twin offers every public method of the async one with the same parameters.

    Async methods are coroutines, except those returning an AsyncIterator
    (`iter_agents`): plain on both twins, iterated with `async for` / `for`;
    and `with_options`, which makes a client without any I/O.
    """

    def public(cls: type) -> dict[str, inspect.Signature]:
        return {
            name: inspect.signature(member)
            for name, member in inspect.getmembers(cls, inspect.isfunction)
            if not name.startswith("_")
        }

    async_methods, sync_methods = public(async_cls), public(sync_cls)
    assert async_methods.keys() == sync_methods.keys()
    for name, signature in async_methods.items():
        assert list(signature.parameters) == list(sync_methods[name].parameters), name
        for param in signature.parameters.values():
            twin_param = sync_methods[name].parameters[param.name]
            assert (param.kind, param.default) == (twin_param.kind, twin_param.default), name
        plain = name == "with_options" or str(signature.return_annotation).startswith(
            "AsyncIterator["
        )
        assert inspect.iscoroutinefunction(getattr(async_cls, name)) is not plain, name
        assert not inspect.iscoroutinefunction(getattr(sync_cls, name)), name


def test_the_package_exports_what_the_reference_names():
    """Everything in __all__ exists, and the reference's names are there."""
    for name in prefactor_http.__all__:
        assert hasattr(prefactor_http, name), name
    for name in (
        "PrefactorHttpClient",
        "SyncPrefactorHttpClient",
        "HttpClientConfig",
        "PrefactorApiError",
        "PrefactorAuthError",
        "PrefactorNotFoundError",
        "PrefactorValidationError",
        "PrefactorRetryExhaustedError",
        "PrefactorClientError",
        "PrefactorResponseContractError",
    ):
        assert name in prefactor_http.__all__


@pytest.mark.parametrize(
    "module",
    [
        "prefactor_http.client",
        "prefactor_http.config",
        "prefactor_http.endpoints",
        "prefactor_http.endpoints.agent_instances",
        "prefactor_http.endpoints.agent_spans",
        "prefactor_http.endpoints.bulk",
        "prefactor_http.exceptions",
        "prefactor_http.models",
        "prefactor_http.models.bulk",
        "prefactor_http.models.types",
        "prefactor_http._version",
    ],
)
def test_public_modules_declare_what_they_export(module):
    """Each module the reference names has an __all__ whose names all exist."""
    imported = importlib.import_module(module)

    assert imported.__all__
    for name in imported.__all__:
        assert hasattr(imported, name), f"{module}.{name}"
