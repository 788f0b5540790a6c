"""Bookkeeping for sending items in bulk batches, with no I/O.

`BulkRun` is `execute_many`'s: the chunks to send and what became of each
key. `WriteBuffer` is the span writers': the blocking writer (a thread) and
the async one (a task) differ only in how they wait and send, so everything
they decide (when a batch is due, what a failure does to its items, what to
report) is here, once. Neither class locks: the writers serialise access.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from prefactor_http import _validate
from prefactor_http.exceptions import (
    PrefactorBufferFullError,
    PrefactorDeliveryError,
    PrefactorHttpError,
    PrefactorResponseContractError,
    is_transient_http_error,
)
from prefactor_http.models.bulk import (
    BulkBatchResult,
    BulkItem,
    BulkOutput,
    BulkResponse,
    WriteFailure,
    check_items,
)

# Measured by benchmarks/bench.py: per-item CPU stops falling past a few hundred items,
# while a larger request holds more memory and loses more work to one failure.
DEFAULT_CHUNK_SIZE = 500

WhenFull = Literal["block", "raise"]


def _count(field: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        _validate.refuse(field, f"must be a positive int, got {value!r}")
    return value


def _seconds(field: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value < math.inf:
        _validate.refuse(field, f"must be a positive, finite number of seconds, got {value!r}")
    return float(value)


class BulkRun:
    """`execute_many`'s state: every item checked up front, then sent chunk by chunk."""

    def __init__(self, items: object, chunk_size: object) -> None:
        self.chunk_size = _count("chunk_size", chunk_size)
        # Keys must be unique across the run, not just per chunk: a repeated key
        # in a later request would replay the first item's outcome, not act.
        self.items = check_items(items)
        self._outputs: dict[str, BulkOutput] = {}
        self._sent = 0
        self._stopped = False
        self._error: PrefactorHttpError | None = None
        self._unconfirmed: list[str] = []

    def chunks(self) -> Iterator[list[BulkItem]]:
        """The chunks still to send; ends early once an item or a request failed."""
        for start in range(0, len(self.items), self.chunk_size):
            if self._stopped:
                return
            chunk = self.items[start : start + self.chunk_size]
            self._sent = start + len(chunk)
            yield chunk

    def record(self, response: BulkResponse) -> None:
        self._outputs.update(response.outputs)
        if not response.ok:
            self._stopped = True

    def interrupt(self, chunk: list[BulkItem], error: PrefactorHttpError) -> None:
        self._stopped = True
        self._error = error
        self._unconfirmed = [item.idempotency_key for item in chunk]

    def result(self) -> BulkBatchResult:
        return BulkBatchResult(
            keys=[item.idempotency_key for item in self.items],
            outputs=self._outputs,
            sent_count=self._sent,
            error=self._error,
            unconfirmed=self._unconfirmed,
        )


@dataclass(frozen=True)
class WriterSettings:
    """A span writer's limits, checked once, before it starts."""

    max_items: int
    flush_interval: float
    max_buffered: int
    when_full: WhenFull
    block_timeout: float
    flush_attempts: int

    def __post_init__(self) -> None:
        _count("max_items", self.max_items)
        _seconds("flush_interval", self.flush_interval)
        _count("max_buffered", self.max_buffered)
        if self.max_buffered < self.max_items:
            _validate.refuse(
                "max_buffered",
                f"must be at least max_items ({self.max_items}), got {self.max_buffered}",
            )
        _validate.choice("when_full", self.when_full, ("block", "raise"))
        _seconds("block_timeout", self.block_timeout)
        _count("flush_attempts", self.flush_attempts)


class WriteBuffer:
    """Accepted items waiting to be sent, the batch in flight, and what could not be delivered.

    Every accepted item ends in exactly one place: delivered, or in
    `failures` (reported to the caller), so nothing accepted is dropped.
    Items keep their keys across attempts, so a resent batch is replayed,
    not repeated, by the API.
    """

    def __init__(self, settings: WriterSettings) -> None:
        self.settings = settings
        # Read on every write: kept as plain attributes (a write must cost a microsecond or two).
        self._max_items = settings.max_items
        self._max_buffered = settings.max_buffered
        self._queue: deque[BulkItem] = deque()
        self._keys: set[str] = set()  # buffered or in flight
        self._failed_flushes = 0
        self.failures: list[WriteFailure] = []
        self.accepted = 0
        self.settled = 0  # delivered or failed

    @property
    def pending(self) -> int:
        """Items accepted and not yet settled."""
        return len(self._keys)

    def has_room(self) -> bool:
        return len(self._keys) < self._max_buffered

    def full_error(self) -> PrefactorBufferFullError:
        return PrefactorBufferFullError(
            f"span writer buffer is full ({self.settings.max_buffered} items): the item "
            "was not accepted; the API is slower than the writes, or unreachable"
        )

    def add(self, item: object) -> bool:
        """Accept `item`; True when this item completed a batch (the sender should wake)."""
        if not isinstance(item, BulkItem):
            _validate.refuse("item", f"must be a BulkItem, got {type(item).__name__}")
        key = item.idempotency_key
        keys = self._keys
        if key in keys:
            _validate.refuse(
                "item.idempotency_key",
                f"repeats {key!r} of an item not yet sent: keys must be unique",
            )
        keys.add(key)
        queue = self._queue
        queue.append(item)
        self.accepted += 1
        return len(queue) == self._max_items

    def due(self) -> bool:
        return len(self._queue) >= self._max_items

    def take(self) -> list[BulkItem]:
        """The next batch, oldest first (empty when nothing waits)."""
        queue = self._queue
        count = min(len(queue), self._max_items)
        return [queue.popleft() for _ in range(count)]

    def delivered(self, batch: list[BulkItem], response: BulkResponse) -> None:
        """Settle a batch the API answered.

        Items that ran are done, a refused one is a failure, and the items
        after it (never processed) go back to the front, in order.
        """
        outputs = response.outputs
        keys = self._keys
        unprocessed = []
        refused = False
        for item in batch:
            key = item.idempotency_key
            output = outputs.get(key)
            if output is None:
                unprocessed.append(item)
                continue
            if output.status != "success":
                refused = True
                self.failures.append(WriteFailure(item, output=output))
            keys.discard(key)
        self.settled += len(batch) - len(unprocessed)
        if unprocessed and not refused:
            # The API only skips items after a refused one; anything else is a
            # bad answer, and resending forever would hide it.
            problem = PrefactorResponseContractError(
                f"the answer has no output for {len(unprocessed)} item(s), none refused",
                200,
                method="POST",
                path="/api/v1/bulk",
            )
            self.undelivered(unprocessed, problem)
            return
        self._failed_flushes = 0
        self._queue.extendleft(reversed(unprocessed))

    def undelivered(self, batch: list[BulkItem], error: Exception) -> None:
        """Settle a batch whose request failed.

        It is tried again later, or reported when the error is permanent or
        the batch has failed `flush_attempts` times in a row.
        """
        self._failed_flushes += 1
        if is_transient_http_error(error) and self._failed_flushes < self.settings.flush_attempts:
            self._queue.extendleft(reversed(batch))
            return
        self._failed_flushes = 0
        for item in batch:
            self.failures.append(WriteFailure(item, error=error))
            self._settle(item)

    def retrying(self) -> bool:
        """True while the last flush failed and its batch waits for another attempt."""
        return self._failed_flushes > 0

    def _settle(self, item: BulkItem) -> None:
        self._keys.discard(item.idempotency_key)
        self.settled += 1

    def raise_failures(self) -> None:
        """Report, once, every item that could not be delivered since the last report."""
        if self.failures:
            failures, self.failures = self.failures, []
            raise PrefactorDeliveryError(failures)
