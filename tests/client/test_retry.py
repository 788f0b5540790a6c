"""Retries: transient failures are retried with capped backoff; permanent ones are not."""

from __future__ import annotations

import time

import pytest
from conftest import AUTO_KEY, error, instance_json, sent, success

from prefactor_http import (
    HttpClientConfig,
    PrefactorNetworkError,
    PrefactorNotFoundError,
    PrefactorRetryExhaustedError,
    PrefactorServerError,
    PrefactorTimeoutError,
)
from prefactor_http._retry import RetryPolicy
from tests.support.flaky_server import DROP, STALL, FlakyServer, http_answer

START_PATH = "/api/v1/agent_instance/inst-1/start"


def test_503_then_success_is_retried(server, twin):
    """One 503 is retried and the caller gets the instance."""
    server.expect_ordered_request(START_PATH).respond_with_json(
        error("unavailable", "try later"), status=503
    )
    server.expect_ordered_request(START_PATH).respond_with_json(
        success(instance_json(status="active"))
    )

    instance = twin(lambda c: c.agent_instances.start("inst-1", idempotency_key="start-key-1"))

    assert instance.status == "active"
    bodies = [body for _, _, _, body in sent(server)]
    assert bodies == [{"idempotency_key": "start-key-1"}] * 2


def test_the_key_made_for_a_call_is_reused_by_its_retries(server, twin):
    """Without a caller's key the client makes one per call and resends that same key."""
    server.expect_ordered_request(START_PATH).respond_with_json(error("x", "down"), status=503)
    server.expect_ordered_request(START_PATH).respond_with_json(
        success(instance_json(status="active"))
    )
    server.expect_ordered_request(START_PATH).respond_with_json(
        success(instance_json(status="active"))
    )

    twin(lambda c: c.agent_instances.start("inst-1"))
    twin(lambda c: c.agent_instances.start("inst-1"))

    first, retry, second = (body["idempotency_key"] for _, _, _, body in sent(server))
    assert AUTO_KEY.match(first)
    assert retry == first
    assert second != first


@pytest.mark.parametrize(("status", "attempts"), [(503, 1), (429, 2)])
def test_raw_posts_without_a_key_are_retried_only_when_unprocessed(server, twin, status, attempts):
    """A keyless raw POST is not resent after a 503 (it may have acted), but is after a 429."""
    path = "/api/v1/agent_instance/inst-1/finish"
    server.expect_ordered_request(path).respond_with_json(error("x", "no"), status=status)
    server.expect_ordered_request(path).respond_with_json({"status": "success", "details": {}})

    def call(c):
        return c.request("POST", path, json_data={"status": "complete"})

    if attempts == 1:
        with pytest.raises(PrefactorServerError):
            twin(call)
    else:
        assert twin(call) == {"status": "success", "details": {}}
    assert len(sent(server)) == attempts


def test_raw_post_without_a_key_is_not_resent_after_a_cut_connection(twin):
    """A connection cut after sending may hide a committed write: the error is raised at once."""
    with FlakyServer([DROP, DROP]) as flaky:
        client = twin.new_client(api_url=flaky.url)
        with pytest.raises(PrefactorNetworkError) as caught:
            twin(lambda c: c.request("POST", "/api/v1/agent_spans", json_data={"x": 1}), client)

    assert caught.value.request_sent is True
    assert len(flaky.requests) == 1


def test_dropped_connection_then_success_is_retried(twin):
    """A connection cut before any answer is retried on a new connection."""
    script = [DROP, http_answer(200, success(instance_json(status="active")))]
    with FlakyServer(script) as flaky:
        client = twin.new_client(api_url=flaky.url)
        instance = twin(lambda c: c.agent_instances.start("inst-1"), client)

    assert instance.status == "active"
    assert len(flaky.requests) == 2
    assert all(r.startswith(b"POST /api/v1/agent_instance/inst-1/start ") for r in flaky.requests)


def test_retries_are_exhausted_with_the_last_error(server, twin):
    """After max_retries the caller gets PrefactorRetryExhaustedError holding the last failure."""
    server.expect_request(START_PATH).respond_with_json(error("unavailable", "down"), status=503)
    client = twin.new_client(max_retries=2)

    with pytest.raises(PrefactorRetryExhaustedError) as caught:
        twin(lambda c: c.agent_instances.start("inst-1"), client)

    assert caught.value.attempts == 3
    assert isinstance(caught.value.last_error, PrefactorServerError)
    assert caught.value.last_error.status_code == 503
    assert caught.value.__cause__ is caught.value.last_error
    assert "POST /api/v1/agent_instance/inst-1/start" in str(caught.value)
    assert len(sent(server)) == 3


def test_no_retries_raise_the_original_error(server, twin):
    """With max_retries=0 the first failure is raised as it is."""
    server.expect_request(START_PATH).respond_with_json(error("unavailable", "down"), status=503)

    with pytest.raises(PrefactorServerError):
        twin(lambda c: c.agent_instances.start("inst-1"), twin.new_client(max_retries=0))

    assert len(sent(server)) == 1


def test_permanent_errors_are_not_retried(server, twin):
    """A 404 is raised after one attempt."""
    server.expect_request(START_PATH).respond_with_json(error("not_found", "no"), status=404)

    with pytest.raises(PrefactorNotFoundError):
        twin(lambda c: c.agent_instances.start("inst-1"))

    assert len(sent(server)) == 1


def test_statuses_outside_retry_on_status_codes_are_not_retried(server, twin):
    """retry_on_status_codes decides which statuses are retried."""
    server.expect_request(START_PATH).respond_with_json(error("bad_gateway", "no"), status=502)
    client = twin.new_client(retry_on_status_codes=(503,))

    with pytest.raises(PrefactorServerError):
        twin(lambda c: c.agent_instances.start("inst-1"), client)

    assert len(sent(server)) == 1


def test_html_5xx_is_retried_as_transient(server, twin):
    """A gateway's HTML 502 counts as a 502 and is retried."""
    server.expect_ordered_request(START_PATH).respond_with_data(
        "<html>Bad Gateway</html>", status=502, content_type="text/html"
    )
    server.expect_ordered_request(START_PATH).respond_with_json(
        success(instance_json(status="active"))
    )

    assert twin(lambda c: c.agent_instances.start("inst-1")).status == "active"
    assert len(sent(server)) == 2


def test_connection_refused_exhausts_as_network_error(twin, refusing_url):
    """Nothing listening: every attempt fails and the last error is a network error."""
    client = twin.new_client(api_url=refusing_url, max_retries=1)

    with pytest.raises(PrefactorRetryExhaustedError) as caught:
        twin(lambda c: c.agent_instances.get("inst-1"), client)

    assert isinstance(caught.value.last_error, PrefactorNetworkError)
    assert "GET /api/v1/agent_instance/inst-1" in str(caught.value.last_error)


def test_read_timeout_is_retried_then_reported(twin):
    """A server slower than request_timeout gives a timeout error after the retries."""
    with FlakyServer([STALL, STALL]) as flaky:
        client = twin.new_client(api_url=flaky.url, request_timeout=0.1, max_retries=1)

        with pytest.raises(PrefactorRetryExhaustedError) as caught:
            twin(lambda c: c.agent_instances.get("inst-1"), client)

    assert isinstance(caught.value.last_error, PrefactorTimeoutError)
    assert "read timed out after 0.1s" in str(caught.value.last_error)
    assert caught.value.attempts == 2
    assert len(flaky.requests) == 2


def policy(**overrides: object) -> RetryPolicy:
    settings: dict[str, object] = {
        "api_url": "http://127.0.0.1:1",
        "api_token": "t",
        "initial_retry_delay": 1.0,
        "max_retry_delay": 10.0,
        "retry_multiplier": 3.0,
    }
    settings.update(overrides)
    return RetryPolicy.from_config(HttpClientConfig(**settings))  # type: ignore[arg-type]


@pytest.mark.parametrize(("retry", "ceiling"), [(1, 1.0), (2, 3.0), (3, 9.0), (4, 10.0), (9, 10.0)])
def test_backoff_grows_exponentially_up_to_the_cap_with_full_jitter(retry, ceiling):
    """Waits are uniform in [0, min(cap, initial * multiplier**(n-1))]."""
    waits = [policy().backoff(retry) for _ in range(300)]

    assert all(0 <= w <= ceiling for w in waits)
    assert max(waits) > ceiling * 0.8
    assert min(waits) < ceiling * 0.2


def test_backoff_stays_capped_far_past_the_cap():
    """Thousands of retries, or a huge multiplier, still wait at most max_retry_delay."""
    assert 0 <= policy().backoff(5000) <= 10.0
    assert 0 <= policy(retry_multiplier=1e200).backoff(3) <= 10.0


def test_the_retry_loop_waits_the_backoff(server, twin, monkeypatch):
    """Between attempts the client sleeps what the policy draws (here its ceiling)."""
    monkeypatch.setattr("prefactor_http._retry.random.uniform", lambda low, high: high)
    server.expect_request(START_PATH).respond_with_json(error("x", "down"), status=503)
    client = twin.new_client(
        max_retries=2, initial_retry_delay=0.1, max_retry_delay=1.0, retry_multiplier=2.0
    )

    started = time.monotonic()
    with pytest.raises(PrefactorRetryExhaustedError):
        twin(lambda c: c.agent_instances.start("inst-1"), client)

    assert time.monotonic() - started >= 0.1 + 0.2


def test_refused_connection_is_known_unsent_and_retried_even_without_a_key(twin, refusing_url):
    """A connection that was never made proves nothing was sent: even a keyless POST is retried."""
    client = twin.new_client(api_url=refusing_url, max_retries=2)

    with pytest.raises(PrefactorRetryExhaustedError) as caught:
        twin(lambda c: c.request("POST", "/api/v1/agent_spans", json_data={"x": 1}), client)

    assert caught.value.attempts == 3
    last = caught.value.last_error
    assert isinstance(last, PrefactorNetworkError)
    assert last.request_sent is False
    assert "POST /api/v1/agent_spans" in str(last)
