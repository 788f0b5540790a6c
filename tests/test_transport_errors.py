"""Every transport fails the same way, and finds the API the same way.

Malformed answers come from a raw socket server; the proxy is a raw socket
server too, named by HTTP_PROXY, standing in front of an address where no
API listens.
"""

from __future__ import annotations

import json

import pytest
from flaky_server import FlakyServer, http_answer

from prefactor_http import PrefactorNetworkError, PrefactorRetryExhaustedError

MALFORMED = {
    "bad status line": b"HTTP/1.1 abc\r\nContent-Length: 2\r\n\r\n{}",
    "huge header": b"HTTP/1.1 200 OK\r\nX-Big: " + b"a" * 200_000 + b"\r\n\r\n{}",
    "bad chunk": b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n",
    "body cut short": b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{}",
}


@pytest.mark.parametrize("answer", MALFORMED.values(), ids=list(MALFORMED))
def test_a_malformed_answer_is_a_network_error_and_retried(twin, answer):
    """What the server sent is unusable: a retried PrefactorNetworkError on every transport."""
    with FlakyServer([answer, answer]) as server:
        client = twin.new_client(api_url=server.url, max_retries=1)

        with pytest.raises(PrefactorRetryExhaustedError) as caught:
            twin(lambda c: c.agent_instances.get("inst-1"), client)

    assert isinstance(caught.value.last_error, PrefactorNetworkError)
    assert caught.value.last_error.path == "/api/v1/agent_instance/inst-1"
    assert len(server.requests) == 2


def test_the_proxy_named_by_the_environment_carries_every_call(twin, monkeypatch):
    """HTTP_PROXY is obeyed on every transport, as httpx obeys it."""
    api_url = "http://127.0.0.2:9"  # nothing listens there: only the proxy can answer
    with FlakyServer([http_answer(200, {"status": "success"})]) as proxy:
        monkeypatch.setenv("HTTP_PROXY", proxy.url)
        monkeypatch.delenv("NO_PROXY", raising=False)
        monkeypatch.delenv("no_proxy", raising=False)
        client = twin.new_client(api_url=api_url, max_retries=0)

        answer = twin(lambda c: c.validate_token(), client)

    assert answer == {"status": "success"}
    request_line = proxy.requests[0].split(b"\r\n", 1)[0]
    assert request_line == b"GET http://127.0.0.2:9/api/v1/ping HTTP/1.1"
    assert json.dumps(answer)
