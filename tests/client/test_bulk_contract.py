"""The bulk contract: every bulk path refuses, alike, an answer that cannot say which items ran."""

from __future__ import annotations

import pytest
from conftest import error, sent, span_json, success

from prefactor_http import BulkRequest, PrefactorDeliveryError, PrefactorResponseContractError
from tests.support.bulk import keys_of, span_items
from tests.support.writers import NEVER, Writers

ITEMS = span_items(3, "contract-key")
FIRST, SECOND, THIRD = keys_of(ITEMS)
RAN = success(span_json())

# Answers to ITEMS the API cannot give, and what the refusal says of each.
BROKEN = {
    "an output for a key never sent": (
        {FIRST: RAN, SECOND: RAN, THIRD: RAN, "never-sent-key": RAN},
        "1 output(s) for keys never sent: 'never-sent-key'",
    ),
    "an output missing, none refused": (
        {FIRST: RAN, SECOND: RAN},
        f"no output for 1 item(s) with no refused item before them: {THIRD!r}",
    ),
    "an output missing before the refused item": (
        {FIRST: RAN, THIRD: error("validation_error", "bad")},
        f"no output for 1 item(s) with no refused item before them: {SECOND!r}",
    ),
}


def by_execute(twin):
    """`execute` raises: the caller resends its whole request."""
    with pytest.raises(PrefactorResponseContractError) as caught:
        twin(lambda c: c.bulk.execute(BulkRequest(items=ITEMS)))
    return caught.value, keys_of(ITEMS)


def by_execute_many(twin):
    """`execute_many` stops with the error, the chunk's keys unconfirmed, none succeeded."""
    result = twin(lambda c: c.bulk.execute_many(ITEMS, chunk_size=len(ITEMS)))
    assert (result.ok, result.succeeded, result.failed, result.outputs) == (False, [], None, {})
    return result.error, result.unconfirmed


def by_writer(twin):
    """A span writer reports every item of the batch with the error, and sends none again."""
    writers = Writers(twin)
    writer = writers.make(max_items=100, flush_interval=NEVER)
    writers.write(writer, ITEMS)
    with pytest.raises(PrefactorDeliveryError) as caught:
        writers.run(writer.close)
    [error] = {id(f.error): f.error for f in caught.value.failures}.values()
    assert all(f.output is None for f in caught.value.failures)
    return error, [f.item.idempotency_key for f in caught.value.failures]


@pytest.mark.parametrize("send", [by_execute, by_execute_many, by_writer])
@pytest.mark.parametrize("outputs", list(BROKEN), ids=list(BROKEN))
def test_an_answer_breaking_the_bulk_contract_is_refused_alike(server, twin, send, outputs):
    """Refused whole, never retried, naming the keys at fault; every item is left to resend."""
    body, problem = BROKEN[outputs]
    server.expect_request("/api/v1/bulk").respond_with_json({"status": "success", "outputs": body})

    refusal, to_resend = send(twin)

    [(_, _, headers, sent_body)] = sent(server)
    assert isinstance(refusal, PrefactorResponseContractError)
    assert problem in str(refusal)
    assert refusal.idempotency_key == headers["idempotency-key"]
    assert to_resend == keys_of(ITEMS) == [item["idempotency_key"] for item in sent_body["items"]]
