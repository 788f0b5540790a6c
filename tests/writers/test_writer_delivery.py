"""Span writers through an unreliable API: kept until `max_age`, backed off, counted in `stats`."""

from __future__ import annotations

import json
import threading
import time

import pytest
from conftest import error, sent
from werkzeug import Request, Response

from prefactor_http import PrefactorDeliveryError, PrefactorTimeoutError, WriterStats
from tests.support.bulk import echo_bulk, keys_of, sent_keys, span_items
from tests.support.writers import Writers


@pytest.fixture
def writers(twin):
    return Writers(twin)


def outage(failures: int, status: int = 503, retry_after: str | None = None):
    """A bulk handler that answers `status` to the first `failures` requests, then runs them."""
    echo = echo_bulk()
    seen: list[float] = []

    def handle(request: Request) -> Response:
        seen.append(time.monotonic())
        if len(seen) <= failures:
            headers = {"Retry-After": retry_after} if retry_after is not None else {}
            return Response(
                json.dumps(error("unavailable", "down")),
                status,
                headers=headers,
                content_type="application/json",
            )
        return echo(request)

    handle.seen = seen  # type: ignore[attr-defined]
    return handle


def test_a_batch_is_kept_through_an_outage_with_defaults_and_delivered_once(server, writers, twin):
    """No attempt limit by default: eight failed tries in a row, then the same keys delivered."""
    handler = outage(8)
    server.expect_request("/api/v1/bulk").respond_with_handler(handler)
    items = span_items(5)
    writer = writers.make(twin.new_client(max_retries=0), flush_interval=0.005)
    writers.write(writer, items)

    stats = writers.run(writer.close)

    assert stats == WriterStats(accepted=5, delivered=5, failed=0, pending=0)
    assert sent_keys(server) == [keys_of(items)] * 9
    bodies = {json.dumps(body, sort_keys=True) for *_, body in sent(server)}
    assert len(bodies) == 1  # the very same items every time


def test_tries_back_off_exponentially(server, writers, twin):
    """Gaps between tries grow (jittered between half and all of the doubled delay)."""
    handler = outage(5)
    server.expect_request("/api/v1/bulk").respond_with_handler(handler)
    writer = writers.make(twin.new_client(max_retries=0), flush_interval=0.02)
    writers.write(writer, span_items(1))

    writers.run(writer.close)

    gaps = [b - a for a, b in zip(handler.seen, handler.seen[1:], strict=False)]
    # Try n waits 0.02 * 2**(n-1) * [0.5, 1]: at least 0.01, 0.02, 0.04, 0.08, 0.16 s.
    assert [gap >= 0.01 * 2**n for n, gap in enumerate(gaps)] == [True] * 5, gaps


def test_a_retry_after_is_waited_for(server, writers, twin):
    handler = outage(1, status=429, retry_after="1")
    server.expect_request("/api/v1/bulk").respond_with_handler(handler)
    writer = writers.make(twin.new_client(max_retries=0), flush_interval=0.005)
    writers.write(writer, span_items(2))

    assert writers.run(writer.close).delivered == 2

    assert handler.seen[1] - handler.seen[0] >= 1.0


def test_a_batch_is_given_up_once_its_oldest_item_is_max_age_old(server, writers, twin):
    server.expect_request("/api/v1/bulk").respond_with_json(error("unavailable", "down"), 503)
    items = span_items(3)
    writer = writers.make(twin.new_client(max_retries=0), flush_interval=0.01, max_age=0.3)
    writers.write(writer, items)

    with pytest.raises(PrefactorDeliveryError) as caught:
        writers.run(writer.close)

    assert [f.item for f in caught.value.failures] == items
    first = caught.value.failures[0].error
    assert isinstance(first, PrefactorTimeoutError)
    assert "max_age=0.3s" in str(first)
    assert "HTTP 503" in str(first.__cause__)
    assert caught.value.stats == WriterStats(accepted=3, delivered=0, failed=3, pending=0)


@pytest.mark.parametrize("max_age", [0, -1, 86401, float("inf")])
def test_max_age_is_positive_and_within_the_assumed_replay_window(writers, max_age):
    with pytest.raises(Exception, match="max_age"):
        writers.make(max_age=max_age)


def test_stats_always_add_up(server, writers, twin):
    """`accepted == delivered + failed + pending` in every sample taken while the writer works."""
    server.expect_request("/api/v1/bulk").respond_with_handler(
        echo_bulk(refuse=frozenset({"span-key-0150"}))
    )
    writer = writers.make(max_items=20, flush_interval=0.001)
    samples: list[WriterStats] = []
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            samples.append(writer.stats)

    sampler = threading.Thread(target=sample)
    sampler.start()
    try:
        writers.write(writer, span_items(300))
        with pytest.raises(PrefactorDeliveryError) as caught:
            writers.run(writer.close)
    finally:
        done.set()
        sampler.join()

    assert all(s.accepted == s.delivered + s.failed + s.pending for s in samples)
    assert len({s.delivered for s in samples}) > 2  # it sampled while delivering
    assert caught.value.stats == WriterStats(accepted=300, delivered=299, failed=1, pending=0)


def test_flush_returns_the_counts(server, writers):
    server.expect_request("/api/v1/bulk").respond_with_handler(echo_bulk())
    writer = writers.make(flush_interval=3600.0)
    writers.write(writer, span_items(4))

    assert writers.run(writer.flush) == WriterStats(accepted=4, delivered=4, failed=0, pending=0)
    assert writers.run(writer.close).delivered == 4
