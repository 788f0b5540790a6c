"""Idempotency keys on the wire, Retry-After, per-call overrides, logging, close and cancel."""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest
from conftest import AUTO_KEY, TOKEN, TOO_LONG_KEY, error, instance_json, sent, span_json, success
from werkzeug import Response

from prefactor_http import (
    BulkItem,
    BulkRequest,
    HttpClientConfig,
    PrefactorClientError,
    PrefactorHttpClient,
    PrefactorRetryExhaustedError,
    PrefactorServerError,
    PrefactorTimeoutError,
    PrefactorValidationError,
)
from prefactor_http._responses import retry_after
from prefactor_http._retry import RetryPolicy
from prefactor_http.exceptions import PrefactorRateLimitError
from tests.support.flaky_server import STALL, FlakyServer, http_answer

START_PATH = "/api/v1/agent_instance/inst-1/start"
BULK_PATH = "/api/v1/bulk"


def key_headers(server):
    return [headers.get("idempotency-key") for _, _, headers, _ in sent(server)]


def test_a_callers_key_goes_in_body_and_header_on_every_retry(server, twin):
    """The caller's key is never replaced: both attempts carry it in the body and the header."""
    server.expect_ordered_request(START_PATH).respond_with_json(error("x", "down"), status=503)
    server.expect_ordered_request(START_PATH).respond_with_json(success(instance_json()))

    twin(lambda c: c.agent_instances.start("inst-1", idempotency_key="caller-key-1"))

    assert key_headers(server) == ["caller-key-1", "caller-key-1"]
    assert [body for *_, body in sent(server)] == [{"idempotency_key": "caller-key-1"}] * 2


def test_a_made_key_goes_in_body_and_header_on_every_retry(server, twin):
    """Without a caller's key, one made key names the call in the header and the body."""
    path = "/api/v1/agent_spans"
    server.expect_ordered_request(path).respond_with_json(error("x", "down"), status=502)
    server.expect_ordered_request(path).respond_with_json(success(span_json()))

    twin(lambda c: c.agent_spans.create("inst-1", "agent:llm", "active"))

    headers = key_headers(server)
    bodies = [body["details"]["idempotency_key"] for *_, body in sent(server)]
    assert AUTO_KEY.match(headers[0])
    assert headers == bodies == [headers[0]] * 2


def test_bulk_retries_resend_each_items_key_and_the_same_request_key(server, twin):
    """A retried bulk request is byte-for-byte the first: item keys and header key kept."""
    server.expect_ordered_request(BULK_PATH).respond_with_json(error("x", "down"), status=503)
    output = {"status": "success", "details": {}}
    server.expect_ordered_request(BULK_PATH).respond_with_json(
        {"status": "success", "outputs": {"item-key-1": output, "item-key-2": output}}
    )
    request = BulkRequest(
        items=[
            BulkItem(
                _type="agent_instances/start", idempotency_key="item-key-1", agent_instance_id="i"
            ),
            BulkItem(_type="agent_spans/finish", idempotency_key="item-key-2", agent_span_id="s"),
        ]
    )

    response = twin(lambda c: c.bulk.execute(request))

    assert response.ok
    first, retry = sent(server)
    assert AUTO_KEY.match(first[2]["idempotency-key"])
    assert retry[2]["idempotency-key"] == first[2]["idempotency-key"]
    assert [item["idempotency_key"] for item in retry[3]["items"]] == ["item-key-1", "item-key-2"]
    assert retry[3] == first[3]


def test_raw_requests_carry_a_header_key_but_get_does_not(server, twin):
    """A raw POST gets a made header key (its body is left as given); a GET gets none."""
    server.expect_request("/custom/things", method="POST").respond_with_json({"ok": True})
    server.expect_request("/custom/things", method="GET").respond_with_json({"ok": True})

    twin(lambda c: c.request("POST", "/custom/things", json_data={"a": 1}))
    twin(lambda c: c.request("GET", "/custom/things"))

    (_, _, post_headers, post_body), (_, _, get_headers, _) = sent(server)
    assert AUTO_KEY.match(post_headers["idempotency-key"])
    assert post_body == {"a": 1}
    assert "idempotency-key" not in get_headers


def test_a_key_in_json_data_is_the_callers_and_names_the_header(server, twin):
    """A raw call whose body already holds a key sends that key in the header and retries it."""
    path = "/api/v1/agent_instance/inst-1/start"
    server.expect_ordered_request(path).respond_with_json(error("x", "down"), status=503)
    server.expect_ordered_request(path).respond_with_json(success(instance_json()))

    twin(lambda c: c.request("POST", path, json_data={"idempotency_key": "own-key-0001"}))

    assert key_headers(server) == ["own-key-0001", "own-key-0001"]
    assert [body for *_, body in sent(server)] == [{"idempotency_key": "own-key-0001"}] * 2


def test_a_key_inside_details_is_read_where_the_api_reads_it(server, twin):
    """For a wrapped body (span create) the key inside `details` names the header."""
    server.expect_request("/api/v1/agent_spans").respond_with_json(success(span_json()))
    details = {
        "agent_instance_id": "inst-1",
        "schema_name": "agent:llm",
        "status": "active",
        "payload": {},
        "idempotency_key": "own-key-0002",
    }

    twin(lambda c: c.request("POST", "/api/v1/agent_spans", json_data={"details": details}))

    ((_, _, headers, body),) = sent(server)
    assert headers["idempotency-key"] == "own-key-0002"
    assert body == {"details": details}


def test_idempotency_key_goes_inside_details_for_a_wrapped_body(server, twin):
    """`idempotency_key=` lands where the API reads it, without touching the caller's dict."""
    server.expect_request("/api/v1/agent_spans").respond_with_json(success(span_json()))
    details = {"agent_instance_id": "inst-1", "schema_name": "s", "status": "active", "payload": {}}

    twin(
        lambda c: c.request(
            "POST", "/api/v1/agent_spans", json_data={"details": details}, idempotency_key="k-0003"
        )
    )

    ((_, _, headers, body),) = sent(server)
    assert headers["idempotency-key"] == "k-0003"
    assert body == {"details": {**details, "idempotency_key": "k-0003"}}
    assert "idempotency_key" not in details


@pytest.mark.parametrize(
    ("json_data", "field"),
    [
        ({"idempotency_key": "in-body-1"}, "idempotency_key"),
        ({"idempotency_key": TOO_LONG_KEY}, "json_data.idempotency_key"),
        ({"details": {"idempotency_key": 7}}, "json_data.details.idempotency_key"),
    ],
)
def test_disagreeing_or_bad_keys_in_json_data_are_refused(server, twin, json_data, field):
    """Two different keys for one call, or a bad key in the body, fail before sending."""
    with pytest.raises(PrefactorValidationError) as caught:
        twin(
            lambda c: (
                c.request("POST", "/api/v1/bulk", json_data=json_data, idempotency_key="argument-1")
                if field == "idempotency_key"
                else c.request("POST", "/api/v1/bulk", json_data=json_data)
            )
        )

    assert field in caught.value.errors
    assert sent(server) == []


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        ("3", 3.0),
        (" 120 ", 120.0),
        ("0", 0.0),
        ("1.5", 1.5),
        ("soon", None),
        ("-1", None),
        ("", None),
    ],
)
def test_retry_after_reads_delay_seconds(value, seconds):
    """Delay-seconds are read as given; anything that is not a date or a number is ignored."""
    assert retry_after(value) == seconds


def test_retry_after_reads_http_dates():
    """A date in the future is the time until then; one in the past means now."""
    ahead = format_datetime(datetime.now(UTC) + timedelta(seconds=30), usegmt=True)
    behind = format_datetime(datetime.now(UTC) - timedelta(seconds=30), usegmt=True)

    assert 25 < retry_after(ahead) <= 30
    assert retry_after(behind) == 0.0


def policy(**overrides):
    config = HttpClientConfig(
        api_url="http://127.0.0.1:1", api_token="t", max_retry_delay=10.0, **overrides
    )
    return RetryPolicy.from_config(config)


@pytest.mark.parametrize(
    ("status", "cls"), [(429, PrefactorRateLimitError), (503, PrefactorServerError)]
)
def test_retry_after_sets_the_wait_on_429_and_503_capped_by_max_retry_delay(status, cls):
    """The server's wait wins over backoff, but never beyond max_retry_delay."""
    asked = cls("busy", None, status)
    asked.retry_after = 4.0
    too_long = cls("busy", None, status)
    too_long.retry_after = 3600.0

    assert policy().delay(1, asked) == 4.0
    assert policy().delay(1, too_long) == 10.0


def test_retry_after_on_other_statuses_is_ignored_for_backoff():
    """A 500 with Retry-After still backs off with jitter under the exponential ceiling."""
    failure = PrefactorServerError("boom", None, 500)
    failure.retry_after = 9.0

    assert all(policy(initial_retry_delay=0.5).delay(1, failure) <= 0.5 for _ in range(50))


def test_retry_after_header_reaches_the_error(server, twin):
    """The mapped error carries the seconds the server asked for."""
    server.expect_request(START_PATH).respond_with_json(
        error("rate_limited", "slow down"), status=429, headers={"Retry-After": "7"}
    )

    with pytest.raises(PrefactorRateLimitError) as caught:
        twin(lambda c: c.agent_instances.start("inst-1"), twin.new_client(max_retries=0))

    assert caught.value.retry_after == 7.0


def test_the_loop_waits_what_retry_after_asks(server, twin, caplog):
    """A 503 with Retry-After: 1 is retried after 1 s, as the attempt's log line says."""
    caplog.set_level(logging.DEBUG, logger="prefactor_http")
    server.expect_ordered_request(START_PATH).respond_with_json(
        error("x", "down"), status=503, headers={"Retry-After": "1"}
    )
    server.expect_ordered_request(START_PATH).respond_with_json(success(instance_json()))
    client = twin.new_client(max_retry_delay=5.0)

    twin(lambda c: c.agent_instances.start("inst-1"), client)

    assert f"POST {START_PATH} -> 503 (attempt 1): retrying in 1.000s" in caplog.messages


def test_retry_after_beyond_max_retry_delay_is_capped_on_the_wire(server, twin, caplog):
    """Retry-After: 120 with max_retry_delay 0.05 waits 0.05 s."""
    caplog.set_level(logging.DEBUG, logger="prefactor_http")
    server.expect_ordered_request(START_PATH).respond_with_json(
        error("x", "busy"), status=429, headers={"Retry-After": "120"}
    )
    server.expect_ordered_request(START_PATH).respond_with_json(success(instance_json()))

    twin(lambda c: c.agent_instances.start("inst-1"), twin.new_client(max_retry_delay=0.05))

    assert f"POST {START_PATH} -> 429 (attempt 1): retrying in 0.050s" in caplog.messages


def test_no_retry_starts_past_the_calls_timeout(server, twin):
    """A Retry-After longer than what is left of `timeout=` ends the call at once."""
    server.expect_request(START_PATH).respond_with_json(
        error("x", "down"), status=503, headers={"Retry-After": "30"}
    )
    client = twin.new_client(max_retry_delay=60.0, max_retries=5)

    with pytest.raises(PrefactorRetryExhaustedError) as caught:
        twin(lambda c: c.agent_instances.start("inst-1", timeout=2.0), client)

    assert "the call's 2.0s timeout leaves no time for a retry in 30s" in str(caught.value)
    assert isinstance(caught.value.last_error, PrefactorServerError)
    assert caught.value.attempts == 1
    assert len(sent(server)) == 1


def test_the_calls_timeout_caps_each_attempt(server, twin):
    """`timeout=` below request_timeout shortens the read wait of the attempt itself."""
    timed_out = threading.Event()

    def slow(_request: object) -> Response:
        timed_out.wait(5)  # answers only once the caller has given up
        return Response("{}", content_type="application/json")

    server.expect_ordered_request("/api/v1/agent_instance/inst-1").respond_with_json(
        success(instance_json())
    )
    server.expect_ordered_request("/api/v1/agent_instance/inst-1").respond_with_handler(slow)
    client = twin.new_client(request_timeout=5.0)
    # A first call makes the pool and its connection: the timed call's read then starts at once.
    # Made within the timed call, they could push the read timeout past the deadline's grace on
    # a loaded machine, and the deadline would end the call first (seen under pytest-xdist).
    twin(lambda c: c.agent_instances.get("inst-1"), client)

    try:
        with pytest.raises(PrefactorTimeoutError) as caught:
            twin(lambda c: c.agent_instances.get("inst-1", timeout=0.2, max_retries=0), client)
    finally:
        timed_out.set()

    _wait_for(lambda: len(server.log) == 2)  # first: a slow answer must not land in the next test
    assert "GET /api/v1/agent_instance/inst-1: read timed out after 0.2s" in str(caught.value)


@pytest.mark.parametrize(("max_retries", "attempts"), [(0, 1), (1, 2), (4, 5)])
def test_max_retries_per_call_overrides_the_config(server, twin, max_retries, attempts):
    """`max_retries=` sets this call's retries; 0 raises the first error as it is."""
    server.expect_request(START_PATH).respond_with_json(error("x", "down"), status=503)
    client = twin.new_client(max_retries=2)

    expected = PrefactorServerError if max_retries == 0 else PrefactorRetryExhaustedError
    with pytest.raises(expected):
        twin(lambda c: c.agent_instances.start("inst-1", max_retries=max_retries), client)

    assert len(sent(server)) == attempts


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("timeout", 0),
        ("timeout", -1.0),
        ("timeout", float("inf")),
        ("timeout", float("nan")),
        ("timeout", "5"),
        ("timeout", True),
        ("max_retries", -1),
        ("max_retries", 1.5),
        ("max_retries", True),
    ],
)
def test_bad_per_call_options_are_refused_before_sending(server, twin, option, value):
    """Nonsense overrides are the caller's mistake, named, with nothing sent."""
    with pytest.raises(PrefactorValidationError) as caught:
        twin(lambda c: c.agent_instances.start("inst-1", **{option: value}))

    assert option in caught.value.errors
    assert sent(server) == []


def test_every_call_takes_the_per_call_options(server, twin):
    """Each public call accepts `timeout=` and `max_retries=` (checked by refusing bad ones)."""
    calls = [
        lambda c, **o: c.agent_instances.register(
            agent_version={"name": "a", "external_identifier": "v1"},
            agent_schema_version={"external_identifier": "s"},
            **o,
        ),
        lambda c, **o: c.agent_instances.start("i", **o),
        lambda c, **o: c.agent_instances.finish("i", **o),
        lambda c, **o: c.agent_instances.get("i", **o),
        lambda c, **o: c.agent_instances.record_quality("i", "helpfulness", **o),
        lambda c, **o: c.agent_spans.create("i", "agent:llm", "active", **o),
        lambda c, **o: c.agent_spans.finish("s", **o),
        lambda c, **o: c.bulk.execute(
            BulkRequest(items=[BulkItem(_type="x", idempotency_key="12345678")]), **o
        ),
        lambda c, **o: c.request("GET", "/api/v1/ping", **o),
        lambda c, **o: c.validate_token(**o),
    ]
    for call in calls:
        with pytest.raises(PrefactorValidationError) as caught:
            twin(lambda c, call=call: call(c, timeout=-1))
        assert "timeout" in caught.value.errors
    assert sent(server) == []


def test_each_attempt_logs_one_debug_line_and_exhaustion_a_warning(server, twin, caplog):
    """Method, path, status, attempt and delay per attempt; a warning when retries run out."""
    caplog.set_level(logging.DEBUG, logger="prefactor_http")
    server.expect_request(START_PATH).respond_with_json(error("x", "down"), status=503)

    with pytest.raises(PrefactorRetryExhaustedError):
        twin(lambda c: c.agent_instances.start("inst-1"), twin.new_client(max_retries=2))

    records = [r for r in caplog.records if r.name == "prefactor_http"]
    debug = [r.getMessage() for r in records if r.levelno == logging.DEBUG]
    assert len(debug) == 2
    for attempt, line in enumerate(debug, start=1):
        assert line.startswith(f"POST {START_PATH} -> 503 (attempt {attempt}): retrying in ")
    (warning,) = [r.getMessage() for r in records if r.levelno == logging.WARNING]
    assert warning == f"POST {START_PATH}: gave up after 3 attempts; last error: 503"


def test_success_logs_its_status_and_attempt(server, twin, caplog):
    """A call that works logs one debug line naming the status."""
    caplog.set_level(logging.DEBUG, logger="prefactor_http")
    server.expect_request("/api/v1/agent_instance/inst-1").respond_with_json(
        success(instance_json())
    )

    twin(lambda c: c.agent_instances.get("inst-1"))

    ours = [r.getMessage() for r in caplog.records if r.name == "prefactor_http"]
    assert ours == ["GET /api/v1/agent_instance/inst-1 -> 200 (attempt 1)"]


def test_logs_hold_neither_the_token_nor_payloads(server, twin, caplog):
    """Whatever fails, no log line carries the token or what the caller sent."""
    caplog.set_level(logging.DEBUG, logger="prefactor_http")
    server.expect_request("/api/v1/agent_spans").respond_with_json(
        error("x", f"echo Bearer {TOKEN} secret-prompt-4411"), status=503
    )

    with pytest.raises(PrefactorRetryExhaustedError):
        twin(
            lambda c: c.agent_spans.create(
                "inst-1", "agent:llm", "active", payload={"prompt": "secret-prompt-4411"}
            ),
            twin.new_client(max_retries=1),
        )

    assert len([r for r in caplog.records if r.name == "prefactor_http"]) == 2
    for record in caplog.records:
        text = record.getMessage()
        assert TOKEN not in text
        assert "secret-prompt-4411" not in text


class _BackoffSeen(logging.Handler):
    """Sets `event` once the `prefactor_http` logger says an attempt failed and a retry waits.

    That line is logged by the calling thread after the answer was read and
    before the backoff sleep, so a close after it lands in the backoff, never
    in the read (the server's request log fills before its answer is sent).
    """

    def __init__(self, line_start: str) -> None:
        super().__init__(logging.DEBUG)
        self.line_start = line_start
        self.event = threading.Event()

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if message.startswith(self.line_start) and " retrying in " in message:
            self.event.set()


@pytest.fixture
def backoff_seen():
    """A `_BackoffSeen` for the first 503 of the start call, on the package logger at DEBUG."""
    logger = logging.getLogger("prefactor_http")
    handler = _BackoffSeen(f"POST {START_PATH} -> 503 (attempt 1): ")
    level = logger.level
    logger.setLevel(logging.DEBUG)
    logger.addHandler(handler)
    yield handler.event
    logger.removeHandler(handler)
    logger.setLevel(level)


def test_close_during_a_backoff_ends_the_call_with_a_client_error(server, twin, backoff_seen):
    """A call waiting to retry finds the client closed and stops; nothing more is sent."""
    server.expect_request(START_PATH).respond_with_json(
        error("x", "down"), status=503, headers={"Retry-After": "1"}
    )
    client = twin.new_client(max_retry_delay=5.0)
    outcome: list[BaseException] = []

    if twin.is_async:

        async def scenario() -> None:
            task = asyncio.ensure_future(client.agent_instances.start("inst-1"))
            while not backoff_seen.is_set():
                await asyncio.sleep(0.01)
            await client.close()
            try:
                await task
            except PrefactorClientError as exc:
                outcome.append(exc)

        twin(lambda _: scenario())
    else:

        def call() -> None:
            try:
                client.agent_instances.start("inst-1")
            except PrefactorClientError as exc:
                outcome.append(exc)

        worker = threading.Thread(target=call)
        worker.start()
        assert backoff_seen.wait(timeout=10)
        client.close()
        worker.join(timeout=10)

    assert len(server.log) == 1
    assert len(outcome) == 1
    message = str(outcome[0])
    assert message.startswith(f"POST {START_PATH}: ")
    assert "was closed while the call waited to retry" in message
    assert "an earlier attempt may have reached the server" in message
    assert isinstance(outcome[0].__cause__, PrefactorServerError)
    assert len(sent(server)) == 1


def test_cancelling_a_call_in_flight_hangs_up_and_stops_retrying():
    """asyncio cancellation during a request closes its connection and sends nothing more."""
    with FlakyServer([STALL, http_answer(200, success(instance_json()))]) as flaky:
        config = HttpClientConfig(api_url=flaky.url, api_token=TOKEN, initial_retry_delay=0.01)

        async def scenario() -> None:
            async with PrefactorHttpClient(config) as client:
                task = asyncio.ensure_future(client.agent_instances.start("inst-1"))
                while not flaky.received.is_set():
                    await asyncio.sleep(0.01)
                task.cancel()
                with pytest.raises(asyncio.CancelledError):
                    await task

        asyncio.run(scenario())

        assert flaky.hung_up.wait(5)
        assert len(flaky.requests) == 1


@pytest.mark.parametrize("transport", ["aiohttp", "httpx"])
def test_the_callers_own_timeout_stays_theirs(transport):
    """An asyncio.timeout around a call raises the caller's TimeoutError and hangs up, once."""
    with FlakyServer([STALL, http_answer(200, success(instance_json()))]) as flaky:
        config = HttpClientConfig(
            api_url=flaky.url, api_token=TOKEN, async_transport=transport, max_retries=0
        )

        async def scenario() -> None:
            async with PrefactorHttpClient(config) as client:
                with pytest.raises(TimeoutError) as caught:
                    async with asyncio.timeout(0.3):
                        await client.agent_instances.start("inst-1")
                assert type(caught.value) is TimeoutError  # not the client's own timeout error
                # The client is unharmed: the next call is answered.
                instance = await client.agent_instances.start("inst-1")
                assert instance.id == "inst-1"

        asyncio.run(scenario())

        assert flaky.hung_up.wait(5)
        assert len(flaky.requests) == 2


def test_cancelling_a_call_during_its_backoff_stops_retrying(server, make_config, backoff_seen):
    """A task cancelled while waiting to retry makes no further attempt."""
    server.expect_request(START_PATH).respond_with_json(
        error("x", "down"), status=503, headers={"Retry-After": "2"}
    )
    backoff = 0.5  # max_retry_delay caps the 2 s Retry-After

    async def scenario() -> None:
        async with PrefactorHttpClient(make_config(max_retry_delay=backoff)) as client:
            task = asyncio.ensure_future(client.agent_instances.start("inst-1"))
            while not backoff_seen.is_set():  # logged on this loop just before the backoff
                await asyncio.sleep(0.01)
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task
            await asyncio.sleep(backoff + 0.2)  # past the backoff: a leaked retry would show now

    asyncio.run(scenario())

    assert len(sent(server)) == 1


def _wait_for(condition, seconds: float = 5.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.01)
    assert condition()
