"""The span writers' bookkeeping, with no I/O: `WriteBuffer`.

The blocking writer (a thread) and the async one (a task) differ only in
how they wait and send, so everything they decide (when a batch is due,
what a failure does to its items, what to report) is here, once.
`WriteBuffer` does not lock: the writers serialise access (the async one
with a thread lock too, as its callers may run in other threads' loops).
"""

from __future__ import annotations

import logging
import time
from collections import deque

from prefactor_http import _validate
from prefactor_http._operations._core import Call
from prefactor_http._operations.bulk import encode_item, items_call
from prefactor_http._spool import Spool
from prefactor_http._writer_policy import (
    TAKE_OVER_INTERVAL,
    Batch,
    Entry,
    WriterSettings,
    repeated,
    retry_delay,
    too_old,
)
from prefactor_http.exceptions import (
    PrefactorBufferFullError,
    PrefactorClientError,
    PrefactorDeliveryError,
    PrefactorTimeoutError,
    is_transient_http_error,
)
from prefactor_http.models.bulk import (
    BulkItem,
    BulkResponse,
    WriteFailure,
    WriterStats,
    item_from_body,
)

logger = logging.getLogger("prefactor_http")


class WriteBuffer:
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

    def __init__(self, settings: WriterSettings, owner: str, *, open_spool: bool = True) -> None:
        self.settings = settings
        self._owner = owner
        # Read on every write: kept as plain attributes (a write must cost a microsecond or two).
        self._max_items = settings.max_items
        self._max_buffered = settings.max_buffered
        self._max_bytes = settings.max_buffered_bytes
        self._bytes = 0  # encoded size of the items waiting or in flight in memory
        self._failed_bytes = 0  # and of the failures not yet reported
        self._deadlines: list[float] = []  # of the flush() and close() calls waiting
        self._queue: deque[Entry] = deque()
        self._keys: set[str] = set()  # unsettled: in memory, in flight or spilled
        self._in_flight: Batch = []
        self._failed_flushes = 0
        self._retry_at = 0.0  # when a batch that failed transiently is tried again
        self._flush_wanted = 0  # `accepted` count a flush() waits to see settled
        self.closing = False
        self.stopped: PrefactorClientError | None = None  # why the sender ended early
        self.failures: list[WriteFailure] = []
        self.accepted = 0
        self.delivered_count = 0
        self.failed_count = 0
        self.taken_over = 0  # of `accepted`: items dead writers left in the spool
        self.spool: Spool | None = None
        self._spilled = 0  # items in the spool only, past what memory holds
        self._loaded = 0  # the last spool row read into memory
        self._max_spool_bytes = settings.max_spool_bytes
        self._next_take_over = 0.0
        self._read_nothing = False  # the last read from the spool found nothing
        # A forked child's writer opens its spool when it is first written to: a child
        # that never writes (a pool worker, a prefork server's) makes no file.
        self._spool_wanted = settings.spool_dir is not None and not open_spool
        if settings.spool_dir is not None and open_spool:
            self._open_spool(settings.spool_dir)

    def _open_spool(self, directory: str) -> None:
        spool = self.spool = Spool(directory, self.settings.spool_sync, self._owner)
        # What dead writers left is this writer's from the start: a flush() right
        # away sends it too.
        self._take_over(spool)
        self._next_take_over = time.monotonic() + TAKE_OVER_INTERVAL

    @property
    def settled(self) -> int:
        """Items delivered or failed."""
        return self.delivered_count + self.failed_count

    @property
    def pending(self) -> int:
        """Items accepted and not yet settled."""
        return self.accepted - self.delivered_count - self.failed_count

    @property
    def held_bytes(self) -> int:
        """Encoded bytes in memory: items waiting or in flight, and failures not yet reported."""
        return self._bytes + self._failed_bytes

    def stats(self, failures: list[WriteFailure] | None = None) -> WriterStats:
        return WriterStats(
            accepted=self.accepted,
            delivered=self.delivered_count,
            failed=self.failed_count,
            pending=self.pending,
            taken_over=self.taken_over,
            failures=tuple(failures or ()),
        )

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

    def close_spool(self) -> int:
        """Release the spool at close; returns the items left in it for a later writer.

        Spilled items a failing disk kept in memory only cannot stay: they
        become failures, reported with the rest.
        """
        spool, self.spool = self.spool, None
        if spool is None:
            return 0
        spool.commit()
        unsaved = spool.unsaved_rows(self._loaded)
        if unsaved:
            error = _unsaved(spool)
            for _, key, body, _ in unsaved:
                self.failures.append(WriteFailure(item_from_body(key, body), error=error))
                self._keys.discard(key)
            self.failed_count += len(unsaved)
            self._spilled = max(0, self._spilled - len(unsaved))
        left = spool.close()
        kept = self.pending
        if kept:
            logger.warning(
                "span writer: %d accepted item(s) not delivered are kept in %s; "
                "the next writer on %s sends them, with their keys",
                kept,
                spool.path,
                spool.directory,
            )
        if left > kept:  # their deletes could not commit (disk full)
            logger.info(
                "span writer: %d delivered or reported item(s) are still in %s; the next "
                "writer sends them again, with their keys, and the API replays them",
                left - kept,
                spool.path,
            )
        return kept

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

    def _in_spool_only(self) -> int:
        """Items that wait in the spool, not in memory: spilled, or in dead writers' files."""
        spool = self.spool
        return self._spilled + spool.taken_unread if spool is not None else 0

    def _take_over(self, spool: Spool) -> None:
        """Hold every dead writer's file in the spool directory: its items are now this writer's."""
        taken = spool.take_over()
        self.accepted += taken
        self.taken_over += taken

    def _read_back(self, spool: Spool, limit: int) -> None:
        """Queue up to `limit` items from the spool: taken-over ones first, then spilled ones.

        Items older than `max_age` fail without being sent; an item whose key
        is already pending here fails too (one request cannot carry a key twice).
        """
        taken = bool(spool.taken_unread)
        rows = spool.load_taken(limit) if taken else spool.load(self._loaded, limit)
        self._read_nothing = not rows
        if spool.lost_taken:  # a taken-over file failed part-way: said, counted, never sent
            self.failed_count += spool.lost_taken
            spool.lost_taken = 0
        now, wall = time.monotonic(), time.time()
        max_age = self.settings.max_age
        keys = self._keys
        queue = self._queue
        for seq, key, body, accepted_at in rows:
            if not taken:
                self._loaded = seq
                if key not in keys:  # a write interrupted half-way: never accepted
                    spool.settle(seq, len(body))
                    continue
                self._spilled -= 1
            if not _whole(key, body):  # a damaged row: said, counted, never sent
                logger.warning("span writer spool: the row of item %r is damaged", key)
                if not taken:
                    keys.discard(key)
                spool.settle(seq, len(body))
                self.failed_count += 1
                continue
            item = item_from_body(key, body)
            age = max(0.0, wall - accepted_at)
            entry = (item, body, now - age, seq)
            self._bytes += len(body)
            if taken:
                if key in keys:
                    self._fail([entry], repeated(key), discard=False)
                    continue
                keys.add(key)
            if age >= max_age:
                self._fail([entry], too_old(max_age, None))
                continue
            queue.append(entry)

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
            self._fail([e for e in held if spool.unsaved(e[3])], _unsaved(spool))
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

    def _fail(self, batch: Batch, error: Exception, discard: bool = True) -> None:
        keys = self._keys
        spool = self.spool
        for item, body, _, seq in batch:
            self.failures.append(WriteFailure(item, error=error))
            if discard:
                keys.discard(item.idempotency_key)
            self._bytes -= len(body)
            self._failed_bytes += len(body)
            if spool is not None:
                spool.settle(seq, len(body))
        self.failed_count += len(batch)


def _unsaved(spool: Spool) -> PrefactorClientError:
    """Why an item a closing writer could not deliver is not left in its spool."""
    why = f" ({spool.broken})" if spool.broken is not None else ""
    return PrefactorClientError(
        "not delivered before the writer closed, and not in its spool, which could not "
        f"store it when it was accepted{why}: nothing else holds it"
    )


def _whole(key: str, body: bytes) -> bool:
    """Whether a spool row's body is the item `key` as encoded (a cheap test, then a full one)."""
    if body[:1] == b"{" and body[-1:] == b"}" and key.encode() in body:
        return True
    try:
        return bool(item_from_body(key, body).to_dict()["idempotency_key"] == key)
    except Exception:
        return False
