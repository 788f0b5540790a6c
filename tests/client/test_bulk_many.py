"""execute_many: chunks on the wire, stopping where the API stops, and the report."""

from __future__ import annotations

import pytest
from conftest import sent

from prefactor_http import (
    BulkBatchResult,
    BulkOutput,
    BulkResponse,
    PrefactorClientError,
    PrefactorServerError,
    PrefactorValidationError,
)
from prefactor_http._bulk_run import BulkRun
from tests.support.bulk import echo_bulk, keys_of, sent_keys, span_item, span_items


@pytest.mark.parametrize(("count", "chunks"), [(7, [3, 3, 1]), (6, [3, 3]), (2, [2])])
def test_items_go_out_in_order_in_chunks_of_chunk_size(server, twin, count, chunks):
    """Each request carries up to chunk_size items, in order, each with its own key."""
    server.expect_request("/api/v1/bulk", method="POST").respond_with_handler(echo_bulk())
    items = span_items(count)

    result = twin(lambda c: c.bulk.execute_many(items, chunk_size=3))

    assert [len(keys) for keys in sent_keys(server)] == chunks
    assert [k for keys in sent_keys(server) for k in keys] == keys_of(items)
    assert sent(server)[0][3]["items"][0] == items[0].to_dict()
    assert isinstance(result, BulkBatchResult)
    assert result.ok
    assert result.succeeded == keys_of(items)
    assert (result.failed, result.not_processed, result.not_sent) == (None, [], [])
    last = items[-1].idempotency_key
    assert result.outputs[last].details["id"] == last


def test_a_refused_item_stops_the_run_and_the_rest_are_reported(server, twin):
    """Like the API: items before the refused one ran, the rest never did nor were sent."""
    items = span_items(8)
    server.expect_request("/api/v1/bulk").respond_with_handler(
        echo_bulk(refuse=frozenset({"span-key-0004"}))
    )

    result = twin(lambda c: c.bulk.execute_many(items, chunk_size=3))

    assert sent_keys(server) == [keys_of(items[:3]), keys_of(items[3:6])]
    assert not result.ok
    assert result.succeeded == keys_of(items[:4])
    assert result.failed == "span-key-0004"
    assert result.outputs["span-key-0004"].message == "span-key-0004 is bad"
    assert result.not_processed == keys_of(items[5:])
    assert result.not_sent == keys_of(items[6:])
    assert (result.error, result.unconfirmed) == (None, [])


def test_a_failed_request_stops_the_run_with_its_chunk_unconfirmed(server, twin):
    """A request that fails for good: its items' fate is unknown, later chunks are not sent."""
    items = span_items(7)
    server.expect_request("/api/v1/bulk").respond_with_handler(echo_bulk(fail_request=1))
    client = twin.new_client(max_retries=0)

    result = twin(lambda c: c.bulk.execute_many(items, chunk_size=3), client)

    assert len(sent_keys(server)) == 2
    assert not result.ok
    assert isinstance(result.error, PrefactorServerError)
    assert result.succeeded == keys_of(items[:3])
    assert result.unconfirmed == keys_of(items[3:6])
    assert result.not_processed == keys_of(items[6:])
    assert result.not_sent == keys_of(items[6:])
    assert result.failed is None


def test_keys_are_unique_across_chunks_before_anything_is_sent(server, twin):
    """A key repeated in a later chunk would replay the first item's outcome: refused up front."""
    items = [*span_items(4), *span_items(1)]

    with pytest.raises(PrefactorValidationError) as caught:
        twin(lambda c: c.bulk.execute_many(items, chunk_size=2))

    assert caught.value.errors == {
        "items[4].idempotency_key": ["repeats 'span-key-0000' of items[0]: keys must be unique"]
    }
    assert server.log == []


@pytest.mark.parametrize("chunk_size", [0, -1, 2.5, True, "10"])
def test_chunk_size_must_be_a_positive_int(server, twin, chunk_size):
    with pytest.raises(PrefactorValidationError) as caught:
        twin(lambda c: c.bulk.execute_many(span_items(2), chunk_size=chunk_size))

    assert list(caught.value.errors) == ["chunk_size"]
    assert server.log == []


def test_params_json_cannot_encode_are_refused_before_any_chunk_is_sent(server, twin):
    """Found only when its chunk was encoded, a bad item used to stop a run half sent."""
    items = span_items(10)
    items[7] = span_item("span-key-0007", tags={"a", "b"})

    with pytest.raises(PrefactorValidationError) as caught:
        twin(lambda c: c.bulk.execute_many(items, chunk_size=3))

    assert list(caught.value.errors) == ["items[7].payload.tags"]
    assert "not JSON-serializable" in caught.value.errors["items[7].payload.tags"][0]
    assert server.log == []


def test_a_run_stopped_by_a_closed_client_reports_the_rest_not_sent():
    """A chunk the closed client never sent is `not_sent`, not `unconfirmed`."""
    items = span_items(5)
    run = BulkRun(items, 2)
    calls = run.calls()
    next(calls)
    done = {key: BulkOutput(status="success") for key in keys_of(items[:2])}
    run.record(BulkResponse(status="success", outputs=done, requested_keys=keys_of(items[:2])))
    next(calls)
    closed = PrefactorClientError("closed")
    run.abandon(closed)

    result = run.result()
    assert list(calls) == []
    assert result.error is closed
    assert result.unconfirmed == []
    assert result.not_sent == keys_of(items[2:])
    assert result.succeeded == keys_of(items[:2])
