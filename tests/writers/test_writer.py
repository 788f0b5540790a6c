"""Span writers: when batches go out, a full buffer, retries with the same keys, nothing lost."""

from __future__ import annotations

import asyncio
import datetime
import textwrap
import threading
from typing import Any

import pytest
from conftest import TOKEN, error, sent

from prefactor_http import (
    PrefactorBufferFullError,
    PrefactorClientError,
    PrefactorDeliveryError,
    PrefactorHttpClient,
    PrefactorValidationError,
    SpanWriter,
    SyncSpanWriter,
)
from tests.support.bulk import echo_bulk, keys_of, sent_keys, span_item, span_items
from tests.support.writers import NEVER, Gate, Writers, run_script


@pytest.fixture
def writers(twin):
    return Writers(twin)


def test_a_batch_goes_out_when_max_items_are_waiting(server, writers):
    server.expect_request("/api/v1/bulk", method="POST").respond_with_handler(echo_bulk())
    items = span_items(7)
    writer = writers.make(max_items=3, flush_interval=NEVER)

    writers.write(writer, items)
    writers.wait_until(lambda: len(server.log) == 2)

    assert sent_keys(server) == [keys_of(items[:3]), keys_of(items[3:6])]
    writers.run(writer.close)
    assert sent_keys(server)[2] == keys_of(items[6:])
    assert sent(server)[0][3]["items"][0] == items[0].to_dict()


def test_a_batch_goes_out_after_flush_interval(server, writers):
    server.expect_request("/api/v1/bulk").respond_with_handler(echo_bulk())
    items = span_items(2)
    writer = writers.make(max_items=100, flush_interval=0.05)

    writers.write(writer, items)
    writers.wait_until(lambda: len(server.log) == 1)

    assert sent_keys(server) == [keys_of(items)]
    writers.run(writer.close)
    assert len(server.log) == 1


def test_close_and_flush_send_what_is_waiting(server, writers):
    server.expect_request("/api/v1/bulk").respond_with_handler(echo_bulk())
    items = span_items(5)
    writer = writers.make(max_items=100, flush_interval=NEVER)

    writers.write(writer, items[:2])
    writers.run(writer.flush)
    assert sent_keys(server) == [keys_of(items[:2])]

    writers.write(writer, items[2:])
    assert len(server.log) == 1
    writers.run(writer.close)

    assert sent_keys(server) == [keys_of(items[:2]), keys_of(items[2:])]
    with pytest.raises(PrefactorClientError, match="is closed"):
        writers.write(writer, span_items(1, "late"))


def test_a_full_buffer_raises_at_once_with_when_full_raise(server, writers):
    gate = Gate()
    server.expect_request("/api/v1/bulk").respond_with_handler(gate)
    items = span_items(3)
    writer = writers.make(max_items=2, max_buffered=2, when_full="raise", flush_interval=NEVER)

    writers.write(writer, items[:2])
    with pytest.raises(PrefactorBufferFullError, match="not accepted"):
        writers.write(writer, items[2:])

    gate.open.set()
    writers.run(writer.close)
    assert sent_keys(server) == [keys_of(items[:2])]


def test_a_full_buffer_blocks_until_there_is_room(server, writers):
    gate = Gate()
    server.expect_request("/api/v1/bulk").respond_with_handler(gate)
    items = span_items(3)
    writer = writers.make(max_items=2, max_buffered=2, block_timeout=10, flush_interval=NEVER)
    writers.write(writer, items[:2])
    opener = threading.Thread(target=lambda: gate.entered.wait(10) and gate.open.set())
    opener.start()

    writers.write(writer, items[2:])  # waits for the first batch to be delivered
    writers.run(writer.close)

    opener.join()
    assert sent_keys(server) == [keys_of(items[:2]), keys_of(items[2:])]


def test_a_full_buffer_that_stays_full_raises_after_block_timeout(server, writers):
    gate = Gate()
    server.expect_request("/api/v1/bulk").respond_with_handler(gate)
    items = span_items(3)
    writer = writers.make(max_items=2, max_buffered=2, block_timeout=0.05, flush_interval=NEVER)

    writers.write(writer, items[:2])
    with pytest.raises(PrefactorBufferFullError):
        writers.write(writer, items[2:])

    gate.open.set()
    writers.run(writer.close)
    assert [k for keys in sent_keys(server) for k in keys] == keys_of(items[:2])


def test_a_failed_flush_is_sent_again_with_the_same_keys(server, writers, twin):
    """The writer's own retry (client retries off here) resends the very same items."""
    server.expect_oneshot_request("/api/v1/bulk").respond_with_json(
        error("unavailable", "try later"), status=503
    )
    server.expect_request("/api/v1/bulk").respond_with_handler(echo_bulk())
    items = span_items(3)
    client = twin.new_client(max_retries=0)
    writer = writers.make(client, max_items=100, flush_interval=0.01, flush_attempts=3)

    writers.write(writer, items)
    writers.run(writer.close)

    assert sent_keys(server) == [keys_of(items), keys_of(items)]
    bodies = [body for *_, body in sent(server)]
    assert bodies[0] == bodies[1]


def test_a_batch_that_keeps_failing_is_reported_not_dropped(server, writers, twin):
    server.expect_request("/api/v1/bulk").respond_with_json(
        error("unavailable", "try later"), status=503
    )
    items = span_items(3)
    client = twin.new_client(max_retries=0)
    writer = writers.make(client, max_items=100, flush_interval=0.01, flush_attempts=2)
    writers.write(writer, items)

    with pytest.raises(PrefactorDeliveryError) as caught:
        writers.run(writer.close)

    assert [f.item for f in caught.value.failures] == items
    assert all(f.error.status_code == 503 for f in caught.value.failures)
    assert sent_keys(server) == [keys_of(items), keys_of(items)]
    assert TOKEN not in str(caught.value)


def test_a_permanent_error_is_reported_at_once(server, writers):
    server.expect_request("/api/v1/bulk").respond_with_json(
        error("unauthorized", "bad token"), status=401
    )
    items = span_items(2)
    writer = writers.make(max_items=100, flush_interval=NEVER, flush_attempts=5)
    writers.write(writer, items)

    with pytest.raises(PrefactorDeliveryError, match="2 accepted item"):
        writers.run(writer.flush)

    assert len(server.log) == 1
    writers.run(writer.close)  # reported once, by flush


def test_a_refused_item_is_reported_and_the_unprocessed_rest_resent(server, writers):
    """The API stops at the refused item: it is reported, the items after it go out again."""
    server.expect_request("/api/v1/bulk").respond_with_handler(
        echo_bulk(refuse=frozenset({"span-key-0001"}))
    )
    items = span_items(4)
    writer = writers.make(max_items=100, flush_interval=NEVER)
    writers.write(writer, items)

    with pytest.raises(PrefactorDeliveryError) as caught:
        writers.run(writer.close)

    [failure] = caught.value.failures
    assert failure.item is items[1]
    assert (failure.output.code, failure.output.message) == (
        "validation_error",
        "span-key-0001 is bad",
    )
    assert sent_keys(server) == [keys_of(items), keys_of(items[2:])]


def test_nothing_accepted_is_lost_or_sent_twice(server, writers):
    server.expect_request("/api/v1/bulk").respond_with_handler(echo_bulk())
    items = span_items(600)
    writer = writers.make(max_items=64, max_buffered=128, flush_interval=0.01)

    writers.write(writer, items)
    writers.run(writer.close)

    delivered = [k for keys in sent_keys(server) for k in keys]
    assert delivered == keys_of(items)
    assert max(len(keys) for keys in sent_keys(server)) <= 64


def test_a_key_already_waiting_is_refused(server, writers):
    server.expect_request("/api/v1/bulk").respond_with_handler(echo_bulk())
    writer = writers.make(max_items=100, flush_interval=NEVER)
    writers.write(writer, span_items(1))

    with pytest.raises(PrefactorValidationError, match="repeats 'span-key-0000'"):
        writers.write(writer, span_items(1))
    with pytest.raises(PrefactorValidationError, match="must be a BulkItem"):
        writers.write(writer, [{"_type": "agent_spans/create"}])

    writers.run(writer.close)
    assert sent_keys(server) == [["span-key-0000"]]


@pytest.mark.parametrize(
    ("settings", "field"),
    [
        ({"max_items": 0}, "max_items"),
        ({"flush_interval": 0}, "flush_interval"),
        ({"max_items": 10, "max_buffered": 5}, "max_buffered"),
        ({"when_full": "drop"}, "when_full"),
        ({"block_timeout": -1}, "block_timeout"),
        ({"flush_attempts": 0}, "flush_attempts"),
    ],
)
def test_bad_settings_are_refused(writers, settings, field):
    with pytest.raises(PrefactorValidationError) as caught:
        writers.make(**settings)

    assert list(caught.value.errors) == [field]


def test_a_writer_needs_its_own_kind_of_client(twin):
    other = SyncSpanWriter if twin.is_async else SpanWriter
    with pytest.raises(PrefactorClientError, match="needs a"):
        other(twin.client)


ITEMS_SCRIPT = """
from prefactor_http import BulkItem, HttpClientConfig
config = HttpClientConfig(api_url={url!r}, api_token="pf-t", max_retries=0)
items = [
    BulkItem(_type="agent_spans/create", idempotency_key=f"exit-key-{{i}}",
             agent_instance_id="inst-1", schema_name="agent:llm", status="active", payload={{}})
    for i in range(3)
]
"""


def test_the_blocking_writer_sends_what_it_holds_at_interpreter_exit(server):
    server.expect_request("/api/v1/bulk").respond_with_handler(echo_bulk())
    url = server.url_for("/").rstrip("/")
    script = ITEMS_SCRIPT.format(url=url) + textwrap.dedent(
        """
        from prefactor_http import SyncPrefactorHttpClient, SyncSpanWriter
        writer = SyncSpanWriter(SyncPrefactorHttpClient(config), flush_interval=3600)
        for item in items:
            writer.write(item)
        """
    )

    done = run_script(script)

    assert done.returncode == 0, done.stderr
    assert sent_keys(server) == [["exit-key-0", "exit-key-1", "exit-key-2"]]


def test_an_unclosed_async_writer_sends_what_it_holds_at_interpreter_exit(server):
    """Every loop has ended by then: it sends from a loop of its own (it used to only log)."""
    server.expect_request("/api/v1/bulk").respond_with_handler(echo_bulk())
    url = server.url_for("/").rstrip("/")
    script = ITEMS_SCRIPT.format(url=url) + textwrap.dedent(
        """
        import asyncio
        from prefactor_http import PrefactorHttpClient, SpanWriter
        async def main():
            writer = SpanWriter(PrefactorHttpClient(config), flush_interval=3600)
            for item in items:
                await writer.write(item)
        asyncio.run(main())
        """
    )

    done = run_script(script)

    assert done.returncode == 0, done.stderr
    assert sent_keys(server) == [["exit-key-0", "exit-key-1", "exit-key-2"]], done.stderr


def test_the_api_sees_each_batch_as_one_spec_shaped_request(server, writers):
    server.expect_request("/api/v1/bulk").respond_with_handler(echo_bulk())
    writer = writers.make(max_items=2, flush_interval=NEVER)
    items = span_items(2)

    writers.write(writer, items)
    writers.run(writer.close)

    [(method, path, headers, body)] = sent(server)
    assert body == {"items": [item.to_dict() for item in items]}
    assert (method, path, headers["content-type"]) == ("POST", "/api/v1/bulk", "application/json")
    assert headers["authorization"] == f"Bearer {TOKEN}"


def test_an_item_json_cannot_encode_is_refused_at_write(server, writers):
    """Accepted, it used to sink its whole batch; refused at write(), the rest still go out."""
    server.expect_request("/api/v1/bulk").respond_with_handler(echo_bulk())
    items = span_items(3)
    bad = span_item("span-key-bad", at=datetime.datetime(2026, 11, 22))
    writer = writers.make(max_items=100, flush_interval=NEVER)

    writers.write(writer, items[:2])
    with pytest.raises(PrefactorValidationError) as caught:
        writers.write(writer, [bad])
    writers.write(writer, items[2:])
    writers.run(writer.close)

    assert list(caught.value.errors) == ["item.payload.at"]
    assert sent_keys(server) == [keys_of(items)]


def test_the_sent_item_is_the_one_checked_at_write(server, writers):
    """Nested params are the caller's: changing them after write() cannot break the batch."""
    server.expect_request("/api/v1/bulk").respond_with_handler(echo_bulk())
    payload: dict[str, Any] = {"n": 1}
    item = span_item("span-key-late", **payload)
    writer = writers.make(max_items=100, flush_interval=NEVER)

    writers.write(writer, [item])
    item.payload["later"] = {1, 2}  # not JSON; the item is immutable, its nested params are not
    writers.run(writer.close)

    assert sent(server)[0][3]["items"][0]["payload"] == {"n": 1}


def test_unreported_failures_count_against_max_buffered(server, writers):
    """With nobody calling flush(), refused items used to pile up without bound."""
    server.expect_request("/api/v1/bulk").respond_with_json(error("bad", "no"), status=400)
    items = span_items(5)
    writer = writers.make(max_items=2, max_buffered=4, when_full="raise", flush_interval=NEVER)

    writers.write(writer, items[:2])
    writers.wait_until(lambda: len(server.log) == 1 and writer._buffer.settled == 2)
    writers.write(writer, items[2:4])
    writers.wait_until(lambda: len(server.log) == 2 and writer._buffer.settled == 4)
    with pytest.raises(PrefactorBufferFullError, match=r"call flush\(\) to collect"):
        writers.write(writer, items[4:])

    with pytest.raises(PrefactorDeliveryError) as caught:
        writers.run(writer.flush)
    assert [f.item for f in caught.value.failures] == items[:4]
    writers.write(writer, items[4:])  # room again
    with pytest.raises(PrefactorDeliveryError):
        writers.run(writer.close)


def test_closing_the_client_closes_its_writers_first(server, writers, twin):
    """A writer outliving its client used to lose what it held at exit."""
    server.expect_request("/api/v1/bulk").respond_with_handler(echo_bulk())
    client = twin.new_client()
    items = span_items(3)
    writer = writers.make(client, flush_interval=NEVER)
    writers.write(writer, items)

    twin(lambda c: c.close(), client)

    assert sent_keys(server) == [keys_of(items)]
    with pytest.raises(PrefactorClientError, match="is closed"):
        writers.write(writer, span_items(1, "after"))
    with pytest.raises(PrefactorClientError, match="is closed"):
        writers.make(client)


@pytest.fixture(params=["async", "async-httpx"])
def async_client(request, make_config):
    def make() -> PrefactorHttpClient:
        kind = {"async_transport": "httpx"} if request.param == "async-httpx" else {}
        return PrefactorHttpClient(make_config(**kind))

    return make


def test_a_caller_giving_up_on_close_does_not_stop_the_sender(server, async_client):
    """close() under a timeout used to cancel the task mid-send and strand the taken batch."""
    gate = Gate()
    server.expect_request("/api/v1/bulk").respond_with_handler(gate)
    items = span_items(25)

    async def scenario() -> None:
        async with async_client() as client:
            writer = SpanWriter(client, max_items=10, flush_interval=NEVER)
            for item in items:
                await writer.write(item)
            await asyncio.to_thread(gate.entered.wait, 10)
            with pytest.raises(TimeoutError):
                await asyncio.wait_for(writer.close(), 0.01)
            gate.open.set()
            await writer.close()

    asyncio.run(scenario())
    sent_once = [key for batch in sent_keys(server) for key in batch]
    assert sent_once == keys_of(items)


def test_a_stopped_async_sender_refuses_writes_and_flushes(server, async_client):
    server.expect_request("/api/v1/bulk").respond_with_handler(echo_bulk())
    items = span_items(2)

    async def scenario() -> None:
        async with async_client() as client:
            writer = SpanWriter(client, flush_interval=NEVER)
            await writer.write(items[0])
            await writer.flush()
            task = asyncio.current_task()
            assert task is not None
            sender = next(t for t in asyncio.all_tasks() if t is not task)
            sender.cancel()
            await asyncio.wait((sender,))
            with pytest.raises(PrefactorClientError, match="sender stopped"):
                await writer.write(items[1])
            with pytest.raises(PrefactorClientError, match="sender stopped"):
                await writer.flush()
            await writer.close()

    asyncio.run(scenario())
    assert sent_keys(server) == [keys_of(items[:1])]
