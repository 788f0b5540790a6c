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

from prefactor_http._batches import WhenFull, WriteBuffer, WriterSettings
from prefactor_http._sync.client import SyncPrefactorHttpClient
from prefactor_http.client import PrefactorHttpClient
from prefactor_http.exceptions import PrefactorClientError
from prefactor_http.models.bulk import BulkItem, WriteFailure

__all__ = ["SpanWriter", "SyncSpanWriter", "WriteFailure"]

logger = logging.getLogger("prefactor_http")


class SyncSpanWriter:
    """Buffers items for a blocking client and sends them from a background thread.

    Usable from any thread. Closing the client closes its writers first
    (everything accepted is sent); so does interpreter exit. Use the writer
    as a context manager, or call `close()`, to learn of items that could
    not be delivered.
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
        self._buffer = WriteBuffer(settings, type(self).__name__)
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)  # items added, settled or closing
        self._thread = threading.Thread(target=self._run, name="prefactor-span-writer", daemon=True)
        client._check_open()
        client._writers.add(self)
        self._thread.start()
        atexit.register(self._close_at_exit)

    def write(self, item: BulkItem) -> None:
        """Accept `item` for sending; blocks or raises when the buffer is full (see module)."""
        buffer = self._buffer
        body = buffer.encode(item)
        with self._lock:
            if not buffer.has_room():
                deadline = buffer.room_deadline(time.monotonic())
                while not buffer.has_room():
                    remaining = deadline - time.monotonic()
                    if remaining <= 0:
                        raise buffer.full_error()
                    self._changed.wait(remaining)
            if buffer.add(item, body):
                self._changed.notify_all()

    def flush(self) -> None:
        """Send everything accepted so far; raise PrefactorDeliveryError for what failed."""
        buffer = self._buffer
        with self._lock:
            target = buffer.want_flush()
            self._changed.notify_all()
            while not buffer.flushed(target):
                self._changed.wait()
            buffer.report()

    def close(self) -> None:
        """Send everything accepted, stop the thread, and report what could not be delivered."""
        with self._lock:
            self._buffer.closing = True
            self._changed.notify_all()
        self._thread.join()
        atexit.unregister(self._close_at_exit)
        self._client._writers.discard(self)
        with self._lock:
            self._buffer.report()

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
        changed = self._changed
        interval = buffer.settings.flush_interval
        try:
            while True:
                with self._lock:
                    deadline = time.monotonic() + interval
                    while not buffer.ready():
                        remaining = deadline - time.monotonic()
                        if remaining <= 0:
                            break
                        changed.wait(remaining)
                    batch = buffer.next_batch()
                    if batch is None:
                        changed.notify_all()
                        return
                if not batch:
                    continue
                try:
                    response = self._client._execute(buffer.call(batch))
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
                changed.notify_all()
            raise


class SpanWriter:
    """Buffers items for an async client and sends them from a task in the running loop.

    The task starts with the first `write()`, in that event loop; the writer
    refuses use from another loop. Close the writer (`async with`, or `await
    close()`), or the client (which closes its writers first), before the
    event loop ends: that sends everything accepted and reports what could
    not be delivered. A task the loop cancels turns what it held into
    failures, and the writer refuses further writes. At interpreter exit
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
        self._buffer = WriteBuffer(settings, type(self).__name__)
        self._changed: asyncio.Condition | None = None
        self._task: asyncio.Task[None] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        if client._closed:
            client._check_open()
        client._writers.add(self)
        atexit.register(self._report_at_exit)

    def _condition(self) -> asyncio.Condition:
        """The condition the task and callers share, made (with the task) in the first loop."""
        loop = asyncio.get_running_loop()
        if self._changed is None:
            self._loop = loop
            self._changed = asyncio.Condition()
            self._task = loop.create_task(self._run())
        elif loop is not self._loop:
            raise PrefactorClientError(
                "SpanWriter was first used in another event loop: its sender runs there; "
                "create one writer per event loop"
            )
        return self._changed

    async def write(self, item: BulkItem) -> None:
        """Accept `item` for sending; waits or raises when the buffer is full (see module)."""
        buffer = self._buffer
        body = buffer.encode(item)
        changed = self._condition()
        if not buffer.has_room():
            deadline = buffer.room_deadline(time.monotonic())
            async with changed:
                while not buffer.has_room():
                    remaining = deadline - time.monotonic()
                    if remaining <= 0:
                        raise buffer.full_error()
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(changed.wait(), remaining)
        if buffer.add(item, body):
            async with changed:
                changed.notify_all()

    async def flush(self) -> None:
        """Send everything accepted so far; raise PrefactorDeliveryError for what failed."""
        buffer = self._buffer
        changed = self._condition()
        async with changed:
            target = buffer.want_flush()
            changed.notify_all()
            await changed.wait_for(lambda: buffer.flushed(target))
        buffer.report()

    async def close(self) -> None:
        """Send everything accepted, end the task, and report what could not be delivered.

        A caller that stops waiting (a timeout, a cancellation) does not stop
        the task: it keeps sending, and a later `close()` waits for it again.
        """
        buffer = self._buffer
        buffer.closing = True
        task = self._task
        if task is not None and not task.done():
            changed = self._condition()
            async with changed:
                changed.notify_all()
            # asyncio.wait shields the task: cancelling this wait leaves the sender running.
            await asyncio.wait((task,))
        atexit.unregister(self._report_at_exit)
        self._client._writers.discard(self)
        buffer.report()

    def _report_at_exit(self) -> None:
        lost = self._buffer.pending + len(self._buffer.failures)
        if lost:
            logger.error(
                "span writer was never closed: %d accepted item(s) were not sent, or failed "
                "unreported; use `async with SpanWriter(...)` or `await writer.close()`",
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

    async def _run(self) -> None:
        buffer = self._buffer
        changed = self._condition()
        interval = buffer.settings.flush_interval
        try:
            while True:
                async with changed:
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(changed.wait_for(buffer.ready), interval)
                    batch = buffer.next_batch()
                    if batch is None:
                        changed.notify_all()
                        return
                if not batch:
                    continue
                try:
                    response = await self._client._execute(buffer.call(batch))
                except Exception as exc:  # reported to the caller with the items, never dropped
                    buffer.undelivered(batch, exc)
                else:
                    buffer.delivered(batch, response)
                async with changed:
                    changed.notify_all()
        except BaseException as exc:
            buffer.sender_ended(exc)
            async with changed:  # waiting writes and flushes see it at once
                changed.notify_all()
            raise
