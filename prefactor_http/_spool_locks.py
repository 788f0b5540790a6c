"""The spools' locks, and what fork does with them.

A spool's lock knows when this thread holds any spool's, so a signal
handler can wait until it holds none (`run_outside`); fork waits until no
thread of ours is inside SQLite, and a forked child leaves the parent's
spools alone. Apart from `_spool` (one writer's file) because these are
about every spool of the process at once.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # `_spool` imports this module
    from prefactor_http._spool import Spool

# Spool connections a forked child inherited: kept referenced, never closed or
# collected there, as closing one would checkpoint the parent's live file.
_inherited: list[sqlite3.Connection] = []
open_spools: set[Spool] = set()
# Held while a spool is made: with every open spool's lock, what fork waits for, so
# that no thread of ours is inside SQLite (holding its mutexes) when a child is made.
making = threading.Lock()

_inside = threading.local()  # how many spool locks this thread holds
_deferred: list[Callable[[], None]] = []  # run once the main thread holds none


class SpoolLock:
    """A spool's lock: re-entrant, and it knows when this thread holds any spool's.

    A signal handler that would wait on the writer's sender must not run
    while its own thread holds a spool lock the sender may need (in the
    middle of an `always` commit, say): it defers itself (`run_outside`),
    and the outermost release in the main thread runs it.
    """

    def __init__(self) -> None:
        self._lock = threading.RLock()

    def acquire(self) -> None:
        self._lock.acquire()
        _inside.depth = getattr(_inside, "depth", 0) + 1

    def release(self) -> None:
        _inside.depth -= 1
        self._lock.release()
        if (
            _deferred
            and _inside.depth == 0
            and threading.current_thread() is threading.main_thread()
        ):
            for action in [_deferred.pop() for _ in range(len(_deferred))]:
                action()

    def __enter__(self) -> None:
        self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()


def run_outside(action: Callable[[], None]) -> bool:
    """Defer `action` until this thread holds no spool lock; False: it holds none, run it now."""
    if getattr(_inside, "depth", 0) == 0:
        return False
    _deferred.append(action)
    return True


_held_at_fork: list[Spool] = []


def _before_fork() -> None:
    """Wait until no thread of ours is inside SQLite: a child must not inherit its mutexes held."""
    making.acquire()
    _held_at_fork[:] = list(open_spools)
    for spool in _held_at_fork:
        spool._lock.acquire()


def _after_fork_in_parent() -> None:
    for spool in _held_at_fork:
        spool._lock.release()
    _held_at_fork.clear()
    making.release()


def _after_fork_in_child() -> None:
    """The parent's spools are not the child's: never touched, closed or collected here."""
    for spool in _held_at_fork:
        _inherited.extend((spool._db, *(taken.db for taken in spool._taken.values())))
        spool._closed = True
        spool._lock.release()
    _held_at_fork.clear()
    open_spools.clear()
    making.release()


os.register_at_fork(
    before=_before_fork, after_in_parent=_after_fork_in_parent, after_in_child=_after_fork_in_child
)
