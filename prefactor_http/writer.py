"""Span writers: accept items as fast as an agent makes them, send them in bulk batches.

`SyncSpanWriter` sends from a background thread, `SpanWriter` from an
asyncio task. What they decide is shared (`prefactor_http._batches`); this
module only waits and sends. A batch goes out when `max_items` are waiting,
when `flush_interval` seconds have passed, on `flush()` and on `close()`.
At most `max_buffered` items are held: past that `write()` blocks for up to
`block_timeout` seconds (`when_full="block"`) or raises at once
(`when_full="raise"`), with PrefactorBufferFullError, and the item is not
accepted. A failed batch is sent again with the same keys, so the API
replays what it already did; items the API refuses, and batches that fail
for good, are reported by `flush()` and `close()` as PrefactorDeliveryError.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import logging
import threading
import time
from types import TracebackType

from prefactor_http import _calls
from prefactor_http._batches import WhenFull, WriteBuffer, WriterSettings
from prefactor_http._sync.client import SyncPrefactorHttpClient
from prefactor_http.client import PrefactorHttpClient
from prefactor_http.exceptions import PrefactorClientError
from prefactor_http.models.bulk import BulkItem, WriteFailure

__all__ = ["SpanWriter", "SyncSpanWriter", "WriteFailure"]

logger = logging.getLogger("prefactor_http")


def _closed_error(writer: object) -> PrefactorClientError:
    return PrefactorClientError(f"{type(writer).__name__} is closed: it accepts no more items")


class SyncSpanWriter:
    """Buffers items for a blocking client and sends them from a background thread.

    Usable from any thread. At interpreter exit an open writer is closed
    (everything accepted is sent first). Use it as a context manager, or call
    `close()`, to learn of items that could not be delivered.
    """

    def __init__(
        self,
        client: SyncPrefactorHttpClient,
        *,
        max_items: int = 500,
        flush_interval: float = 1.0,
        max_buffered: int = 10_000,
        when_full: WhenFull = "block",
        block_timeout: float = 30.0,
        flush_attempts: int = 3,
    ) -> None:
        if not isinstance(client, SyncPrefactorHttpClient):
            raise PrefactorClientError(
                f"SyncSpanWriter needs a SyncPrefactorHttpClient, got {type(client).__name__}"
            )
        settings = WriterSettings(
            max_items, flush_interval, max_buffered, when_full, block_timeout, flush_attempts
        )
        self._client = client
        self._buffer = WriteBuffer(settings)
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)  # items added, settled or closing
        self._flush_wanted = 0  # `accepted` count a flush() waits to see settled
        self._closing = False
        self._thread = threading.Thread(target=self._run, name="prefactor-span-writer", daemon=True)
        self._thread.start()
        atexit.register(self._close_at_exit)

    def write(self, item: BulkItem) -> None:
        """Accept `item` for sending; blocks or raises when the buffer is full (see module)."""
        with self._lock:
            if self._closing:
                raise _closed_error(self)
            buffer = self._buffer
            if not buffer.has_room():
                self._wait_for_room()
            if buffer.add(item):
                self._changed.notify_all()

    def _wait_for_room(self) -> None:
        settings = self._buffer.settings
        if settings.when_full == "block":
            deadline = time.monotonic() + settings.block_timeout
            while not self._buffer.has_room() and not self._closing:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                self._changed.wait(remaining)
            if self._closing:
                raise _closed_error(self)
        if not self._buffer.has_room():
            raise self._buffer.full_error()

    def flush(self) -> None:
        """Send everything accepted so far; raise PrefactorDeliveryError for what failed."""
        with self._lock:
            target = self._buffer.accepted
            self._flush_wanted = max(self._flush_wanted, target)
            self._changed.notify_all()
            while self._buffer.settled < target and self._thread.is_alive():
                self._changed.wait()
            self._buffer.raise_failures()

    def close(self) -> None:
        """Send everything accepted, stop the thread, and report what could not be delivered."""
        with self._lock:
            self._closing = True
            self._changed.notify_all()
        self._thread.join()
        atexit.unregister(self._close_at_exit)
        with self._lock:
            self._buffer.raise_failures()

    def _close_at_exit(self) -> None:
        try:
            self.close()
        except PrefactorClientError:
            logger.exception("span writer: items accepted before exit were not delivered")

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
        interval = buffer.settings.flush_interval
        while True:
            with self._lock:
                deadline = time.monotonic() + interval
                while not self._ready():
                    remaining = deadline - time.monotonic()
                    if remaining <= 0:
                        break
                    self._changed.wait(remaining)
                if self._closing and buffer.pending == 0:
                    self._changed.notify_all()
                    return
                batch = buffer.take()
            if not batch:
                continue
            try:
                response = self._client._execute(_calls.bulk_items(batch, keep_details=False))
            except Exception as exc:  # reported to the caller with the items, never dropped
                with self._lock:
                    buffer.undelivered(batch, exc)
                    self._changed.notify_all()
                continue
            with self._lock:
                buffer.delivered(batch, response)
                self._changed.notify_all()

    def _ready(self) -> bool:
        """A batch should go out now (called with the lock held).

        After a failed flush only closing cuts the wait short: the batch is
        tried again after `flush_interval` otherwise.
        """
        buffer = self._buffer
        if buffer.retrying():
            return self._closing
        return buffer.due() or self._closing or self._flush_wanted > buffer.settled


class SpanWriter:
    """Buffers items for an async client and sends them from a task in the running loop.

    The task starts with the first `write()`. Close the writer (`async with`,
    or `await close()`) before the event loop ends: that sends everything
    accepted and reports what could not be delivered. At interpreter exit
    there is no loop left to send with, so an unclosed writer only logs an
    error naming how many accepted items it never sent.
    """

    def __init__(
        self,
        client: PrefactorHttpClient,
        *,
        max_items: int = 500,
        flush_interval: float = 1.0,
        max_buffered: int = 10_000,
        when_full: WhenFull = "block",
        block_timeout: float = 30.0,
        flush_attempts: int = 3,
    ) -> None:
        if not isinstance(client, PrefactorHttpClient):
            raise PrefactorClientError(
                f"SpanWriter needs a PrefactorHttpClient, got {type(client).__name__}"
            )
        settings = WriterSettings(
            max_items, flush_interval, max_buffered, when_full, block_timeout, flush_attempts
        )
        self._client = client
        self._buffer = WriteBuffer(settings)
        self._changed: asyncio.Condition | None = None
        self._task: asyncio.Task[None] | None = None
        self._flush_wanted = 0
        self._closing = False
        atexit.register(self._report_at_exit)

    def _condition(self) -> asyncio.Condition:
        if self._changed is None:
            self._changed = asyncio.Condition()
            self._task = asyncio.get_running_loop().create_task(self._run())
        return self._changed

    async def write(self, item: BulkItem) -> None:
        """Accept `item` for sending; waits or raises when the buffer is full (see module)."""
        if self._closing:
            raise _closed_error(self)
        changed = self._changed or self._condition()
        buffer = self._buffer
        if not buffer.has_room():
            await self._wait_for_room(changed)
        if buffer.add(item):
            async with changed:
                changed.notify_all()

    async def _wait_for_room(self, changed: asyncio.Condition) -> None:
        settings = self._buffer.settings
        if settings.when_full == "block":
            async with changed:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(
                        changed.wait_for(lambda: self._buffer.has_room() or self._closing),
                        settings.block_timeout,
                    )
            if self._closing:
                raise _closed_error(self)
        if not self._buffer.has_room():
            raise self._buffer.full_error()

    async def flush(self) -> None:
        """Send everything accepted so far; raise PrefactorDeliveryError for what failed."""
        changed = self._condition()
        buffer = self._buffer
        target = buffer.accepted
        async with changed:
            self._flush_wanted = max(self._flush_wanted, target)
            changed.notify_all()
            await changed.wait_for(lambda: buffer.settled >= target or self._task_done())
        buffer.raise_failures()

    async def close(self) -> None:
        """Send everything accepted, end the task, and report what could not be delivered."""
        self._closing = True
        if self._changed is not None and self._task is not None:
            async with self._changed:
                self._changed.notify_all()
            await self._task
        atexit.unregister(self._report_at_exit)
        self._buffer.raise_failures()

    def _task_done(self) -> bool:
        return self._task is not None and self._task.done()

    def _report_at_exit(self) -> None:
        if self._buffer.pending:
            logger.error(
                "span writer was never closed: %d accepted item(s) were not sent; "
                "use `async with SpanWriter(...)` or `await writer.close()`",
                self._buffer.pending,
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

    async def _run(self) -> None:
        buffer = self._buffer
        changed = self._condition()
        interval = buffer.settings.flush_interval
        while True:
            async with changed:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(changed.wait_for(self._ready), interval)
                if self._closing and buffer.pending == 0:
                    changed.notify_all()
                    return
                batch = buffer.take()
            if not batch:
                continue
            try:
                response = await self._client._execute(_calls.bulk_items(batch, keep_details=False))
            except Exception as exc:  # reported to the caller with the items, never dropped
                buffer.undelivered(batch, exc)
                async with changed:
                    changed.notify_all()
                continue
            buffer.delivered(batch, response)
            async with changed:
                changed.notify_all()

    def _ready(self) -> bool:
        """A batch should go out now; see SyncSpanWriter._ready."""
        buffer = self._buffer
        if buffer.retrying():
            return self._closing
        return buffer.due() or self._closing or self._flush_wanted > buffer.settled
