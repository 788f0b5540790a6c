"""`execute_many`'s bookkeeping, with no I/O: the chunks to send and what became of each key.

Both clients' `bulk.execute_many` drive a `BulkRun`: it checks and encodes
every item before the first request, hands out one call per chunk, and
turns what each request answered (or how it failed) into the
`BulkBatchResult`.
"""

from __future__ import annotations

from collections.abc import Iterator

from prefactor_http import _validate
from prefactor_http._operations._core import Call
from prefactor_http._operations.bulk import encode_items, items_call
from prefactor_http.exceptions import PrefactorHttpError
from prefactor_http.models.bulk import BulkBatchResult, BulkOutput, BulkResponse, check_items

# Measured by benchmarks/bench.py: per-item CPU stops falling past a few hundred items,
# while a larger request holds more memory and loses more work to one failure.
DEFAULT_CHUNK_SIZE = 500


class BulkRun:
    """`execute_many`'s state: every item checked up front, then sent chunk by chunk."""

    def __init__(self, items: object, chunk_size: object) -> None:
        self.chunk_size = _validate.count("chunk_size", chunk_size)
        # Keys must be unique across the run, not just per chunk: a repeated key
        # in a later request would replay the first item's outcome, not act.
        self.items = check_items(items)
        # Encoded now, chunk by chunk, so an item JSON cannot carry stops the run before
        # anything is sent.
        self._bodies = [
            encode_items(self.items[start : start + self.chunk_size], start)
            for start in range(0, len(self.items), self.chunk_size)
        ]
        self._outputs: dict[str, BulkOutput] = {}
        self._sent = 0
        self._chunk = range(0)  # indices of the chunk being sent
        self._stopped = False
        self._error: Exception | None = None
        self._unconfirmed: list[str] = []

    def calls(self) -> Iterator[Call[BulkResponse]]:
        """The request for each chunk still to send; ends early once an item or a request failed."""
        for start in range(0, len(self.items), self.chunk_size):
            if self._stopped:
                return
            end = min(start + self.chunk_size, len(self.items))
            self._chunk = range(start, end)
            body = self._bodies[start // self.chunk_size]
            yield items_call(items=self.items[start:end], bodies=[body])

    def record(self, response: BulkResponse) -> None:
        self._sent = self._chunk.stop
        self._outputs.update(response.outputs)
        if not response.ok:
            self._stopped = True

    def interrupt(self, error: PrefactorHttpError) -> None:
        """The chunk's request failed after it may have reached the API: its outcome is unknown."""
        self._sent = self._chunk.stop
        self._stopped = True
        self._error = error
        self._unconfirmed = [self.items[i].idempotency_key for i in self._chunk]

    def abandon(self, error: Exception) -> None:
        """The chunk could not be sent at all (the client was closed): it stays in `not_sent`."""
        self._stopped = True
        self._error = error

    def result(self) -> BulkBatchResult:
        return BulkBatchResult(
            keys=[item.idempotency_key for item in self.items],
            outputs=self._outputs,
            sent_count=self._sent,
            error=self._error,
            unconfirmed=self._unconfirmed,
        )
