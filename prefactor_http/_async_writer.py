"""The async span writer, `SpanWriter`: its sender is a task in an event loop.

Public as `prefactor_http.writer.SpanWriter`; the module docstring there
says how both writers batch, wait and report, and how they meet fork and
SIGTERM.
"""

from __future__ import annotations

import asyncio
import atexit
import concurrent.futures
import contextlib
import logging
import multiprocessing
import os
import threading
import time
from collections.abc import Callable, Coroutine
from types import TracebackType

from prefactor_http import _spool, _validate
from prefactor_http._spool import SpoolSync
from prefactor_http._write_buffer import WriteBuffer
from prefactor_http._writer_policy import (
    DEFAULT_MAX_AGE,
    DEFAULT_MAX_BUFFERED_BYTES,
    DEFAULT_MAX_SPOOL_BYTES,
    WhenFull,
    WriterSettings,
)
from prefactor_http._writer_process import async_writers, close_at_worker_exit
from prefactor_http.client import PrefactorHttpClient
from prefactor_http.exceptions import PrefactorClientError, PrefactorDeliveryError
from prefactor_http.models.bulk import BulkItem, WriterStats

logger = logging.getLogger("prefactor_http")


def _deadline(timeout: object) -> float | None:
    """When a `flush(timeout=)` or `close(timeout=)` gives up; None: it never does."""
    if timeout is None:
        return None
    return time.monotonic() + _validate.seconds("timeout", timeout)


class SpanWriter:
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
        self._start()
        if client._closed:
            client._check_open()
        client._writers.add(self)
        async_writers.add(self)
        atexit.register(self._close_at_exit)
        if multiprocessing.parent_process() is not None:
            close_at_worker_exit()

    def _start(self, in_child: bool = False) -> None:
        """Fresh state, with no task yet: at creation, and in a forked child.

        The child's writer starts empty (the parent sends what it held); its
        first `write()` starts a task of its own, in the child's event loop.
        """
        self._buffer = WriteBuffer(self._settings, type(self).__name__, open_spool=not in_child)
        # Guards the buffer and the sender's state: callers and the sender may
        # run in different threads. Never held across an await. Re-entrant, and
        # not taken on the way out of a collected task: nothing can deadlock on it.
        self._lock = threading.RLock()
        self._waiters: set[asyncio.Future[None]] = set()  # callers and sender, in any loop
        self._task: asyncio.Task[None] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None  # the sender's
        self._token: object | None = None  # the current sender's; an old one sees it changed
        self._cancelled: BaseException | None = None  # by its loop ending, or by the app
        self._finished = False  # the sender ended after closing: nothing more to send

    # Waiting and waking across event loops and threads.

    def _notify(self) -> None:
        """Wake every caller and the sender, in whatever loop each waits (lock held)."""
        waiters, self._waiters = self._waiters, set()
        try:
            here: asyncio.AbstractEventLoop | None = asyncio.get_running_loop()
        except RuntimeError:
            here = None
        for waiter in waiters:
            loop = waiter.get_loop()
            if loop is here:
                _wake(waiter)
                continue
            with contextlib.suppress(RuntimeError):  # its loop closed: nobody waits there
                loop.call_soon_threadsafe(_wake, waiter)

    async def _wait_until(self, done: Callable[[], bool], deadline: float | None) -> bool:
        """Wait until `done()`, called with the lock held, is true, or `deadline` passes.

        Returns the last `done()`. Woken by `_notify` from any thread.
        """
        lock = self._lock
        loop = asyncio.get_running_loop()
        while True:
            with lock:
                if done():
                    return True
                remaining = None if deadline is None else deadline - time.monotonic()
                if remaining is not None and remaining <= 0:
                    return False
                waiter = loop.create_future()
                self._waiters.add(waiter)
            try:
                await asyncio.wait((waiter,), timeout=remaining)
            finally:
                # No lock: this also runs when a pending task is collected, maybe inside
                # it. Atomic: at worst it misses a set `_notify` has just taken away.
                self._waiters.discard(waiter)

    def _check_sender(self) -> None:
        """Make sure a sender serves the buffer (lock held, in the caller's running loop).

        A sender whose loop is gone (closed, or not running) never sends again:
        one starts in this loop and takes over its items, the batch it had in
        flight first. A sender cancelled while this, its own, loop runs stops
        the writer: what it held becomes failures.
        """
        here = asyncio.get_running_loop()
        old_loop, old_task, cancelled = self._loop, self._task, self._cancelled
        if old_loop is here and cancelled is None:
            return  # the common case, on every write
        buffer = self._buffer
        if self._finished or buffer.stopped is not None:
            return
        if cancelled is not None and old_loop is here:
            buffer.sender_ended(cancelled)
            self._notify()
            return
        if (
            old_loop is not None
            and cancelled is None
            and old_loop.is_running()
            and not old_loop.is_closed()
        ):
            return  # live in another thread: wake-ups reach it there
        if old_loop is not None and old_task is not None and cancelled is None:
            with contextlib.suppress(RuntimeError):  # closed meanwhile: it never runs again
                old_loop.call_soon_threadsafe(old_task.cancel)
        buffer.take_back_in_flight()
        token = self._token = object()
        self._cancelled = None
        self._loop = here
        self._task = here.create_task(self._run(buffer, token))

    # The writer's interface.

    @property
    def stats(self) -> WriterStats:
        """The counts so far: `accepted == delivered + failed + pending`, always."""
        with self._lock:
            return self._buffer.stats()

    async def write(self, item: BulkItem) -> None:
        """Accept `item` for sending; waits or raises when the buffer is full (see module)."""
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
            await _cancel(task, loop)
        atexit.unregister(self._close_at_exit)
        self._client._writers.discard(self)
        async_writers.discard(self)
        with lock:
            buffer.close_spool()
            return buffer.report()

    def _close_at_exit(self, when: str = "at interpreter exit") -> None:
        """Close an unclosed writer as the process ends, in a loop of its own; log, never raise.

        Every loop the application ran has ended by then, so the sender
        starts again in this one and sends what the old one held (with a
        spool, what is left after `exit_timeout` stays there).
        """
        if self._finished or not (self._buffer.pending or self._buffer.failures):
            with self._lock:
                self._buffer.close_spool()
            return
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            pass
        else:  # ended from inside a running loop: no loop of its own can run here
            self._report_unsent(when)
            return
        timeout = self._settings.exit_timeout
        try:
            stats = _run_at_exit(self.close(timeout=timeout))
        except PrefactorDeliveryError as exc:
            logger.warning(
                "span writer %s (not closed by the application): %d accepted item(s) not "
                "delivered within %gs; first: %s",
                when,
                len(exc.failures),
                timeout,
                exc.failures[0],
            )
        except Exception as exc:
            logger.error("span writer %s could not send what it held: %r", when, exc)
            self._report_unsent(when)
        else:
            logger.info(
                "span writer %s (not closed by the application): %d delivered, %d pending",
                when,
                stats.delivered,
                stats.pending,
            )

    def _report_unsent(self, when: str) -> None:
        with self._lock:
            spooled = self._buffer.close_spool()  # logs what it keeps
            lost = self._buffer.pending + len(self._buffer.failures) - spooled
        if lost > 0:
            logger.error(
                "span writer %s was never closed: %d accepted item(s) were not sent, or failed "
                "unreported; use `async with SpanWriter(...)` or `await writer.close()`",
                when,
                lost,
            )

    async def __aenter__(self) -> SpanWriter:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    async def _run(self, buffer: WriteBuffer, token: object) -> None:
        """Send batches until closing leaves nothing to send, or another sender takes over.

        A sender whose token is no longer the writer's (a newer sender took
        over, a close gave up on it, or this is a forked child's copy of the
        parent's task) leaves the buffer alone and ends.
        """
        lock = self._lock
        interval = buffer.settings.flush_interval

        def current() -> bool:
            return self._token is token and self._buffer is buffer

        try:
            while True:
                await self._wait_until(
                    lambda: not current() or buffer.ready(),
                    buffer.wake_at(time.monotonic() + interval),
                )
                with lock:
                    if not current():
                        return
                    batch = buffer.next_batch()
                    if batch is None:
                        self._finished = True
                        self._notify()
                        return
                    timeout = buffer.call_timeout(time.monotonic())
                if not batch:
                    continue
                try:
                    response = await self._client._execute(buffer.call(batch), timeout)
                except Exception as exc:  # reported to the caller with the items, never dropped
                    with lock:
                        if current():
                            buffer.undelivered(batch, exc)
                            self._notify()
                    continue
                with lock:
                    if current():
                        buffer.delivered(batch, response)
                        self._notify()
        except GeneratorExit:
            # A pending task collected with its closed loop: the next caller restarts the
            # sender. (No lock here: the collector may be inside this writer's lock.)
            raise
        except asyncio.CancelledError as exc:
            # Its loop is ending (asyncio.run() returning), or the application cancelled
            # it: the next caller tells which, by the loop it runs in (`_check_sender`).
            with lock:
                if current():
                    self._cancelled = exc
                    self._notify()
            raise
        except BaseException as exc:
            with lock:
                if current():
                    buffer.sender_ended(exc)
                    self._notify()  # waiting writes and flushes see it at once
            raise


def _wake(waiter: asyncio.Future[None]) -> None:
    if not waiter.done():
        waiter.set_result(None)


async def _cancel(task: asyncio.Task[None] | None, loop: asyncio.AbstractEventLoop | None) -> None:
    """Cancel a sender given up on: waiting for it briefly in this loop, or in its own."""
    if task is None or loop is None or task.done():
        return
    if loop is asyncio.get_running_loop():
        task.cancel()
        await asyncio.wait((task,), timeout=1.0)
        return
    with contextlib.suppress(RuntimeError):  # its loop closed: it never runs again
        loop.call_soon_threadsafe(task.cancel)


class _InlineExecutor(concurrent.futures.ThreadPoolExecutor):
    """Runs each call at once, in the loop's thread: at exit no executor may start a thread.

    (A host name's lookup, say: aiohttp asks the loop's executor for it.)
    """

    def submit(  # type: ignore[override]
        self, fn: Callable[..., object], /, *args: object, **kwargs: object
    ) -> concurrent.futures.Future[object]:
        future: concurrent.futures.Future[object] = concurrent.futures.Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as exc:  # handed to the awaiting coroutine, as an executor does
            future.set_exception(exc)
        return future


def _run_at_exit(coroutine: Coroutine[object, object, WriterStats]) -> WriterStats:
    """Run `coroutine` in a loop of its own while the interpreter ends.

    Not `asyncio.run()`: its executor, and its executor's shutdown, need
    threads that the ending interpreter refuses.
    """
    loop = asyncio.new_event_loop()
    loop.set_default_executor(_InlineExecutor())
    try:
        return loop.run_until_complete(coroutine)
    finally:
        try:
            loop.run_until_complete(loop.shutdown_asyncgens())  # closes the loop's pool
        finally:
            loop.close()
