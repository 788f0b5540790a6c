"""The async writer's state and its sender: a task in one event loop, woken from any.

`SpanWriter` (in `_async_writer`) is this class with the writer's
interface on top. Apart from it because the sender is the intricate part:
callers and the sender may wait in different loops and threads, and a
sender whose loop is gone is replaced by one in the caller's loop, which
takes over its items.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from prefactor_http._async_libraries import WRITER_FIX, running_loop
from prefactor_http._write_buffer import WriteBuffer
from prefactor_http._writer_policy import WriterSettings

if TYPE_CHECKING:
    from prefactor_http.client import PrefactorHttpClient


class AsyncSender:
    """A `SpanWriter`'s buffer, lock and sender task, and the waiting across loops and threads."""

    # The writer's, set before `_start`.
    _settings: WriterSettings
    _client: PrefactorHttpClient

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
        loop = running_loop(WRITER_FIX)
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
        here = running_loop(WRITER_FIX)
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


async def cancel_sender(
    task: asyncio.Task[None] | None, loop: asyncio.AbstractEventLoop | None
) -> None:
    """Cancel a sender given up on: waiting for it briefly in this loop, or in its own."""
    if task is None or loop is None or task.done():
        return
    if loop is asyncio.get_running_loop():
        task.cancel()
        await asyncio.wait((task,), timeout=1.0)
        return
    with contextlib.suppress(RuntimeError):  # its loop closed: it never runs again
        loop.call_soon_threadsafe(task.cancel)
