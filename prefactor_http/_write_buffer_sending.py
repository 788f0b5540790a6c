"""The sender's side of a span writer's buffer: the next batch, its outcome, deadlines.

What both writers' senders (a thread, a task) ask of the buffer between
requests, and what a flush or close that runs out of time gives up. A
layer of `WriteBuffer`, on `_write_buffer_state.BufferState`.
"""

from __future__ import annotations

import time

from prefactor_http._operations._core import Call
from prefactor_http._operations.bulk import items_call
from prefactor_http._write_buffer_state import BufferState, unsaved_error
from prefactor_http._writer_policy import TAKE_OVER_INTERVAL, Batch, retry_delay, too_old
from prefactor_http.exceptions import (
    PrefactorClientError,
    PrefactorTimeoutError,
    is_transient_http_error,
)
from prefactor_http.models.bulk import BulkResponse, WriteFailure


class SendingBuffer(BufferState):
    """What a writer's sender does with the buffer (see `WriteBuffer`)."""

    # What the sender does.

    def wake_at(self, idle: float) -> float:
        """When the sender next looks: `idle` (after the flush interval), or a retry's time."""
        return self._retry_at if self._failed_flushes else idle

    def ready(self) -> bool:
        """A batch should go out now (a batch that failed waits for its retry time: `wake_at`).

        Items in the spool count until a read finds none of them (it should
        not happen): then they wait for the next interval rather than keep
        the sender spinning.
        """
        if self._failed_flushes:
            return False
        if self._in_spool_only() and not self._read_nothing:
            return True
        if self._queue:
            return (
                len(self._queue) >= self._max_items
                or self.closing
                or self._flush_wanted > self.settled
            )
        return self.closing and not self._in_spool_only()  # time for the sender to end

    def next_batch(self) -> Batch | None:
        """The next batch, oldest first (empty when nothing waits); None: the sender should end."""
        # The queue, not `_keys`: a write a signal handler interrupted half-way
        # (its key added, its item not queued) must not keep the sender spinning.
        spool = self.spool
        if spool is not None:
            now = time.monotonic()
            if now >= self._next_take_over and not self.closing:
                self._next_take_over = now + TAKE_OVER_INTERVAL
                self._take_over(spool)
            if self._in_spool_only() and len(self._queue) < self._max_items:
                self._read_back(spool, self._max_items - len(self._queue))
        if self.closing and not self._queue and not self._in_spool_only():
            return None
        queue = self._queue
        batch = self._in_flight = [queue.popleft() for _ in range(min(len(queue), self._max_items))]
        return batch

    @staticmethod
    def call(batch: Batch) -> Call[BulkResponse]:
        return items_call(
            items=[e[0] for e in batch], bodies=[e[1] for e in batch], keep_details=False
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
        spool = self.spool
        unprocessed = []
        done = 0
        for entry in batch:
            item, body = entry[0], entry[1]
            key = item.idempotency_key
            output = outputs.get(key)
            if output is None:
                unprocessed.append(entry)
                continue
            self._bytes -= len(body)
            if output.status != "success":
                self.failures.append(WriteFailure(item, output=output))
                self._failed_bytes += len(body)
                self.failed_count += 1
            else:
                done += 1
            keys.discard(key)
            if spool is not None:
                spool.settle(entry[3], len(body))
        self.delivered_count += done
        self._failed_flushes = 0
        self._queue.extendleft(reversed(unprocessed))

    def undelivered(self, batch: Batch, error: Exception) -> None:
        """Settle a batch whose request failed.

        A transient failure puts it back, to be tried after a backoff, until
        its oldest item is `max_age` old (or after `flush_attempts` tries,
        when set); a permanent one is reported. A batch given up on
        meanwhile (`give_up`) was reported already: ignored.
        """
        if batch is not self._in_flight:
            return
        self._in_flight = []
        self._failed_flushes += 1
        attempts = self.settings.flush_attempts
        now = time.monotonic()
        if is_transient_http_error(error):
            oldest = min(entry[2] for entry in batch)
            if now - oldest >= self.settings.max_age:
                error = too_old(self.settings.max_age, error)
            elif attempts is None or self._failed_flushes < attempts:
                self._queue.extendleft(reversed(batch))
                self._retry_at = now + retry_delay(self.settings, self._failed_flushes, error)
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

        Nothing more will be sent, so every unsettled item in memory, the
        batch in flight included (its request may or may not have reached
        the API; resending it with the same keys is safe), becomes a failure
        to report, and writes and flushes are refused from now on. Spilled
        items stay in the spool for a later writer.
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
        A closing writer with a spool leaves them in it instead, for a
        later writer, and they stay pending.
        Returns how many items were given up.
        """
        left = target - self.settled
        if left <= 0:
            return 0
        spool = self.spool
        if spool is not None:
            if not self.closing:
                return 0  # a flush: the items stay pending, still being sent
            spool.commit()  # what can still be saved is
            held = [*self._in_flight, *self._queue]
            self._in_flight = []
            self._queue.clear()
            self._spilled = 0
            self._fail([e for e in held if spool.unsaved(e[3])], unsaved_error(spool))
            return left
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
