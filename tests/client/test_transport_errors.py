"""Every transport fails the same way, and reaches the API the same way.

Malformed answers come from a raw socket server; the proxy is a raw socket
server too, standing in front of an address where no API listens; the TLS
server's certificate is signed by a CA made for the test (trustme).
"""

from __future__ import annotations

import base64
import json
import ssl
from collections.abc import Iterator

import pytest
import trustme
from pytest_httpserver import HTTPServer

from prefactor_http import PrefactorNetworkError, PrefactorRetryExhaustedError
from tests.support.flaky_server import FlakyServer, http_answer

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


def test_every_transport_sends_the_same_request_target(twin):
    """A raw path's stray '%' and unsafe characters are escaped once, never an escape twice."""
    with FlakyServer([http_answer(200, {"status": "success"})]) as server:
        client = twin.new_client(api_url=server.url, max_retries=0)

        twin(lambda c: c.request("GET", "/api/v1/x/a%2fb%zz[1]|^", params={"q": "é"}), client)

    request_line = server.requests[0].split(b"\r\n", 1)[0]
    assert request_line == b"GET /api/v1/x/a%2Fb%25zz%5B1%5D%7C%5E?q=%C3%A9 HTTP/1.1"


def test_a_request_body_over_a_mebibyte_is_sent_whole_without_a_warning(twin):
    """A large bulk body goes out as it is, and no transport warns about its size."""
    payload = {"blob": "x" * 3_000_000}
    with FlakyServer([http_answer(200, {"status": "success"})]) as server:
        client = twin.new_client(api_url=server.url, max_retries=0)

        twin(
            lambda c: c.request("POST", "/api/v1/x", json_data=payload, idempotency_key="k-123456"),
            client,
        )

    head, _, body = server.requests[0].partition(b"\r\n\r\n")
    assert json.loads(body)["blob"] == payload["blob"]
    assert f"content-length: {len(body)}".encode() in head.lower()


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


def test_a_proxy_named_without_a_scheme_is_read_as_http(twin, monkeypatch):
    """HTTP_PROXY=host:port (no scheme) reaches the proxy on every transport, as httpx reads it."""
    api_url = "http://127.0.0.2:9"  # nothing listens there: only the proxy can answer
    with FlakyServer([http_answer(200, {"status": "success"})]) as proxy:
        monkeypatch.setenv("HTTP_PROXY", proxy.url.removeprefix("http://"))
        monkeypatch.delenv("NO_PROXY", raising=False)
        monkeypatch.delenv("no_proxy", raising=False)
        client = twin.new_client(api_url=api_url, max_retries=0)

        answer = twin(lambda c: c.validate_token(), client)

    assert answer == {"status": "success"}
    assert proxy.requests[0].startswith(b"GET http://127.0.0.2:9/api/v1/ping HTTP/1.1")


def test_an_explicit_proxy_carries_every_call_and_beats_the_environment(twin, monkeypatch):
    """HttpClientConfig(proxy=...) is used on every transport, whatever HTTP_PROXY says."""
    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.2:9")  # dead: must not be used
    with FlakyServer([http_answer(200, {"status": "success"})]) as proxy:
        client = twin.new_client(api_url="http://127.0.0.2:9", proxy=proxy.url, max_retries=0)

        assert twin(lambda c: c.validate_token(), client) == {"status": "success"}

    assert proxy.requests[0].startswith(b"GET http://127.0.0.2:9/api/v1/ping HTTP/1.1")


def test_a_proxy_password_is_sent_to_the_proxy_only(twin):
    """Credentials in the proxy URL become Proxy-Authorization on every transport."""
    with FlakyServer([http_answer(200, {"status": "success"})]) as proxy:
        with_login = proxy.url.replace("http://", "http://bot%40corp:pa%3Ass@")
        client = twin.new_client(api_url="http://127.0.0.2:9", proxy=with_login, max_retries=0)

        assert twin(lambda c: c.validate_token(), client) == {"status": "success"}

    head = proxy.requests[0].split(b"\r\n\r\n", 1)[0].decode()
    fields = (line.partition(": ") for line in head.split("\r\n")[1:])
    headers = {name.lower(): value for name, _, value in fields}
    assert headers["proxy-authorization"] == "Basic " + base64.b64encode(b"bot@corp:pa:ss").decode()
    assert "pa%3Ass" not in head
    assert "pa:ss" not in head


@pytest.fixture(scope="module")
def tls_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[HTTPServer, str]]:
    """An HTTPS server on loopback whose certificate only a private CA vouches for."""
    authority = trustme.CA()
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    authority.issue_cert("localhost").configure_cert(context)
    bundle = tmp_path_factory.mktemp("ca") / "ca.pem"
    authority.cert_pem.write_to_path(str(bundle))
    server = HTTPServer(host="localhost", ssl_context=context)
    server.expect_request("/api/v1/ping").respond_with_json({"status": "success"})
    server.start()
    yield server, str(bundle)
    server.stop()


def test_a_ca_bundle_is_trusted_on_every_transport(twin, tls_server):
    """ca_bundle= makes a privately signed API certificate acceptable."""
    server, bundle = tls_server
    client = twin.new_client(api_url=server.url_for("/").rstrip("/"), ca_bundle=bundle)

    assert twin(lambda c: c.validate_token(), client) == {"status": "success"}


def test_without_the_ca_bundle_the_certificate_is_refused(twin, tls_server):
    """The same server is refused when its CA is not trusted: verification stays on."""
    server, _ = tls_server
    client = twin.new_client(api_url=server.url_for("/").rstrip("/"), max_retries=0)

    with pytest.raises(PrefactorNetworkError, match=r"(?i)certificate"):
        twin(lambda c: c.validate_token(), client)
