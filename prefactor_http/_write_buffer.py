"""The span writers' bookkeeping, with no I/O: `WriteBuffer`.

The blocking writer (a thread) and the async one (a task) differ only in
how they wait and send, so everything they decide (when a batch is due,
what a failure does to its items, what to report) is here, once.
`WriteBuffer` does not lock: the writers serialise access (the async one
with a thread lock too, as its callers may run in other threads' loops).

`WriteBuffer` is built in layers: `_write_buffer_state.BufferState` holds
where the items are (memory, flight, spool, failures) and reads the spool
back; `_write_buffer_sending.SendingBuffer` is the sender's side; this
module is the writers' side: what a write, a flush and a close ask.
"""

from __future__ import annotations

import time

from prefactor_http import _validate
from prefactor_http._operations.bulk import encode_item
from prefactor_http._write_buffer_sending import SendingBuffer
from prefactor_http.exceptions import (
    PrefactorBufferFullError,
    PrefactorClientError,
    PrefactorDeliveryError,
)
from prefactor_http.models.bulk import BulkItem, WriterStats


class WriteBuffer(SendingBuffer):
    """A span writer's state: items waiting, the batch in flight, failures to report.

    Every accepted item ends in exactly one place: delivered, or in
    `failures` (reported by the next flush() or close()), or, with a spool,
    left in the spool for a later writer; nothing accepted is dropped. Items
    keep their keys across attempts, so a resent batch is replayed, not
    repeated, by the API. Transient failures are retried with capped,
    jittered backoff until the oldest item of the batch is `max_age` old.
    Unreported failures count against `max_buffered` and
    `max_buffered_bytes`, so a writer nobody flushes cannot grow without
    bound.

    With a spool every accepted item is also a row there, and items past
    the memory limits are rows only (`_spilled`), read back a batch at a
    time: the spool, bounded by `max_spool_bytes`, then holds the backlog.

    Unsettled items are always the newest accepted, in order: the batch in
    flight, then the queue. So the first `target - settled` of them are what
    a flush waiting for `target` still waits on (what `give_up` reports).
    """

    # What a write does.

    @staticmethod
    def encode(item: object) -> bytes:
        """Check and encode `item` once, before any lock is taken: a refused item is never held."""
        if not isinstance(item, BulkItem):
            _validate.refuse("item", f"must be a BulkItem, got {type(item).__name__}")
        return encode_item(item, "item")

    def _memory_room(self, size: int) -> bool:
        if self._spilled:
            return False  # items keep their order: the spool's go first
        if len(self._keys) + len(self.failures) >= self._max_buffered:
            return False
        held = self._bytes + self._failed_bytes
        return held == 0 or held + size <= self._max_bytes

    def has_room(self, size: int) -> bool:
        """True when an item of `size` encoded bytes may go in; raises when it never can.

        An item larger than the byte limit on its own goes into an empty
        writer only: refusing it outright would refuse it for ever. With a
        spool, its byte limit is the bound, unless it cannot commit (disk
        full): then memory's.
        """
        if self.closing:
            raise PrefactorClientError(f"{self._owner} is closed: it accepts no more items")
        if self.stopped is not None:
            raise self.stopped
        if self._spool_wanted and self.settings.spool_dir is not None:
            self._spool_wanted = False
            self._open_spool(self.settings.spool_dir)
        spool = self.spool
        if spool is not None and spool.broken is None:
            # Failures not yet reported live in memory only: they stay within its bounds.
            failed = self._failed_bytes
            if len(self.failures) >= self._max_buffered or (
                failed and failed + size > self._max_bytes
            ):
                return False
            return spool.bytes == 0 or spool.bytes + size <= self._max_spool_bytes
        return self._memory_room(size)

    def room_deadline(self, now: float) -> float:
        """When a write that found no room gives up; raises at once with `when_full="raise"`."""
        if self.settings.when_full == "raise":
            raise self.full_error()
        return now + self.settings.block_timeout

    def full_error(self) -> PrefactorBufferFullError:
        spool = self.spool
        if spool is not None and spool.broken is None and not self.failures:
            held = f"{spool.bytes} of max_spool_bytes={self._max_spool_bytes} encoded bytes"
        elif len(self._keys) + len(self.failures) >= self._max_buffered:
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
        now = time.monotonic()
        seq = 0
        spool = self.spool
        if spool is not None:
            # Raises, keeping nothing, if it cannot; 0: kept in memory only (disk full).
            seq = spool.add(key, body, time.time())
            if spool.uncommitted >= self._max_buffered and spool.broken is None:
                # Writing faster than the committer commits: this write commits, so rows
                # waiting for the disk stay within max_buffered.
                spool.commit()
            if seq and not self._memory_room(len(body)):
                keys.add(key)
                self._spilled += 1
                self.accepted += 1
                return self._spilled == 1
            if seq:
                self._loaded = seq
        keys.add(key)
        queue = self._queue
        queue.append((item, body, now, seq))
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

    def report(self) -> WriterStats:
        """Raise, once, every failure since the last report; else why the sender stopped.

        Returns the counts when there is nothing to raise.
        """
        if self.failures:
            failures, self.failures = self.failures, []
            self._failed_bytes = 0
            raise PrefactorDeliveryError(failures, stats=self.stats(failures))
        if self.stopped is not None and not self.closing:
            raise self.stopped
        return self.stats()
