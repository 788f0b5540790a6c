"""The async span writer from more than one event loop: LangChain runs sync tools' callbacks on one.

Every test runs real loops (`asyncio.run`, or a loop running forever in a
thread of its own) against the loopback server, on both async transports.
"""

from __future__ import annotations

import asyncio
import gc
import threading
import time
from collections.abc import Coroutine, Iterator
from typing import Any, TypeVar

import pytest

from prefactor_http import (
    PrefactorDeliveryError,
    PrefactorHttpClient,
    PrefactorTimeoutError,
    SpanWriter,
)
from tests.support.bulk import echo_bulk, keys_of, sent_keys, span_items
from tests.support.writers import NEVER, Gate

T = TypeVar("T")


class LoopThread:
    """An event loop running forever in a thread of its own, like a framework's callback loop."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self._thread.start()

    def run(self, coroutine: Coroutine[Any, Any, T], timeout: float = 10) -> T:
        """Run `coroutine` in this loop and wait (at most `timeout` seconds) for its result."""
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout)

    def stop(self) -> None:
        """Let the loop finish its tasks (5 s at most: a client closed elsewhere closes its
        pool here), cancel the rest, then stop and close it."""
        if self.loop.is_closed():
            return
        self.run(_finish_other_tasks(5), timeout=10)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(10)
        self.loop.close()


async def _finish_other_tasks(timeout: float) -> None:
    others = asyncio.all_tasks() - {asyncio.current_task()}
    if not others:
        return
    _, pending = await asyncio.wait(others, timeout=timeout)
    for task in pending:
        task.cancel()
    if pending:
        await asyncio.wait(pending, timeout=timeout)


@pytest.fixture
def loop_thread() -> Iterator[Any]:
    """Makes loops running in threads; each is stopped and closed after the test."""
    made: list[LoopThread] = []

    def make() -> LoopThread:
        made.append(LoopThread())
        return made[-1]

    yield make
    for each in made:
        each.stop()


@pytest.fixture(params=["async", "async-httpx"])
def async_client(request, make_config):
    def make() -> PrefactorHttpClient:
        kind = {"async_transport": "httpx"} if request.param == "async-httpx" else {}
        return PrefactorHttpClient(make_config(**kind))

    return make


def wait_for_requests(server, count: int) -> None:
    """Wait (10 s at most) until the server has answered `count` requests."""
    deadline = time.monotonic() + 10
    while len(server.log) < count:
        assert time.monotonic() < deadline, f"{len(server.log)} of {count} requests arrived"
        time.sleep(0.01)


def test_items_written_from_a_loop_in_another_thread_are_delivered(
    server, async_client, loop_thread
):
    """A write from a second, live loop used to raise 'first used in another event loop'."""
    server.expect_request("/api/v1/bulk").respond_with_handler(echo_bulk())
    items = span_items(3)
    client = async_client()
    writer = SpanWriter(client, flush_interval=NEVER)
    first, second = loop_thread(), loop_thread()

    first.run(writer.write(items[0]))
    for item in items[1:]:
        second.run(writer.write(item))
    first.run(writer.close())
    first.run(client.close())

    assert sent_keys(server) == [keys_of(items)]


def test_a_full_batch_written_from_another_loop_wakes_the_sender_in_its_loop(
    server, async_client, loop_thread
):
    """The sender, waiting in the first loop, sends a batch that fills up in a second one."""
    server.expect_request("/api/v1/bulk").respond_with_handler(echo_bulk())
    items = span_items(3)
    client = async_client()
    writer = SpanWriter(client, max_items=2, flush_interval=NEVER)
    first, second = loop_thread(), loop_thread()

    first.run(writer.write(items[0]))
    second.run(writer.write(items[1]))
    wait_for_requests(server, 1)
    second.run(writer.write(items[2]))
    first.run(client.close())

    assert sent_keys(server) == [keys_of(items[:2]), keys_of(items[2:])]


def test_writes_racing_from_several_loops_are_each_delivered_once(
    server, async_client, loop_thread
):
    """Four threads' loops write at once while the sender runs: nothing lost or repeated."""
    server.expect_request("/api/v1/bulk").respond_with_handler(echo_bulk())
    batches = [span_items(150, f"loop-{n}") for n in range(4)]
    client = async_client()
    writer = SpanWriter(client, max_items=50, flush_interval=0.05)
    loops = [loop_thread() for _ in batches]

    async def write_all(items: list[Any]) -> None:
        for item in items:
            await writer.write(item)

    loops[0].run(writer.write(span_items(1, "first")[0]))
    futures = [
        asyncio.run_coroutine_threadsafe(write_all(items), each.loop)
        for each, items in zip(loops, batches, strict=True)
    ]
    for future in futures:
        future.result(10)
    asyncio.run(client.close())

    delivered = [key for batch in sent_keys(server) for key in batch]
    expected = keys_of(span_items(1, "first")) + [k for items in batches for k in keys_of(items)]
    assert sorted(delivered) == sorted(expected)


def test_flush_from_another_loop_waits_for_the_sender_in_its_loop(
    server, async_client, loop_thread
):
    """flush() in a second loop returns once the first loop's sender has delivered."""
    server.expect_request("/api/v1/bulk").respond_with_handler(echo_bulk())
    items = span_items(2)
    client = async_client()
    writer = SpanWriter(client, flush_interval=NEVER)
    first, second = loop_thread(), loop_thread()

    first.run(writer.write(items[0]))
    second.run(writer.write(items[1]))
    second.run(writer.flush())

    assert sent_keys(server) == [keys_of(items)]
    first.run(client.close())


def test_a_write_after_the_first_loop_ended_restarts_the_sender(server, async_client):
    """Items written before and after asyncio.run() ended go out from the next loop."""
    server.expect_request("/api/v1/bulk").respond_with_handler(echo_bulk())
    items = span_items(2)
    client = async_client()
    writer = SpanWriter(client, max_items=2, flush_interval=NEVER)

    async def second() -> None:
        await writer.write(items[1])  # completes a batch: a new sender, in this loop, sends it
        await asyncio.to_thread(wait_for_requests, server, 1)
        await client.close()

    asyncio.run(writer.write(items[0]))  # the loop ends, cancelling the sender
    asyncio.run(second())

    assert sent_keys(server) == [keys_of(items)]


def test_flush_after_the_first_loop_ended_delivers_what_it_held(server, async_client):
    """flush() from a new loop used to raise 'another event loop' and send nothing."""
    server.expect_request("/api/v1/bulk").respond_with_handler(echo_bulk())
    items = span_items(2)
    client = async_client()
    writer = SpanWriter(client, flush_interval=NEVER)

    async def flush() -> list[list[str]]:
        await writer.flush()
        delivered = sent_keys(server)
        await client.close()
        return delivered

    asyncio.run(writer.write(items[0]))
    asyncio.run(writer.write(items[1]))

    assert asyncio.run(flush()) == [keys_of(items)]


def test_close_after_the_first_loop_ended_delivers_what_it_held(server, async_client):
    """close() from a new loop used to report every item as 'sender stopped'."""
    server.expect_request("/api/v1/bulk").respond_with_handler(echo_bulk())
    items = span_items(3)
    client = async_client()
    writer = SpanWriter(client, flush_interval=NEVER)

    async def write_all() -> None:
        for item in items:
            await writer.write(item)

    async def close_both() -> None:
        await writer.close()
        await client.close()  # not part of the test: closes this loop's pool

    asyncio.run(write_all())
    asyncio.run(close_both())

    assert sent_keys(server) == [keys_of(items)]


def test_a_batch_in_flight_when_its_loop_ended_is_sent_again_with_the_same_keys(
    server, async_client
):
    """The request cancelled with a worker thread's asyncio.run() is resent, keys unchanged."""
    gate = Gate()
    server.expect_request("/api/v1/bulk").respond_with_handler(gate)
    items = span_items(2)
    client = async_client()
    writer = SpanWriter(client, max_items=2, flush_interval=NEVER)

    async def callback() -> None:
        for item in items:
            await writer.write(item)
        await asyncio.to_thread(gate.entered.wait, 10)  # in flight when the loop ends

    worker = threading.Thread(target=asyncio.run, args=(callback(),))
    worker.start()
    worker.join(10)
    gate.open.set()

    async def close_both() -> None:
        await writer.close()
        await client.close()

    asyncio.run(close_both())
    gc.collect()  # an unclosed aiohttp session would warn now, failing the test

    assert sent_keys(server) == [keys_of(items), keys_of(items)]


def test_a_flush_waiting_in_another_loop_takes_over_when_the_senders_loop_ends(
    server, async_client
):
    """The sender's asyncio.run() returns mid-flush: the waiting flush's loop sends instead."""
    gate = Gate()
    server.expect_request("/api/v1/bulk").respond_with_handler(gate)
    items = span_items(2)
    client = async_client()
    writer = SpanWriter(client, max_items=2, flush_interval=NEVER)
    release = threading.Event()

    async def callback() -> None:
        for item in items:
            await writer.write(item)
        await asyncio.to_thread(release.wait, 10)

    worker = threading.Thread(target=asyncio.run, args=(callback(),))
    worker.start()
    assert gate.entered.wait(10)

    async def flush_while_the_first_loop_ends() -> None:
        flushing = asyncio.ensure_future(writer.flush())
        await asyncio.sleep(0.1)
        release.set()
        await asyncio.to_thread(worker.join, 10)
        gate.open.set()
        await asyncio.wait_for(flushing, 10)
        await client.close()

    asyncio.run(flush_while_the_first_loop_ends())
    gc.collect()  # an unclosed aiohttp session would warn now, failing the test

    assert sent_keys(server) == [keys_of(items), keys_of(items)]


def test_close_from_another_loop_waits_for_the_sender_in_its_live_loop(
    server, async_client, loop_thread
):
    """close() from a second loop used to raise 'another event loop' with the batch unsent."""
    gate = Gate()
    server.expect_request("/api/v1/bulk").respond_with_handler(gate)
    items = span_items(3)
    client = async_client()
    writer = SpanWriter(client, max_items=2, flush_interval=NEVER)
    first = loop_thread()

    async def write_all() -> None:
        for item in items:
            await writer.write(item)

    first.run(write_all())
    assert gate.entered.wait(10)
    opener = threading.Timer(0.2, gate.open.set)
    opener.start()
    asyncio.run(writer.close(timeout=10))
    opener.join()

    assert sent_keys(server) == [keys_of(items[:2]), keys_of(items[2:])]
    first.run(client.close())


def test_close_from_another_loop_reports_what_its_timeout_left_undelivered(
    server, async_client, loop_thread
):
    """A sender stuck in its own loop: close(timeout=) elsewhere reports its items in time."""
    gate = Gate()
    server.expect_request("/api/v1/bulk").respond_with_handler(gate)
    items = span_items(3)
    client = async_client()
    writer = SpanWriter(client, max_items=2, flush_interval=NEVER)
    first = loop_thread()

    async def write_all() -> None:
        for item in items:
            await writer.write(item)

    first.run(write_all())
    assert gate.entered.wait(10)
    started = time.monotonic()
    try:
        with pytest.raises(PrefactorDeliveryError) as caught:
            asyncio.run(writer.close(timeout=0.3))
        took = time.monotonic() - started
    finally:
        gate.open.set()
        wait_for_requests(server, 1)  # the abandoned request ends in this test, not the next

    assert took < 3
    assert [f.item for f in caught.value.failures] == items
    assert all(isinstance(f.error, PrefactorTimeoutError) for f in caught.value.failures)
    first.run(client.close())


def test_closing_the_client_from_another_loop_closes_a_writer_live_elsewhere(
    server, async_client, loop_thread
):
    """client.close() in a second loop sends what the writer holds in the first loop."""
    server.expect_request("/api/v1/bulk").respond_with_handler(echo_bulk())
    items = span_items(2)
    client = async_client()
    writer = SpanWriter(client, flush_interval=NEVER)
    first = loop_thread()

    for item in items:
        first.run(writer.write(item))
    asyncio.run(client.close())

    assert sent_keys(server) == [keys_of(items)]


def test_closing_the_client_after_the_writers_loop_ended_delivers_what_it_held(
    server, async_client
):
    """client.close() from a new loop used to raise PrefactorDeliveryError: 'sender stopped'."""
    server.expect_request("/api/v1/bulk").respond_with_handler(echo_bulk())
    items = span_items(2)
    client = async_client()
    writer = SpanWriter(client, flush_interval=NEVER)

    async def write_all() -> None:
        for item in items:
            await writer.write(item)

    asyncio.run(write_all())
    asyncio.run(client.close())

    assert sent_keys(server) == [keys_of(items)]
