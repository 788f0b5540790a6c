"""Where a span writer's accepted items are, and its counts: the base of `WriteBuffer`.

An accepted item waits in memory, is in flight, is a row in the spool
only (spilled past memory's limits, or left by a dead writer), or failed
and waits to be reported. `BufferState` holds all of that, opens the
spool, reads spooled items back into memory, and makes failures; the
layers above it only move items between these places: the sender's side
(`_write_buffer_sending`) and the writers' side (`_write_buffer`).
"""

from __future__ import annotations

import logging
import time
from collections import deque

from prefactor_http._spool import Spool
from prefactor_http._writer_policy import (
    TAKE_OVER_INTERVAL,
    Batch,
    Entry,
    WriterSettings,
    repeated,
    too_old,
)
from prefactor_http.exceptions import PrefactorClientError
from prefactor_http.models.bulk import WriteFailure, WriterStats, item_from_body

logger = logging.getLogger("prefactor_http")


class BufferState:
    """A span writer's state: its items, wherever they are, and its counts (see `WriteBuffer`)."""

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

    # The spool: what it keeps at close, and its items read back into memory.

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
            error = unsaved_error(spool)
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

    def _fail(self, batch: Batch, error: Exception, discard: bool = True) -> None:
        """Make `batch`'s items failures, to be reported; their spool rows settle."""
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


def unsaved_error(spool: Spool) -> PrefactorClientError:
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
