"""A kept-alive connection the server has closed costs neither a retry nor a wait."""

from __future__ import annotations

import asyncio
import json
import logging
import threading
import time

import pytest

from prefactor_http import PrefactorClientError, PrefactorNetworkError
from tests.support.keepalive_server import (
    CLOSE_HEADER,
    FIRST,
    IDLE,
    LIMIT,
    POLICIES,
    KeepAliveServer,
)

CALLS = 12


def _key(head_and_body: bytes) -> str:
    return json.loads(head_and_body.partition(b"\r\n\r\n")[2])["idempotency_key"]


@pytest.mark.parametrize("policy", POLICIES)
def test_a_call_on_a_closed_kept_connection_goes_out_again_at_once(twin, policy, caplog):
    """With no retries allowed, every call succeeds, each stored once, with no backoff."""
    caplog.set_level(logging.DEBUG, logger="prefactor_http")
    with KeepAliveServer(policy) as server:
        client = twin.new_client(api_url=server.url, max_retries=0)
        keys = [f"keepalive-{policy}-{n:04d}" for n in range(CALLS)]
        for n, key in enumerate(keys):
            if policy == IDLE and n:
                time.sleep(server.idle * 1.5)  # the connection's idle time is the scenario
            answer = twin(
                lambda c, n=n, key=key: c.request(
                    "POST", "/api/v1/things", json_data={"n": n}, idempotency_key=key
                ),
                client,
            )
            assert answer == {"status": "success", "details": {}}

    assert [_key(request) for request in server.answered] == keys
    if policy != CLOSE_HEADER:
        assert server.hung_up >= CALLS // 3  # the server did close kept connections under calls
    assert "retrying in" not in caplog.text


def test_a_call_without_a_key_is_not_sent_again(twin):
    """A POST that is not safe to replay fails as the server may have acted on it."""
    with KeepAliveServer("limit", per_connection=1) as server:
        client = twin.new_client(api_url=server.url, max_retries=0)
        twin(lambda c: c.request("POST", "/api/v1/things", json_data={"n": 0}), client)
        with pytest.raises(PrefactorNetworkError) as raised:
            twin(lambda c: c.request("POST", "/api/v1/things", json_data={"n": 1}), client)

    assert raised.value.request_sent
    assert len(server.answered) == 1
    assert server.hung_up == 1


def test_a_fresh_connection_hung_up_on_is_not_a_stale_one(twin):
    """Only a kept connection earns a resend at once: a new one that fails is a failure."""
    with KeepAliveServer(FIRST) as server:
        client = twin.new_client(api_url=server.url, max_retries=0)
        with pytest.raises(PrefactorNetworkError) as raised:
            twin(
                lambda c: c.request(
                    "POST", "/api/v1/things", json_data={}, idempotency_key="fresh-conn-key"
                ),
                client,
            )

    assert raised.value.request_sent
    assert server.hung_up == 1
    assert server.answered == []


def test_a_client_closed_during_a_call_does_not_send_it_again(twin):
    """A kept connection that close() ends (or the server does, after it) gets no resend."""

    def send(c, key):
        return c.request("POST", "/api/v1/things", json_data={}, idempotency_key=key)

    with KeepAliveServer(LIMIT, per_connection=1, hold=True) as server:
        client = twin.new_client(api_url=server.url, max_retries=0)
        twin(lambda c: send(c, "closing-key-0001"), client)
        failures: list[BaseException] = []
        if twin.is_async:

            async def scenario(c):
                call = asyncio.ensure_future(send(c, "closing-key-0002"))
                await asyncio.to_thread(server.holding.wait, 10)
                await c.close()
                server.release.set()
                failures.extend(await asyncio.gather(call, return_exceptions=True))

            twin(scenario, client)
        else:

            def call():
                try:
                    send(client, "closing-key-0002")
                except BaseException as exc:  # the outcome is what the test checks
                    failures.append(exc)

            thread = threading.Thread(target=call)
            thread.start()
            server.holding.wait(10)
            client.close()
            server.release.set()
            thread.join(10)

    [failure] = failures
    assert isinstance(failure, PrefactorClientError | PrefactorNetworkError), failure
    assert len(server.answered) == 1
    assert server.hung_up == 1
