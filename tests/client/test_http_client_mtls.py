"""mTLS through `http_client=`: a loopback TLS server that requires a client certificate.

trustme makes a CA, the server's certificate and the client's; the server
refuses any handshake without a certificate the CA signed. The user puts
the client certificate on their httpx client; ours sends through it.
"""

from __future__ import annotations

import asyncio
import json
import ssl
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest
import trustme
from conftest import TOKEN

from prefactor_http import (
    HttpClientConfig,
    PrefactorHttpClient,
    PrefactorNetworkError,
    SyncPrefactorHttpClient,
)

CLIENT_NAME = "agent-runner@example.test"


class MutualTls:
    """A TLS server on 127.0.0.1 requiring a client certificate; it records who called."""

    def __init__(self, authority: trustme.CA) -> None:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        authority.issue_cert("127.0.0.1").configure_cert(context)
        authority.configure_trust(context)
        context.verify_mode = ssl.CERT_REQUIRED
        self.callers: list[str] = []
        callers = self.callers

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                peer = self.connection.getpeercert()  # type: ignore[attr-defined]
                names = [value for field in peer["subjectAltName"] for value in field[1:]]
                callers.append(",".join(names))
                body = json.dumps({"status": "success", "details": {}}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
        self.url = f"https://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self._thread.join(5)


@pytest.fixture
def authority() -> trustme.CA:
    return trustme.CA()


@pytest.fixture
def mtls_server(authority: trustme.CA) -> Iterator[MutualTls]:
    server = MutualTls(authority)
    yield server
    server.stop()


def client_context(authority: trustme.CA, with_certificate: bool) -> ssl.SSLContext:
    context = ssl.create_default_context()
    authority.configure_trust(context)
    if with_certificate:
        authority.issue_cert(CLIENT_NAME).configure_cert(context)
    return context


def ping(kind: str, url: str, context: ssl.SSLContext) -> object:
    config = HttpClientConfig(api_url=url, api_token=TOKEN, max_retries=0, request_timeout=5.0)
    if kind == "async":

        async def call() -> object:
            async with (
                httpx.AsyncClient(verify=context) as http,
                PrefactorHttpClient(config, http_client=http) as client,
            ):
                return await client.validate_token()

        return asyncio.run(call())
    with (
        httpx.Client(verify=context) as http,
        SyncPrefactorHttpClient(config, http_client=http) as client,
    ):
        return client.validate_token()


@pytest.mark.parametrize("kind", ["async", "sync"])
def test_the_users_client_certificate_is_presented(kind, authority, mtls_server):
    context = client_context(authority, with_certificate=True)
    assert ping(kind, mtls_server.url, context) == {"status": "success", "details": {}}
    assert mtls_server.callers == [CLIENT_NAME]


@pytest.mark.parametrize("kind", ["async", "sync"])
def test_without_a_client_certificate_the_server_refuses(kind, authority, mtls_server):
    """The same client without the certificate: a typed network error, no request served."""
    context = client_context(authority, with_certificate=False)
    with pytest.raises(PrefactorNetworkError):
        ping(kind, mtls_server.url, context)
    assert mtls_server.callers == []
