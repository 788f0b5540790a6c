"""`default_headers` and `with_options(timeout=, max_retries=, headers=)`, on every client."""

from __future__ import annotations

import time

import pytest
from conftest import TOKEN, error, instance_json, sent, success

from prefactor_http import (
    HttpClientConfig,
    PrefactorClientError,
    PrefactorConfigError,
    PrefactorHttpClient,
    PrefactorRetryExhaustedError,
    PrefactorServerError,
    PrefactorTimeoutError,
    PrefactorValidationError,
    SpanWriter,
    SyncPrefactorHttpClient,
    SyncSpanWriter,
)
from prefactor_http.models.bulk_actions import CreateAgentItem
from tests.support.flaky_server import STALL, FlakyServer
from tests.support.sockets import connections_to

GET_PATH = "/api/v1/agent_instance/inst-1"
CLIENTS = [PrefactorHttpClient, SyncPrefactorHttpClient]


def _answer_instance(server) -> None:
    server.expect_request(GET_PATH).respond_with_json(success(instance_json()))


def test_default_headers_cross_the_wire_with_every_call(server, twin):
    """Each call carries the constructor's headers beside the client's own."""
    _answer_instance(server)
    server.expect_request("/api/v1/ping").respond_with_json({"status": "success"})
    client = twin.new_client(default_headers={"X-Team": "blue", "User-Agent": "my-app/2"})

    twin(lambda c: c.agent_instances.get("inst-1"), client)
    twin(lambda c: c.validate_token(), client)

    for _, _, headers, _ in sent(server):
        assert headers["x-team"] == "blue"
        assert headers["user-agent"] == "my-app/2"
        assert headers["authorization"] == f"Bearer {TOKEN}"


@pytest.mark.parametrize("cls", CLIENTS)
@pytest.mark.parametrize(
    "name",
    [
        "Authorization",
        "authorization",
        "Idempotency-Key",
        "Content-Type",
        "CONTENT-LENGTH",
        "X-Prefactor-SDK",
        "Host",
        "Transfer-Encoding",
        "Accept-Encoding",
    ],
)
def test_default_headers_refuse_the_clients_own_names(cls, name):
    """A header the client sets or that frames the request is refused when the client is made."""
    config = HttpClientConfig(api_url="http://127.0.0.1:1", api_token=TOKEN)

    with pytest.raises(PrefactorConfigError, match="set by the client itself"):
        cls(config, default_headers={name: "secret-value"})


@pytest.mark.parametrize("cls", CLIENTS)
@pytest.mark.parametrize(
    ("headers", "problem"),
    [
        ({"X Team": "v"}, "not a valid HTTP header name"),
        ({"X-Team:": "v"}, "not a valid HTTP header name"),
        ({"": "v"}, "not a valid HTTP header name"),
        ({"X-Team": "secret-value\r\nX-Evil: 1"}, "printable ASCII"),
        ({"X-Team": "secret-välue"}, "printable ASCII"),
        ({"X-Team": " secret-value"}, "printable ASCII"),
        ({"X-Team": 7}, "printable ASCII"),
        ({"X-Team": "a", "x-team": "b"}, "given twice"),
        ([("X-Team", "v")], "must be a mapping"),
    ],
)
def test_default_headers_refuse_what_http_cannot_carry_without_showing_values(
    cls, headers, problem
):
    """Bad names and values are refused; the message never holds a value (it may be secret)."""
    config = HttpClientConfig(api_url="http://127.0.0.1:1", api_token=TOKEN)

    with pytest.raises(PrefactorConfigError, match=problem) as caught:
        cls(config, default_headers=headers)

    assert "secret" not in str(caught.value)


def test_with_options_headers_go_with_the_copys_calls_only(server, twin):
    """The copy's headers replace a default of the same name (any case); the original keeps its."""
    _answer_instance(server)
    client = twin.new_client(default_headers={"X-Team": "blue"})
    copy = client.with_options(headers={"x-team": "red", "X-Trace": "t-1"})

    twin(lambda c: c.agent_instances.get("inst-1"), copy)
    twin(lambda c: c.agent_instances.get("inst-1"), client)

    (_, _, from_copy, _), (_, _, from_original, _) = sent(server)
    assert (from_copy["x-team"], from_copy["x-trace"]) == ("red", "t-1")
    assert from_original["x-team"] == "blue"
    assert "x-trace" not in from_original


@pytest.mark.parametrize("cls", CLIENTS)
def test_with_options_refuses_bad_options_before_any_call(cls):
    """The client's own headers, a negative timeout, a negative retry count: refused at once."""
    client = cls(HttpClientConfig(api_url="http://127.0.0.1:1", api_token=TOKEN))

    with pytest.raises(PrefactorConfigError, match="set by the client itself"):
        client.with_options(headers={"Authorization": "Bearer other"})
    with pytest.raises(PrefactorValidationError, match="timeout"):
        client.with_options(timeout=-1)
    with pytest.raises(PrefactorValidationError, match="max_retries"):
        client.with_options(max_retries=-1)


def test_with_options_max_retries_applies_to_every_call_of_the_copy(server, twin):
    """A 503 is not retried by the copy (max_retries=0); the original retries it."""
    server.expect_request(GET_PATH).respond_with_json(error("unavailable", "later"), status=503)
    client = twin.new_client(max_retries=1)

    with pytest.raises(PrefactorServerError):
        twin(lambda c: c.agent_instances.get("inst-1"), client.with_options(max_retries=0))
    assert len(server.log) == 1

    with pytest.raises(PrefactorRetryExhaustedError):
        twin(lambda c: c.agent_instances.get("inst-1"), client)
    assert len(server.log) == 3


def test_a_calls_own_max_retries_wins_over_the_copys(server, twin):
    """`max_retries=` on the call overrides the copy's default, as it does the config's."""
    server.expect_request(GET_PATH).respond_with_json(error("unavailable", "later"), status=503)
    copy = twin.client.with_options(max_retries=0)

    with pytest.raises(PrefactorRetryExhaustedError):
        twin(lambda c: c.agent_instances.get("inst-1", max_retries=1), copy)

    assert len(server.log) == 2


def test_with_options_timeout_bounds_every_call_of_the_copy(twin):
    """Against a server that never answers, the copy's timeout ends the call, not the config's."""
    with FlakyServer([STALL, STALL, STALL]) as flaky:
        client = twin.new_client(api_url=flaky.url, request_timeout=30.0)
        copy = client.with_options(timeout=0.3)
        began = time.monotonic()

        with pytest.raises((PrefactorTimeoutError, PrefactorRetryExhaustedError)):
            twin(lambda c: c.agent_instances.get("inst-1"), copy)

        assert time.monotonic() - began < 5.0
        assert flaky.requests


def test_a_copy_shares_the_originals_connection(prefactor_server, twin):
    """Calls on the original and its copy go over one kept connection."""
    client = twin.new_client(api_url=prefactor_server.url, api_token=prefactor_server.token)
    copy = client.with_options(headers={"X-Team": "red"})
    port = int(prefactor_server.url.rsplit(":", 1)[1])

    twin(lambda c: c.validate_token(), client)
    twin(lambda c: c.validate_token(), copy)

    assert connections_to(port) == 1
    assert prefactor_server.requests[-1].headers["x-team"] == "red"


def test_closing_a_copy_leaves_the_original_and_its_connection(prefactor_server, twin):
    """The closed copy refuses calls; the original still calls over its kept connection."""
    client = twin.new_client(api_url=prefactor_server.url, api_token=prefactor_server.token)
    copy = client.with_options(max_retries=0)
    port = int(prefactor_server.url.rsplit(":", 1)[1])
    twin(lambda c: c.validate_token(), copy)

    twin(lambda c: c.close(), copy)

    with pytest.raises(PrefactorClientError, match="is closed"):
        twin(lambda c: c.validate_token(), copy)
    assert twin(lambda c: c.validate_token(), client) == {"status": "success"}
    assert connections_to(port) == 1


def test_closing_the_original_ends_its_copies(prefactor_server, twin):
    """A copy cannot outlive the pools it borrows."""
    client = twin.new_client(api_url=prefactor_server.url, api_token=prefactor_server.token)
    copy = client.with_options(max_retries=0)

    twin(lambda c: c.close(), client)

    with pytest.raises(PrefactorClientError, match="is closed"):
        twin(lambda c: c.validate_token(), copy)
    with pytest.raises(PrefactorClientError, match="is closed"):
        client.with_options(max_retries=1)


def test_closing_a_copy_closes_the_writers_made_from_it_only(prefactor_server, twin):
    """The copy's writer delivers what it holds as the copy closes; the original's stays open."""
    client = twin.new_client(api_url=prefactor_server.url, api_token=prefactor_server.token)
    copy = client.with_options(headers={"X-Team": "red"})
    writer_of = SyncSpanWriter if twin.kind == "sync" else SpanWriter
    from_copy = writer_of(copy, flush_interval=3600.0)
    from_original = writer_of(client, flush_interval=3600.0)
    item = CreateAgentItem(idempotency_key="copy-writer-1", details={"name": "Copy bot"})
    twin(lambda w: w.write(item), from_copy)

    twin(lambda c: c.close(), copy)

    [request] = [r for r in prefactor_server.requests if r.path == "/api/v1/bulk"]
    assert request.headers["x-team"] == "red"
    with pytest.raises(PrefactorClientError, match="accepts no more items"):
        twin(lambda w: w.write(item), from_copy)
    later = CreateAgentItem(idempotency_key="original-writer-1", details={"name": "Kept bot"})
    twin(lambda w: w.write(later), from_original)
    twin(lambda w: w.close(), from_original)
    names = sorted(agent["name"] for agent in prefactor_server.state()["agents"].values())
    assert names == ["Copy bot", "Kept bot"]
