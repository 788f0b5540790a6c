"""`with_raw_response`: each method's result with the answer it came from, on every client."""

from __future__ import annotations

import inspect
import re
from datetime import timedelta
from typing import Any

import pytest
from conftest import error, instance_json, span_json, success

from prefactor_http import (
    AgentSpan,
    HttpClientConfig,
    PrefactorHttpClient,
    RawResponse,
    SyncPrefactorHttpClient,
)
from tests.support.operations import OPERATIONS, SPEC_OPERATIONS

START_PATH = "/api/v1/agent_instance/inst-1/start"
# What the local server sends as X-Request-Id.
SERVER_ID = re.compile(r"^req_[0-9a-f]{24}$")


def test_a_raw_create_gives_the_span_with_its_status_headers_and_request_id(server, twin):
    """`agent_spans.with_raw_response.create` answers a RawResponse whose parse() is the span."""
    server.expect_request("/api/v1/agent_spans", method="POST").respond_with_json(
        success(span_json(id="span-9")), headers={"X-Request-Id": "req-abc", "X-Other": "1"}
    )

    raw = twin(lambda c: c.agent_spans.with_raw_response.create("inst-1", "agent:llm", "active"))

    assert isinstance(raw, RawResponse)
    assert raw.status_code == 200
    assert raw.request_id == "req-abc"
    assert raw.headers["x-other"] == "1"
    assert raw.headers["X-REQUEST-ID"] == "req-abc"
    assert raw.url == server.url_for("/api/v1/agent_spans")
    assert raw.attempts == 1
    assert timedelta(0) < raw.elapsed < timedelta(seconds=5)
    span = raw.parse()
    assert isinstance(span, AgentSpan)
    assert span.id == "span-9"
    assert raw.result is span


@pytest.mark.parametrize("name", ["x-request-id", "X-REQUEST-ID", "x-Request-Id"])
def test_the_request_id_is_read_whatever_the_case_of_its_header(server, twin, name):
    """The header's name is compared without case, as HTTP says."""
    server.expect_request("/api/v1/ping").respond_with_json(
        {"status": "success"}, headers={name: "req-case"}
    )

    raw = twin(lambda c: c.with_raw_response.validate_token())

    assert raw.request_id == "req-case"
    assert raw.parse() == {"status": "success"}


def test_an_answer_without_a_request_id_gives_none(server, twin):
    """No X-Request-Id header: request_id is None, the rest as usual."""
    server.expect_request("/api/v1/ping").respond_with_json({"status": "success"})

    raw = twin(lambda c: c.with_raw_response.validate_token())

    assert raw.request_id is None
    assert "x-request-id" not in raw.headers
    assert raw.status_code == 200


def test_a_raw_call_counts_its_attempts_and_times_the_whole_call(server, twin):
    """After a 503 with Retry-After, the answer is the retry's; elapsed includes the wait."""
    server.expect_ordered_request(START_PATH).respond_with_json(
        error("unavailable", "later"),
        status=503,
        headers={"Retry-After": "0.2", "X-Request-Id": "req-first"},
    )
    server.expect_ordered_request(START_PATH).respond_with_json(
        success(instance_json(status="active")), headers={"X-Request-Id": "req-second"}
    )
    client = twin.new_client(max_retry_delay=1.0)

    raw = twin(lambda c: c.agent_instances.with_raw_response.start("inst-1"), client)

    assert raw.attempts == 2
    assert raw.request_id == "req-second"
    assert raw.elapsed >= timedelta(seconds=0.2)
    assert raw.parse().status == "active"


def test_raw_request_gives_the_json_object_and_the_query_in_its_url(server, twin):
    """`with_raw_response.request` too; the URL is the one called, query included."""
    server.expect_request("/api/v1/agent", query_string="include_retired=true").respond_with_json(
        {"status": "success", "summaries": []}, status=201, headers={"X-Request-Id": "req-raw"}
    )

    raw = twin(
        lambda c: c.with_raw_response.request(
            "GET", "/api/v1/agent", params={"include_retired": "true"}
        )
    )

    assert raw.status_code == 201
    assert raw.url == server.url_for("/api/v1/agent") + "?include_retired=true"
    assert raw.parse() == {"status": "success", "summaries": []}
    assert raw.request_id == "req-raw"


def test_a_call_the_control_signal_callback_makes_leaves_the_raw_answer_alone(server):
    """The callback runs after the call, in its context: its own call records nothing there."""
    server.expect_request("/api/v1/agent_spans", method="POST").respond_with_json(
        success(span_json(), control={"terminate": True, "reason": "budget"}),
        headers={"X-Request-Id": "req-span"},
    )
    server.expect_request("/api/v1/ping").respond_with_json(
        {"status": "success"}, headers={"X-Request-Id": "req-ping"}
    )
    config = HttpClientConfig(api_url=server.url_for("/").rstrip("/"), api_token="t" * 20)
    with SyncPrefactorHttpClient(config) as client:
        pinged: list[object] = []

        def stop(reason: str | None) -> None:
            pinged.append(client.validate_token())

        raw = client.agent_spans.with_raw_response.create(
            "inst-1", "agent:llm", "active", control_signal_callback=stop
        )

    assert pinged == [{"status": "success"}]
    assert raw.request_id == "req-span"
    assert raw.url.endswith("/api/v1/agent_spans")


def test_pages_offer_the_page_and_its_list_but_not_the_iterator(prefactor_server, twin):
    """`list_page` and `list_agents` make one request each; `iter_agents` has no raw twin."""
    client = twin.new_client(api_url=prefactor_server.url, api_token=prefactor_server.token)
    twin(lambda c: c.agents.create({"name": "Listed bot"}), client)

    page = twin(lambda c: c.agents.with_raw_response.list_page(), client)
    listed = twin(lambda c: c.agents.with_raw_response.list_agents(), client)

    assert [s.name for s in page.parse().summaries] == ["Listed bot"]
    assert [s.name for s in listed.parse()] == ["Listed bot"]
    assert SERVER_ID.match(page.request_id or "")
    assert not hasattr(client.agents.with_raw_response, "iter_agents")


class _Raw:
    """A client whose groups and own calls are their `with_raw_response` twins."""

    def __init__(self, client: Any) -> None:
        self._client = client

    def __getattr__(self, name: str) -> Any:
        if name in ("request", "validate_token"):
            return getattr(self._client.with_raw_response, name)
        return getattr(self._client, name).with_raw_response


@pytest.mark.parametrize("operation", [pytest.param(op, id=op.name) for op in OPERATIONS])
def test_every_operation_has_a_raw_twin_giving_what_the_method_gives(
    twin, prefactor_server, operation
):
    """Each operation of the table, called raw: the server's request id and the usual result."""
    config = HttpClientConfig(api_url=prefactor_server.url, api_token=prefactor_server.token)
    with SyncPrefactorHttpClient(config) as setup:
        ids = operation.prepare(setup)
    client = twin.new_client(api_url=prefactor_server.url, api_token=prefactor_server.token)

    raw = twin(lambda c: operation.call(_Raw(c), ids), client)

    assert isinstance(raw, RawResponse)
    assert SERVER_ID.match(raw.request_id or ""), raw.request_id
    assert raw.status_code == 200
    last = prefactor_server.requests[-1]
    assert last.method == SPEC_OPERATIONS[operation.name][0]
    assert raw.url == prefactor_server.url + last.path
    operation.check(prefactor_server.state(), ids, raw.parse())


@pytest.mark.parametrize("cls", [PrefactorHttpClient, SyncPrefactorHttpClient])
def test_every_method_of_every_group_has_a_raw_twin_with_its_parameters(cls):
    """From the spec: each operation's method (and a page's list) is under with_raw_response."""
    client = cls(HttpClientConfig(api_url="http://127.0.0.1:1", api_token="t" * 20))
    for _, _, operation in SPEC_OPERATIONS.values():
        if "x-method" not in operation:
            continue
        [tag] = operation["tags"]
        group = getattr(client, tag)
        names = [
            operation["x-method"],
            *([operation["x-pages"]["list"]] if "x-pages" in operation else []),
        ]
        for name in names:
            twin_method = getattr(group.with_raw_response, name)
            plain = getattr(group, name)
            assert inspect.signature(twin_method).parameters == inspect.signature(plain).parameters
            assert inspect.iscoroutinefunction(twin_method) is (cls is PrefactorHttpClient)
    own = client.with_raw_response
    assert inspect.signature(own.request).parameters == inspect.signature(client.request).parameters
    assert hasattr(client.bulk.with_raw_response, "execute")
    assert not hasattr(client.bulk.with_raw_response, "execute_many")
