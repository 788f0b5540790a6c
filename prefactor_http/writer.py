"""Span writers: accept items as fast as an agent makes them, send them in bulk batches.

`SyncSpanWriter` sends from a background thread, `SpanWriter` (in
`prefactor_http._async_writer`) from an asyncio task. What they decide is
shared (`prefactor_http._write_buffer`); these modules only wait and send. A
batch goes out when `max_items` are waiting, when `flush_interval` seconds
have passed, on `flush()` and on `close()`.
At most `max_buffered` items and `max_buffered_bytes` encoded bytes are
held: past either, `write()` blocks for up to `block_timeout` seconds
(`when_full="block"`) or raises at once (`when_full="raise"`), with
PrefactorBufferFullError, and the item is not accepted. A failed batch is
sent again with the same keys, so the API replays what it already did;
items the API refuses, batches that fail for good, and whatever a
`flush(timeout=)` or `close(timeout=)` could not deliver in time are
reported by `flush()` and `close()` as PrefactorDeliveryError.

The process around the writers (`prefactor_http._writer_process`): a
forked child gets fresh, empty writers with their own sender (the parent's
thread or task does not exist there); the blocking writer is closed at
interpreter exit within `exit_timeout` seconds (Ctrl-C meanwhile abandons
what is left, logged with its counts), and on SIGTERM when the application
has no handler of its own.
The async writer serves every event loop: its task runs in one and starts
again in the caller's when that loop has ended.
"""

from __future__ import annotations

import atexit
import multiprocessing
import os
import threading
import time
from types import TracebackType

from prefactor_http import _spool, _validate
from prefactor_http._async_writer import SpanWriter, _deadline
from prefactor_http._spool import SpoolSync
from prefactor_http._sync.client import SyncPrefactorHttpClient
from prefactor_http._write_buffer import WriteBuffer
from prefactor_http._writer_policy import (
    DEFAULT_MAX_AGE,
    DEFAULT_MAX_BUFFERED_BYTES,
    DEFAULT_MAX_SPOOL_BYTES,
    WhenFull,
    WriterSettings,
)
from prefactor_http._writer_process import (
    close_at_end,
    close_at_worker_exit,
    install_sigterm_handler,
    open_sync_writers,
)
from prefactor_http.exceptions import PrefactorClientError
from prefactor_http.models.bulk import BulkItem, WriteFailure, WriterStats

__all__ = ["SpanWriter", "SyncSpanWriter", "WriteFailure", "WriterStats"]


class SyncSpanWriter:
    """Buffers items for a blocking client and sends them from a background thread.

    Usable from any thread. Closing the client closes its writers first
    (everything accepted is sent); so does interpreter exit, within
    `exit_timeout` seconds, and SIGTERM (see `handle_sigterm`). Use the
    writer as a context manager, or call `close()`, to learn of items that
    could not be delivered.
    """

    def __init__(
        self,
        client: SyncPrefactorHttpClient,
        *,
        max_items: int = 500,
        flush_interval: float = 1.0,
        max_buffered: int = 10_000,
        max_buffered_bytes: int = DEFAULT_MAX_BUFFERED_BYTES,
        when_full: WhenFull = "block",
        block_timeout: float = 30.0,
        max_age: float = DEFAULT_MAX_AGE,
        flush_attempts: int | None = None,
        exit_timeout: float = 10.0,
        handle_sigterm: bool = True,
        spool_dir: str | os.PathLike[str] | None = None,
        spool_sync: SpoolSync | None = None,
        max_spool_bytes: int = DEFAULT_MAX_SPOOL_BYTES,
    ) -> None:
        """Start the writer's thread; settings are checked here.

        Args:
            client: The blocking client the batches are sent through; closing it closes the
                writer first.
            max_items: Items per bulk request; a full batch goes out at once.
            flush_interval: Seconds after which waiting items go out anyway.
            max_buffered: Items held at most (waiting, in flight, or failed and not yet
                reported).
            max_buffered_bytes: Encoded bytes of those items held at most; an item larger on its
                own is accepted into an empty writer only.
            when_full: `"block"`: a full buffer makes `write()` wait up to `block_timeout`
                seconds; `"raise"`: it raises PrefactorBufferFullError at once.
            block_timeout: Seconds `write()` waits for room before raising
                PrefactorBufferFullError (the item is then not accepted).
            max_age: Seconds a batch is kept through transient failures, from its oldest item's
                `write()` (at most 86,400).
            flush_attempts: Tries of a batch whose request fails transiently; None: no limit but
                `max_age`.
            exit_timeout: Seconds a writer still open may spend sending at interpreter exit or
                when a multiprocessing child ends, and on SIGTERM.
            handle_sigterm: Send what the writer holds on SIGTERM when the application has no
                handler of its own; False leaves SIGTERM alone.
            spool_dir: A directory for the durable spool (None: `PREFACTOR_SPOOL_DIR`, else
                memory only).
            spool_sync: `"batch"` commits the spool every 100 ms, `"always"` before `write()`
                returns (None: `PREFACTOR_SPOOL_SYNC`, else `"batch"`).
            max_spool_bytes: Encoded bytes the spool holds at most; past it `write()` follows
                `when_full`.
        """
        if not isinstance(client, SyncPrefactorHttpClient):
            raise PrefactorClientError(
                f"SyncSpanWriter needs a SyncPrefactorHttpClient, got {type(client).__name__}"
            )
        if not isinstance(handle_sigterm, bool):
            _validate.refuse("handle_sigterm", f"must be True or False, got {handle_sigterm!r}")
        directory, sync = _spool.settings(spool_dir, spool_sync)
        self._settings = WriterSettings(
            max_items,
            flush_interval,
            max_buffered,
            when_full,
            block_timeout,
            flush_attempts=flush_attempts,
            max_buffered_bytes=max_buffered_bytes,
            exit_timeout=exit_timeout,
            max_age=max_age,
            spool_dir=directory,
            spool_sync=sync,
            max_spool_bytes=max_spool_bytes,
        )
        self._client = client
        self._handle_sigterm = handle_sigterm
        client._check_open()
        self._start()
        client._writers.add(self)
        open_sync_writers.add(self)
        atexit.register(self._close_at_exit)
        if handle_sigterm:
            install_sigterm_handler()
        if multiprocessing.parent_process() is not None:
            close_at_worker_exit()

    def _start(self, in_child: bool = False) -> None:
        """Fresh state and a sender thread: at creation, and in a forked child.

        The child's writer starts empty: the parent sends what it held.
        """
        self._buffer = WriteBuffer(self._settings, type(self).__name__, open_spool=not in_child)
        # Re-entrant: the SIGTERM handler runs in the main thread, maybe inside write()'s
        # critical section, and waits on the condition, which releases every level.
        self._lock = threading.RLock()
        self._changed = threading.Condition(self._lock)  # items added, settled or closing
        self._sender_done = False
        self._given_up = 0  # items the last close gave up on at its deadline
        # The transport made now, not by the sender's first request: an import then would
        # need the import and logging locks, which a signal handler's thread may hold. Not in
        # a child forked over the parent's httpx client: it is refused there, and the sends
        # fail with why (PrefactorForkedClientError), reported as the async writer's are.
        if not (in_child and self._client._http_client is not None):
            self._client._open_pool()
        self._thread = threading.Thread(target=self._run, name="prefactor-span-writer", daemon=True)
        self._thread.start()

    @property
    def stats(self) -> WriterStats:
        """The counts so far: `accepted == delivered + failed + pending`, always."""
        with self._lock:
            return self._buffer.stats()

    def write(self, item: BulkItem) -> None:
        """Accept `item` for sending; blocks or raises when the buffer is full (see module).

        Args:
            item: A bulk item (`BulkItem` or a typed item of `prefactor_http.models.bulk_actions`),
                encoded and checked now.
        """
        buffer = self._buffer
        body = buffer.encode(item)
        size = len(body)
        with self._lock:
            if not buffer.has_room(size):
                deadline = buffer.room_deadline(time.monotonic())
                while not buffer.has_room(size):
                    remaining = deadline - time.monotonic()
                    if remaining <= 0:
                        raise buffer.full_error()
                    _wait(self._changed, remaining)
            if buffer.add(item, body):
                self._changed.notify_all()

    def flush(self, timeout: float | None = None) -> WriterStats:
        """Send everything accepted so far; raise PrefactorDeliveryError for what failed.

        Returns the writer's `stats` when nothing failed (the error carries them otherwise).

        With `timeout` (seconds), what is still undelivered when it passes is
        given up: reported in the PrefactorDeliveryError with a
        PrefactorTimeoutError, and not sent or retried any more.

        Args:
            timeout: Seconds to wait; what is undelivered then is given up and reported. None waits
                until all is settled.
        """
        deadline = _deadline(timeout)
        buffer = self._buffer
        changed = self._changed
        with self._lock:
            target = buffer.want_flush()
            changed.notify_all()
            if deadline is not None:
                buffer.add_deadline(deadline)
            try:
                while not buffer.flushed(target):
                    if deadline is None:
                        _wait(changed, None)
                        continue
                    remaining = deadline - time.monotonic()
                    if remaining <= 0:
                        buffer.give_up(target, f"flush(timeout={timeout})")
                        changed.notify_all()  # writes waiting for room
                        break
                    _wait(changed, remaining)
            finally:
                if deadline is not None:
                    buffer.remove_deadline(deadline)
            return buffer.report()

    def close(self, timeout: float | None = None) -> WriterStats:
        """Send everything accepted, stop the thread, and report what could not be delivered.

        With `timeout` (seconds), what is still undelivered when it passes is
        given up: reported in the PrefactorDeliveryError, or, with a spool,
        kept there for a later writer (and counted `pending`). The thread
        stops; its request in flight, if any, ends on its own. Returns the
        writer's final `stats` when nothing failed.

        Args:
            timeout: Seconds to wait; what is undelivered then is given up (or, with a spool, kept
                there). None waits until all is settled.
        """
        deadline = _deadline(timeout)
        self._begin_close()
        return self._finish_close(deadline, f"close(timeout={timeout})")[1]

    def _begin_close(self) -> None:
        with self._lock:
            self._buffer.closing = True
            self._changed.notify_all()

    def _finish_close(
        self, deadline: float | None, waited: str, ended: str = "ran out"
    ) -> tuple[int, WriterStats]:
        """Wait for the sender to end, or give up at `deadline`; report.

        Returns the items given up, and the final counts.
        """
        buffer = self._buffer
        changed = self._changed
        given = 0
        with self._lock:
            if deadline is not None:
                buffer.add_deadline(deadline)
            try:
                while not self._sender_done:
                    if deadline is None:
                        _wait(changed, None)
                        continue
                    remaining = deadline - time.monotonic()
                    if remaining <= 0:
                        given = buffer.give_up(buffer.accepted, waited, ended)
                        break
                    _wait(changed, remaining)
            finally:
                if deadline is not None:
                    buffer.remove_deadline(deadline)
            done = self._sender_done
        if done:
            self._thread.join()  # past its last lock: ends at once
        atexit.unregister(self._close_at_exit)
        self._client._writers.discard(self)
        open_sync_writers.discard(self)
        with self._lock:
            if given:
                self._given_up = given
            buffer.close_spool()
            return given, buffer.report()

    def _close_at_exit(self) -> None:
        # Each writer registers this; the first to run closes them all, as SIGTERM does.
        close_at_end(list(open_sync_writers), "at interpreter exit")

    def __enter__(self) -> SyncSpanWriter:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def _run(self) -> None:
        buffer = self._buffer
        changed = self._changed
        interval = buffer.settings.flush_interval
        try:
            while True:
                with self._lock:
                    deadline = buffer.wake_at(time.monotonic() + interval)
                    while not buffer.ready():
                        remaining = deadline - time.monotonic()
                        if remaining <= 0:
                            break
                        changed.wait(remaining)
                    batch = buffer.next_batch()
                    if batch is None:
                        self._sender_done = True
                        changed.notify_all()
                        return
                    timeout = buffer.call_timeout(time.monotonic())
                if not batch:
                    continue
                try:
                    response = self._client._execute(buffer.call(batch), timeout)
                except Exception as exc:  # reported to the caller with the items, never dropped
                    with self._lock:
                        buffer.undelivered(batch, exc)
                        changed.notify_all()
                    continue
                with self._lock:
                    buffer.delivered(batch, response)
                    changed.notify_all()
        except BaseException as exc:
            with self._lock:
                buffer.sender_ended(exc)
                self._sender_done = True
                changed.notify_all()
            raise


# A caller's wait wakes this often. A signal the kernel hands to another thread (the
# sender's, busy in a request) wakes no thread blocked on a lock; the main thread runs
# its Python handler (Ctrl-C's KeyboardInterrupt, SIGTERM's) only once it wakes.
SIGNAL_CHECK = 0.2


def _wait(changed: threading.Condition, remaining: float | None) -> None:
    changed.wait(SIGNAL_CHECK if remaining is None else min(remaining, SIGNAL_CHECK))
