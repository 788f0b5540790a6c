"""The process around the span writers: fork, SIGTERM, and interpreter and worker exit.

What each hook does for the application is told in `prefactor_http.writer`;
here are the hooks themselves: the registries of open writers, a forked
child's fresh writers, the SIGTERM handler, multiprocessing's finalizer
for a worker's end (which skips atexit), and closing the blocking writers
together within their `exit_timeout`, logging what they could not send.
Apart from the writers because these are the process's, installed once
over every open writer of both kinds.
"""

from __future__ import annotations

import logging
import os
import signal
import threading
import time
import weakref
from multiprocessing.util import Finalize, register_after_fork
from types import FrameType
from typing import TYPE_CHECKING

from prefactor_http import _spool_locks
from prefactor_http._loss_report import report_loss
from prefactor_http.exceptions import PrefactorClientError, PrefactorDeliveryError

if TYPE_CHECKING:  # the writers import this module
    from prefactor_http._async_writer import SpanWriter
    from prefactor_http.models.bulk import WriterStats
    from prefactor_http.writer import SyncSpanWriter

logger = logging.getLogger("prefactor_http")

# Open blocking writers of this process (each also held by its thread and atexit).
open_sync_writers: set[SyncSpanWriter] = set()
# The async writers of this process, started over in a forked child.
async_writers: weakref.WeakSet[SpanWriter] = weakref.WeakSet()
_sigterm_seen = False
_closing_at_end = False  # interpreter or worker exit is closing the writers
_sigterm_deferred = False  # SIGTERM came meanwhile: the process dies of it once they are closed


def _after_fork_in_child() -> None:
    """Each open writer starts over in a forked child, empty, with a sender of its own.

    The child has none of the parent's threads, and must not share its task;
    the parent sends what it held.
    """
    for sync_writer in list(open_sync_writers):
        sync_writer._start(in_child=True)
    for async_writer in list(async_writers):
        async_writer._start(in_child=True)


os.register_at_fork(after_in_child=_after_fork_in_child)


class _ForkMarker:
    """What multiprocessing's after-fork registry holds on to (it keeps weak references)."""


_fork_marker = _ForkMarker()
# A forked multiprocessing child clears the finalizers it inherited, then runs these.
register_after_fork(_fork_marker, lambda _: close_at_worker_exit())


def install_sigterm_handler() -> None:
    """Handle SIGTERM, if the application does not.

    Only the main thread of the main interpreter can, and only the default
    disposition (SIG_DFL) is replaced.
    """
    if threading.current_thread() is not threading.main_thread():
        return
    try:
        if signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
            signal.signal(signal.SIGTERM, _on_sigterm)
    except ValueError:  # not the main interpreter
        return


def _on_sigterm(signum: int, frame: FrameType | None) -> None:
    """Send what the writers hold, within their `exit_timeout`, then die of SIGTERM.

    A second SIGTERM while sending ends the process at once.
    """
    global _sigterm_seen, _sigterm_deferred
    if not _sigterm_seen and _spool_locks.run_outside(lambda: _on_sigterm(signum, frame)):
        return  # it interrupted a spool commit, which the senders may wait for: after it
    if _closing_at_end and not _sigterm_seen:
        # Exit is closing the writers already, and this handler may have interrupted it
        # holding a lock their senders need (logging's, say): waiting here could only
        # stall them. Exit finishes closing, then the process dies of SIGTERM.
        _sigterm_seen = _sigterm_deferred = True
        return
    if not _sigterm_seen:
        _sigterm_seen = True
        writers = [w for w in list(open_sync_writers) if w._handle_sigterm]
        _close_all_before_exit(writers, "on SIGTERM")
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.raise_signal(signal.SIGTERM)


_worker_exit_registered_in = 0  # the pid whose multiprocessing finalizers close the writers


def close_at_worker_exit() -> None:
    """In a multiprocessing child, close the writers when it ends.

    A pool worker (or any multiprocessing child) ends with `os._exit`, which
    skips atexit; multiprocessing runs its own finalizers first. Registered
    once per process: a child forked from such a child inherits the mark but
    not the finalizer (multiprocessing clears those), hence the pid.
    """
    global _worker_exit_registered_in
    if _worker_exit_registered_in != os.getpid():
        _worker_exit_registered_in = os.getpid()
        Finalize(None, _close_workers_writers, exitpriority=100)


def _close_workers_writers() -> None:
    global _worker_exit_registered_in
    _worker_exit_registered_in = 0
    close_at_end(list(open_sync_writers), "at worker exit")
    for async_writer in list(async_writers):
        async_writer._close_at_exit("at worker exit")


def close_at_end(writers: list[SyncSpanWriter], when: str) -> None:
    """Close `writers` as the interpreter or a worker ends; die of a SIGTERM that came meanwhile."""
    global _closing_at_end
    _closing_at_end = True
    try:
        _close_all_before_exit(writers, when)
    finally:
        _closing_at_end = False
    if _sigterm_deferred and threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.raise_signal(signal.SIGTERM)


def _close_all_before_exit(writers: list[SyncSpanWriter], when: str) -> None:
    """Close `writers` together, each within its `exit_timeout`; log what was not delivered.

    A Ctrl-C while they send (at exit, the second one: the first began the
    exit) abandons every one of them at once: the user asked to stop now,
    and the wait could last the whole `exit_timeout`. What each held is
    logged with its counts, never dropped silently.
    """
    start = time.monotonic()
    try:
        for writer in writers:
            writer._begin_close()
            pending = writer._buffer.pending
            if pending:
                logger.info(
                    "span writer %s: sending %d accepted item(s), for up to %gs; "
                    "Ctrl-C abandons them",
                    when,
                    pending,
                    writer._settings.exit_timeout,
                )
        for writer in writers:
            _close_before_exit(writer, start + writer._settings.exit_timeout, when)
    except KeyboardInterrupt:
        for writer in writers:
            if writer in open_sync_writers:
                _close_before_exit(writer, time.monotonic(), when, abandoned=True)


def _close_before_exit(
    writer: SyncSpanWriter, deadline: float, when: str, abandoned: bool = False
) -> None:
    """Close within `deadline`; log, never raise, what could not be delivered.

    `abandoned`: Ctrl-C cut sending short, so the deadline is now.
    """
    if abandoned:
        waited, ended, cut = f"sending {when}", "was abandoned", "Ctrl-C abandoned sending"
    else:
        waited = f"the {writer._settings.exit_timeout:g}s deadline {when}"
        ended, cut = "ran out", f"{waited} passed"
    writer._given_up = 0
    try:
        stats = writer._finish_close(deadline, waited, ended)[1]
    except PrefactorDeliveryError as exc:
        late = writer._given_up
        report_loss(
            logging.WARNING,
            "span writer %s: %s; %d accepted item(s) not delivered (%d unsent or unanswered "
            "when %s, %d failed); first: %s",
            when,
            _counts(exc.stats),
            len(exc.failures),
            late,
            cut,
            len(exc.failures) - late,
            exc.failures[0],
        )
    except PrefactorClientError as exc:
        report_loss(
            logging.WARNING, "span writer %s: %s; %s", when, _counts(writer._buffer.stats()), exc
        )
    else:
        if stats.pending:
            logger.warning("span writer %s: %s, kept in the spool (%s)", when, _counts(stats), cut)
        elif stats.accepted:
            logger.info("span writer %s: %s", when, _counts(stats))


def _counts(stats: WriterStats | None) -> str:
    if stats is None:
        return "counts unknown"
    return (
        f"{stats.accepted} accepted, {stats.delivered} delivered, {stats.failed} failed, "
        f"{stats.pending} pending"
    )
