"""The span writers' bookkeeping, with no I/O: `WriterSettings` and `WriteBuffer`.

The blocking writer (a thread) and the async one (a task) differ only in
how they wait and send, so everything they decide (when a batch is due,
what a failure does to its items, what to report) is here, once.
`WriteBuffer` does not lock: the writers serialise access (the async one
with a thread lock too, as its callers may run in other threads' loops).
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import Literal

from prefactor_http import _validate
from prefactor_http._operations._core import Call
from prefactor_http._operations.bulk import encode_item, items_call
from prefactor_http.exceptions import (
    PrefactorBufferFullError,
    PrefactorClientError,
    PrefactorDeliveryError,
    PrefactorTimeoutError,
    is_transient_http_error,
)
from prefactor_http.models.bulk import BulkItem, BulkResponse, WriteFailure

# What a span writer holds at most, in encoded bytes, unless told otherwise.
DEFAULT_MAX_BUFFERED_BYTES = 64 * 1024 * 1024

WhenFull = Literal["block", "raise"]


@dataclass(frozen=True)
class WriterSettings:
    """A span writer's limits, checked once, before it starts."""

    max_items: int
    flush_interval: float
    max_buffered: int
    when_full: WhenFull
    block_timeout: float
    flush_attempts: int
    max_buffered_bytes: int = DEFAULT_MAX_BUFFERED_BYTES
    exit_timeout: float = 10.0

    def __post_init__(self) -> None:
        _validate.count("max_items", self.max_items)
        _validate.seconds("flush_interval", self.flush_interval)
        _validate.count("max_buffered", self.max_buffered)
        if self.max_buffered < self.max_items:
            _validate.refuse(
                "max_buffered",
                f"must be at least max_items ({self.max_items}), got {self.max_buffered}",
            )
        _validate.choice("when_full", self.when_full, ("block", "raise"))
        _validate.seconds("block_timeout", self.block_timeout)
        _validate.count("flush_attempts", self.flush_attempts)
        _validate.count("max_buffered_bytes", self.max_buffered_bytes)
        _validate.seconds("exit_timeout", self.exit_timeout)


Batch = list[tuple[BulkItem, bytes]]  # items with their encoded bodies


class WriteBuffer:
    """A span writer's state: items waiting, the batch in flight, failures to report.

    Every accepted item ends in exactly one place: delivered, or in
    `failures` (reported by the next flush() or close()), so nothing accepted
    is dropped. Items keep their keys across attempts, so a resent batch is
    replayed, not repeated, by the API. Unreported failures count against
    `max_buffered` and `max_buffered_bytes`, so a writer nobody flushes
    cannot grow without bound.

    Unsettled items are always the newest accepted, in order: the batch in
    flight, then the queue. So the first `target - settled` of them are what
    a flush waiting for `target` still waits on (what `give_up` reports).
    """

    def __init__(self, settings: WriterSettings, owner: str) -> None:
        self.settings = settings
        self._owner = owner
        # Read on every write: kept as plain attributes (a write must cost a microsecond or two).
        self._max_items = settings.max_items
        self._max_buffered = settings.max_buffered
        self._max_bytes = settings.max_buffered_bytes
        self._bytes = 0  # encoded size of the items waiting or in flight
        self._failed_bytes = 0  # and of the failures not yet reported
        self._deadlines: list[float] = []  # of the flush() and close() calls waiting
        self._queue: deque[tuple[BulkItem, bytes]] = deque()
        self._keys: set[str] = set()  # buffered or in flight
        self._in_flight: Batch = []
        self._failed_flushes = 0
        self._flush_wanted = 0  # `accepted` count a flush() waits to see settled
        self.closing = False
        self.stopped: PrefactorClientError | None = None  # why the sender ended early
        self.failures: list[WriteFailure] = []
        self.accepted = 0
        self.settled = 0  # delivered or failed

    @property
    def pending(self) -> int:
        """Items accepted and not yet settled."""
        return len(self._keys)

    @property
    def held_bytes(self) -> int:
        """Encoded bytes held: items waiting or in flight, and failures not yet reported."""
        return self._bytes + self._failed_bytes

    # What a write does.

    @staticmethod
    def encode(item: object) -> bytes:
        """Check and encode `item` once, before any lock is taken: a refused item is never held."""
        if not isinstance(item, BulkItem):
            _validate.refuse("item", f"must be a BulkItem, got {type(item).__name__}")
        return encode_item(item, "item")

    def has_room(self, size: int) -> bool:
        """True when an item of `size` encoded bytes may go in; raises when it never can.

        An item larger than `max_buffered_bytes` on its own goes into an
        empty writer only: refusing it outright would refuse it for ever.
        """
        if self.closing:
            raise PrefactorClientError(f"{self._owner} is closed: it accepts no more items")
        if self.stopped is not None:
            raise self.stopped
        if len(self._keys) + len(self.failures) >= self._max_buffered:
            return False
        held = self._bytes + self._failed_bytes
        return held == 0 or held + size <= self._max_bytes

    def room_deadline(self, now: float) -> float:
        """When a write that found no room gives up; raises at once with `when_full="raise"`."""
        if self.settings.when_full == "raise":
            raise self.full_error()
        return now + self.settings.block_timeout

    def full_error(self) -> PrefactorBufferFullError:
        if len(self._keys) + len(self.failures) >= self._max_buffered:
            held = f"{self.settings.max_buffered} items"
        else:
            held = f"{self.held_bytes} of max_buffered_bytes={self._max_bytes} encoded bytes"
        if self.failures:
            return PrefactorBufferFullError(
                f"span writer buffer is full ({held}, {len(self.failures)} of them failed and "
                "not yet reported): the item was not accepted; call flush() to collect the "
                "failures and make room"
            )
        return PrefactorBufferFullError(
            f"span writer buffer is full ({held}): the item was not accepted; "
            "the API is slower than the writes, or unreachable"
        )

    def add(self, item: BulkItem, body: bytes) -> bool:
        """Accept `item`; True when this item completed a batch (the sender should wake)."""
        key = item.idempotency_key
        keys = self._keys
        if key in keys:
            _validate.refuse(
                "item.idempotency_key",
                f"repeats {key!r} of an item not yet sent: keys must be unique",
            )
        keys.add(key)
        queue = self._queue
        queue.append((item, body))
        self._bytes += len(body)
        self.accepted += 1
        return len(queue) == self._max_items

    # What flush() and close() do.

    def want_flush(self) -> int:
        """Ask the sender to send everything accepted so far; the `accepted` count to wait for."""
        target = self.accepted
        self._flush_wanted = max(self._flush_wanted, target)
        return target

    def flushed(self, target: int) -> bool:
        return self.settled >= target or self.stopped is not None

    def report(self) -> None:
        """Raise, once, every failure since the last report; else why the sender stopped."""
        if self.failures:
            failures, self.failures = self.failures, []
            self._failed_bytes = 0
            raise PrefactorDeliveryError(failures)
        if self.stopped is not None and not self.closing:
            raise self.stopped

    # What the sender does.

    def ready(self) -> bool:
        """A batch should go out now.

        After a failed flush only closing cuts the wait short: the batch is
        tried again after `flush_interval` otherwise.
        """
        if self._failed_flushes:
            return self.closing
        return (
            len(self._queue) >= self._max_items
            or self.closing
            or (self._flush_wanted > self.settled)
        )

    def next_batch(self) -> Batch | None:
        """The next batch, oldest first (empty when nothing waits); None: the sender should end."""
        # The queue, not `_keys`: a write a signal handler interrupted half-way
        # (its key added, its item not queued) must not keep the sender spinning.
        if self.closing and not self._queue:
            return None
        queue = self._queue
        batch = self._in_flight = [queue.popleft() for _ in range(min(len(queue), self._max_items))]
        return batch

    @staticmethod
    def call(batch: Batch) -> Call[BulkResponse]:
        return items_call(
            items=[i for i, _ in batch], bodies=[b for _, b in batch], keep_details=False
        )

    def delivered(self, batch: Batch, response: BulkResponse) -> None:
        """Settle a batch the API answered.

        Items that ran are done, a refused one is a failure, and the items
        after it (never processed) go back to the front, in order. An answer
        that breaks the bulk contract never gets here: its read raised, and
        the batch went to `undelivered`. A batch given up on meanwhile
        (`give_up`) was reported already: ignored.
        """
        if batch is not self._in_flight:
            return
        self._in_flight = []
        outputs = response.outputs
        keys = self._keys
        unprocessed = []
        for entry in batch:
            item = entry[0]
            key = item.idempotency_key
            output = outputs.get(key)
            if output is None:
                unprocessed.append(entry)
                continue
            self._bytes -= len(entry[1])
            if output.status != "success":
                self.failures.append(WriteFailure(item, output=output))
                self._failed_bytes += len(entry[1])
            keys.discard(key)
        self.settled += len(batch) - len(unprocessed)
        self._failed_flushes = 0
        self._queue.extendleft(reversed(unprocessed))

    def undelivered(self, batch: Batch, error: Exception) -> None:
        """Settle a batch whose request failed.

        It is tried again later, or reported when the error is permanent or
        the batch has failed `flush_attempts` times in a row. A batch given up
        on meanwhile (`give_up`) was reported already: ignored.
        """
        if batch is not self._in_flight:
            return
        self._in_flight = []
        self._failed_flushes += 1
        if is_transient_http_error(error) and self._failed_flushes < self.settings.flush_attempts:
            self._queue.extendleft(reversed(batch))
            return
        self._failed_flushes = 0
        self._fail(batch, error)

    def take_back_in_flight(self) -> None:
        """The sender's event loop is gone: its batch in flight goes back to the front.

        The next sender sends it again, with the same keys: its request may
        have reached the API, which replays what it already did.
        """
        self._queue.extendleft(reversed(self._in_flight))
        self._in_flight = []

    def sender_ended(self, cause: BaseException) -> None:
        """The sender stopped before closing finished (cancelled, or crashed).

        Nothing more will be sent, so every unsettled item, the batch in
        flight included (its request may or may not have reached the API;
        resending it with the same keys is safe), becomes a failure to
        report, and writes and flushes are refused from now on.
        """
        self.stopped = PrefactorClientError(
            f"{self._owner}'s sender stopped ({type(cause).__name__}: {cause}); "
            "create a new writer to send more"
        )
        self.stopped.__cause__ = cause
        self.take_back_in_flight()
        self._fail(list(self._queue), self.stopped)
        self._queue.clear()

    # Deadlines: flush(timeout=) and close(timeout=).

    def add_deadline(self, deadline: float) -> None:
        self._deadlines.append(deadline)

    def remove_deadline(self, deadline: float) -> None:
        self._deadlines.remove(deadline)

    def call_timeout(self, now: float) -> float | None:
        """The `timeout=` for the next request: the time left to the nearest deadline, if any."""
        if not self._deadlines:
            return None
        return max(min(self._deadlines) - now, 0.001)

    def give_up(self, target: int, waited: str, ended: str = "ran out") -> int:
        """A flush or close waiting for `target` ran out of time: report what it still waits on.

        The batch in flight (whole: its request may have reached the API) and
        the oldest queued items up to `target` become failures with a
        PrefactorTimeoutError; the sender will not send or retry them, and
        ignores the in-flight batch's outcome when it comes. `ended` says
        how `waited` ended ("was abandoned": a second Ctrl-C at exit).
        Returns how many items were given up.
        """
        left = target - self.settled
        if left <= 0:
            return 0
        given = 0
        batch, self._in_flight = self._in_flight, []
        if batch:
            self._failed_flushes = 0
            error = PrefactorTimeoutError(
                f"{waited} {ended} while the request carrying the item was unanswered: it may "
                "have reached the API; sending it again with the same key is safe",
                method="POST",
                path="/api/v1/bulk",
            )
            self._fail(batch, error)
            given += len(batch)
        queue = self._queue
        unsent = [queue.popleft() for _ in range(min(left - given, len(queue)))]
        if unsent:
            error = PrefactorTimeoutError(
                f"{waited} {ended} before the item was sent",
                method="POST",
                path="/api/v1/bulk",
                request_sent=False,
            )
            self._fail(unsent, error)
            given += len(unsent)
        return given

    def _fail(self, batch: Batch, error: Exception) -> None:
        keys = self._keys
        for item, body in batch:
            self.failures.append(WriteFailure(item, error=error))
            keys.discard(item.idempotency_key)
            self._bytes -= len(body)
            self._failed_bytes += len(body)
        self.settled += len(batch)
