"""An async writer still open as the process ends: closed in an event loop of its own.

At interpreter exit, or when a multiprocessing child ends, every loop the
application ran has ended, and the ending interpreter refuses new threads:
the writer's close runs in a fresh loop that needs none, within
`exit_timeout`, and what it could not deliver is logged, never raised.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING

from prefactor_http._loss_report import report_loss
from prefactor_http.exceptions import PrefactorDeliveryError

if TYPE_CHECKING:  # `_async_writer` imports this module
    from prefactor_http._async_writer import SpanWriter
    from prefactor_http.models.bulk import WriterStats

logger = logging.getLogger("prefactor_http")


def close_unclosed(writer: SpanWriter, when: str) -> None:
    """Close an unclosed writer as the process ends, in a loop of its own; log, never raise.

    Every loop the application ran has ended by then, so the sender
    starts again in this one and sends what the old one held (with a
    spool, what is left after `exit_timeout` stays there).
    """
    if writer._finished or not (writer._buffer.pending or writer._buffer.failures):
        with writer._lock:
            writer._buffer.close_spool()
        return
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        pass
    else:  # ended from inside a running loop: no loop of its own can run here
        _report_unsent(writer, when)
        return
    timeout = writer._settings.exit_timeout
    try:
        stats = _run_at_exit(writer.close(timeout=timeout))
    except PrefactorDeliveryError as exc:
        report_loss(
            logging.WARNING,
            "span writer %s (not closed by the application): %d accepted item(s) not "
            "delivered within %gs; first: %s",
            when,
            len(exc.failures),
            timeout,
            exc.failures[0],
        )
    except Exception as exc:
        logger.error("span writer %s could not send what it held: %r", when, exc)
        _report_unsent(writer, when)
    else:
        logger.info(
            "span writer %s (not closed by the application): %d delivered, %d pending",
            when,
            stats.delivered,
            stats.pending,
        )


def _report_unsent(writer: SpanWriter, when: str) -> None:
    with writer._lock:
        spooled = writer._buffer.close_spool()  # logs what it keeps
        lost = writer._buffer.pending + len(writer._buffer.failures) - spooled
    if lost > 0:
        report_loss(
            logging.ERROR,
            "span writer %s was never closed: %d accepted item(s) were not sent, or failed "
            "unreported; use `async with SpanWriter(...)` or `await writer.close()`",
            when,
            lost,
        )


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
