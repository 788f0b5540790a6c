"""The async span writer, `SpanWriter`: its sender is a task in an event loop.

Public as `prefactor_http.writer.SpanWriter`; the module docstring there
says how both writers batch, wait and report, and how they meet fork and
SIGTERM. This module is the writer's interface; its state and sender task
are `_async_sender.AsyncSender`'s, its close at process end `_async_exit`'s.
"""

from __future__ import annotations

import atexit
import multiprocessing
import os
import time
from types import TracebackType

from prefactor_http import _spool, _validate
from prefactor_http._async_exit import close_unclosed
from prefactor_http._async_sender import AsyncSender, cancel_sender
from prefactor_http._spool import SpoolSync
from prefactor_http._writer_policy import (
    DEFAULT_MAX_AGE,
    DEFAULT_MAX_BUFFERED_BYTES,
    DEFAULT_MAX_SPOOL_BYTES,
    WhenFull,
    WriterSettings,
)
from prefactor_http._writer_process import async_writers, close_at_worker_exit
from prefactor_http.client import PrefactorHttpClient
from prefactor_http.exceptions import PrefactorClientError
from prefactor_http.models.bulk import BulkItem, WriterStats


def _deadline(timeout: object) -> float | None:
    """When a `flush(timeout=)` or `close(timeout=)` gives up; None: it never does."""
    if timeout is None:
        return None
    return time.monotonic() + _validate.seconds("timeout", timeout)


class SpanWriter(AsyncSender):
    """Buffers items for an async client and sends them from a task in an event loop.

    Usable from any event loop, in any thread. The task starts with the
    first `write()`, in that loop; calls from other loops wake it across
    threads. When its loop is gone (closed, or no longer running: an
    `asyncio.run()` that returned), the next `write()`, `flush()` or
    `close()` starts a new task in its own loop, which sends what the old
    one held, its batch in flight included, again with the same keys (the
    API replays what it already did). A task cancelled while its loop still
    runs turns what it held into failures, and the writer refuses further
    writes from that loop. Close the writer (`async with`, or `await
    close()`), or the client (which closes its writers first), before the
    last event loop ends: that sends everything accepted and reports what
    could not be delivered. A writer still open at interpreter exit, or
    when a multiprocessing child ends, is closed then in an event loop of
    its own, within `exit_timeout` seconds, and logs what it could not
    deliver.
    """

    def __init__(
        self,
        client: PrefactorHttpClient,
        *,
        max_items: int = 500,
        flush_interval: float = 1.0,
        max_buffered: int = 10_000,
        max_buffered_bytes: int = DEFAULT_MAX_BUFFERED_BYTES,
        when_full: WhenFull = "block",
        block_timeout: float = 30.0,
        max_age: float = DEFAULT_MAX_AGE,
        flush_attempts: int | None = None,
        spool_dir: str | os.PathLike[str] | None = None,
        spool_sync: SpoolSync | None = None,
        max_spool_bytes: int = DEFAULT_MAX_SPOOL_BYTES,
        exit_timeout: float = 10.0,
    ) -> None:
        """Set the writer up; settings are checked here, the task starts with the first `write()`.

        Args:
            client: The async client the batches are sent through; closing it closes the writer
                first.
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
            spool_dir: A directory for the durable spool (None: `PREFACTOR_SPOOL_DIR`, else
                memory only).
            spool_sync: `"batch"` commits the spool every 100 ms, `"always"` before `write()`
                returns (None: `PREFACTOR_SPOOL_SYNC`, else `"batch"`).
            max_spool_bytes: Encoded bytes the spool holds at most; past it `write()` follows
                `when_full`.
            exit_timeout: Seconds a writer still open may spend sending at interpreter exit or
                when a multiprocessing child ends.
        """
        if not isinstance(client, PrefactorHttpClient):
            raise PrefactorClientError(
                f"SpanWriter needs a PrefactorHttpClient, got {type(client).__name__}"
            )
        directory, sync = _spool.settings(spool_dir, spool_sync)
        self._settings = WriterSettings(
            max_items,
            flush_interval,
            max_buffered,
            when_full,
            block_timeout,
            flush_attempts=flush_attempts,
            max_buffered_bytes=max_buffered_bytes,
            max_age=max_age,
            spool_dir=directory,
            spool_sync=sync,
            max_spool_bytes=max_spool_bytes,
            exit_timeout=exit_timeout,
        )
        self._client = client
        client._check_open()  # before `_start` opens the spool and its committer thread
        self._start()
        client._writers.add(self)
        async_writers.add(self)
        atexit.register(self._close_at_exit)
        if multiprocessing.parent_process() is not None:
            close_at_worker_exit()

    @property
    def stats(self) -> WriterStats:
        """The counts so far: `accepted == delivered + failed + pending`, always."""
        with self._lock:
            return self._buffer.stats()

    async def write(self, item: BulkItem) -> None:
        """Accept `item` for sending; waits or raises when the buffer is full (see module).

        Args:
            item: A bulk item (`BulkItem` or a typed item of `prefactor_http.models.bulk_actions`),
                encoded and checked now.
        """
        buffer = self._buffer
        body = buffer.encode(item)
        size = len(body)

        with self._lock:
            self._check_sender()
            if buffer.has_room(size):
                if buffer.add(item, body):
                    self._notify()
                return
            deadline = buffer.room_deadline(time.monotonic())

        def added() -> bool:
            self._check_sender()
            if not buffer.has_room(size):
                return False
            if buffer.add(item, body):
                self._notify()
            return True

        if not await self._wait_until(added, deadline):
            with self._lock:
                raise buffer.full_error()

    async def flush(self, timeout: float | None = None) -> WriterStats:
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
        lock = self._lock
        with lock:
            self._check_sender()
            target = buffer.want_flush()
            self._notify()
            if deadline is not None:
                buffer.add_deadline(deadline)

        def flushed() -> bool:
            self._check_sender()
            return buffer.flushed(target)

        try:
            if not await self._wait_until(flushed, deadline):
                with lock:
                    buffer.give_up(target, f"flush(timeout={timeout})")
                    self._notify()  # writes waiting for room
        finally:
            if deadline is not None:
                with lock:
                    buffer.remove_deadline(deadline)
        with lock:
            return buffer.report()

    async def close(self, timeout: float | None = None) -> WriterStats:
        """Send everything accepted, end the task, and report what could not be delivered.

        From any event loop: the task keeps sending in its own loop while
        that runs, and restarts in this one otherwise. With `timeout`
        (seconds), what is still undelivered when it passes is given up,
        reported in the PrefactorDeliveryError (or, with a spool, kept there
        for a later writer), and the task is cancelled. A
        caller that stops waiting otherwise (its own timeout, a cancellation)
        does not stop the task: it keeps sending, and a later `close()` waits
        for it again. Returns the writer's final `stats` when nothing failed.

        Args:
            timeout: Seconds to wait; what is undelivered then is given up (or, with a spool, kept
                there). None waits until all is settled.
        """
        deadline = _deadline(timeout)
        buffer = self._buffer
        lock = self._lock
        with lock:
            buffer.closing = True
            if self._task is not None or buffer.pending:  # a spool's taken-over items, say
                self._check_sender()
            self._notify()
            if deadline is not None:
                buffer.add_deadline(deadline)

        def ended() -> bool:
            if self._task is None:
                return True  # never used, nothing taken over: nothing to send
            self._check_sender()
            return self._finished or buffer.stopped is not None

        try:
            done = await self._wait_until(ended, deadline)
        finally:
            if deadline is not None:
                with lock:
                    buffer.remove_deadline(deadline)
        if not done:
            with lock:
                buffer.give_up(buffer.accepted, f"close(timeout={timeout})")
                task, loop = self._task, self._loop
                self._token = None  # the sender, cancelled below, leaves the buffer alone
                self._finished = True
                self._notify()
            await cancel_sender(task, loop)
        atexit.unregister(self._close_at_exit)
        self._client._writers.discard(self)
        async_writers.discard(self)
        with lock:
            buffer.close_spool()
            return buffer.report()

    def _close_at_exit(self, when: str = "at interpreter exit") -> None:
        """Close the writer, if still open, as the process ends (see `_async_exit`).

        Each writer registers it with atexit; its `close()` unregisters it.
        """
        close_unclosed(self, when)

    async def __aenter__(self) -> SpanWriter:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()
