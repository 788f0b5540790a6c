"""A span writer's durable spool: one SQLite file per writer, in WAL mode, in `spool_dir`.

Why SQLite: it is in the standard library, its commits survive a killed
process (and, with `synchronous=FULL`, power loss), a crashed writer's
file is recovered by the next opener, and its file locks are released by
the kernel when a process dies. So ownership needs no pids: a writer holds
its file with `locking_mode=EXCLUSIVE` for its whole life, and a file
another writer can lock belongs to a process that is gone, whose items it
takes over, keys unchanged (the API replays a key it has seen).

Rows are the items' encoded bodies (never the token), with the wall-clock
time they were accepted, so a taken-over item keeps its age. A taken-over
file is read and emptied in place, a batch at a time, its lock held until
it is empty: nothing is copied, and a crash meanwhile leaves it to the next
writer.
"""

from __future__ import annotations

import contextlib
import logging
import os
import secrets
import sqlite3
import threading
import time
import urllib.parse
from collections import deque
from collections.abc import Callable
from typing import Literal

from prefactor_http import _validate
from prefactor_http.exceptions import PrefactorBufferFullError, PrefactorClientError

logger = logging.getLogger("prefactor_http")

SpoolSync = Literal["batch", "always"]
SPOOL_DIR_ENV = "PREFACTOR_SPOOL_DIR"
SPOOL_SYNC_ENV = "PREFACTOR_SPOOL_SYNC"

COMMIT_INTERVAL = 0.1  # seconds: `batch` mode's loss window
BROKEN_RETRY = 1.0  # seconds between commits tried while they fail (disk full)
# Marks our files (PRAGMA application_id): anything else in the directory is set aside.
APPLICATION_ID = 0x50524653  # "PRFS"
SUFFIX = ".spool.sqlite3"
SET_ASIDE = "set-aside"
# A file still empty this long after it was made belongs to a writer that died creating it.
EMPTY_GRACE = 60.0
# A taken-over row's seq, negative, names its file (a number of this spool's) and its row.
_TAKEN_ROW_BITS = 40
_COMPANIONS = ("-wal", "-shm", "-journal")

SCHEMA = (
    "CREATE TABLE IF NOT EXISTS items ("
    "seq INTEGER PRIMARY KEY, key TEXT NOT NULL, body BLOB NOT NULL, accepted_at REAL NOT NULL)"
)

Row = tuple[int, str, bytes, float]  # seq, key, body, accepted_at (wall clock)

# Spool connections a forked child inherited: kept referenced, never closed or
# collected there, as closing one would checkpoint the parent's live file.
_inherited: list[sqlite3.Connection] = []
_open: set[Spool] = set()
# Held while a spool is made: with every open spool's lock, what fork waits for, so
# that no thread of ours is inside SQLite (holding its mutexes) when a child is made.
_making = threading.Lock()


def settings(spool_dir: object, spool_sync: object) -> tuple[str | None, SpoolSync]:
    """The spool a writer uses: its arguments, else PREFACTOR_SPOOL_DIR / PREFACTOR_SPOOL_SYNC."""
    if spool_dir is None:
        spool_dir = os.environ.get(SPOOL_DIR_ENV) or None
    elif isinstance(spool_dir, os.PathLike):
        spool_dir = os.fspath(spool_dir)
    if spool_dir is not None and (not isinstance(spool_dir, str) or not spool_dir):
        _validate.refuse("spool_dir", f"must be a directory path, got {spool_dir!r}")
    if spool_sync is None:
        spool_sync = os.environ.get(SPOOL_SYNC_ENV) or "batch"
    sync = _validate.choice("spool_sync", spool_sync, ("batch", "always"))
    return spool_dir, sync  # type: ignore[return-value]


def _connect(path: str) -> sqlite3.Connection:
    """A connection to an existing file (never creating one) that keeps its lock once taken."""
    connection = sqlite3.connect(
        f"file:{urllib.parse.quote(path)}?mode=rw",
        uri=True,
        timeout=0,
        isolation_level=None,
        check_same_thread=False,
    )
    connection.execute("PRAGMA locking_mode=EXCLUSIVE")
    return connection


_inside = threading.local()  # how many spool locks this thread holds
_deferred: list[Callable[[], None]] = []  # run once the main thread holds none


class _SpoolLock:
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


class _Taken:
    """A dead writer's file this spool holds: read from `cursor` on, emptied as rows settle."""

    def __init__(self, db: sqlite3.Connection, path: str, rows: int, size: int) -> None:
        self.db = db
        self.path = path
        self.unread = rows
        self.unread_bytes = size
        self.unsettled = rows
        self.cursor = 0  # the last row read
        self.settled: list[tuple[int]] = []  # rows to delete at the next commit


class Spool:
    """One writer's file: rows added at `write()`, removed once settled, committed in batches.

    `add` and `settle` append to deques; the committer thread (or, in
    `always` mode, `add` itself) writes them. Every use of a connection is
    under `_lock`, re-entrant: a signal handler closing the writer may run
    in a thread that is inside a commit, which it then leaves alone.
    """

    def __init__(self, directory: str, sync: SpoolSync, owner: str) -> None:
        """Make this writer's file; PrefactorClientError if the directory cannot hold one."""
        self.directory = directory
        self.sync = sync
        self.path = os.path.join(directory, f"{secrets.token_hex(8)}{SUFFIX}")
        try:
            os.makedirs(directory, mode=0o700, exist_ok=True)
            # Created 0600 before SQLite opens it; its WAL file takes the same mode.
            os.close(os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
            with _making:
                self._db = self._create()
                self._lock = _SpoolLock()
                _open.add(self)
        except (OSError, sqlite3.Error) as exc:
            _remove(self.path)
            raise PrefactorClientError(
                f"{owner} cannot make its spool file in {directory} ({exc}): the writer was "
                "not made (a full disk, say; or spool_dir=None for no spool)"
            ) from exc
        self._committing = False
        self._added: deque[Row] = deque()  # not yet committed
        self._settled: deque[int] = deque()  # seqs to delete at the next commit, or taken rows'
        self._seq = 0
        self._committed = 0  # the highest seq committed
        self.bytes = 0  # encoded bytes of the rows held, taken-over files' included
        self.broken: BaseException | None = None  # the last commit failed (disk full, say)
        self._wake = threading.Event()
        self._closed = False
        self._taken: dict[int, _Taken] = {}  # by number, in the order taken
        self._takes = 0
        self.lost_taken = 0  # rows of taken-over files that could not be read
        threading.Thread(
            target=self._commit_every_interval, name="prefactor-spool", daemon=True
        ).start()

    def _create(self) -> sqlite3.Connection:
        db = _connect(self.path)
        try:
            db.execute("PRAGMA busy_timeout=10000")  # a scanner may hold the new, empty file
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=FULL")
            db.execute("BEGIN IMMEDIATE")  # from here on, this process holds the file
            db.execute(f"PRAGMA application_id={APPLICATION_ID}")
            db.execute(SCHEMA)
            db.execute("COMMIT")
            db.execute("PRAGMA busy_timeout=0")
        except BaseException:
            db.close()
            raise
        return db

    @property
    def uncommitted(self) -> int:
        """Rows waiting for their commit."""
        return len(self._added)

    # Rows in and out.

    def add(self, key: str, body: bytes, accepted_at: float) -> int:
        """Keep an accepted item; its seq, or 0 when it is kept in memory only.

        `always` commits it now: if that fails, PrefactorBufferFullError, and
        nothing is kept (the item is not accepted). `batch` commits it within
        COMMIT_INTERVAL; while commits fail (disk full) it is not queued at
        all, so memory does not grow: the writer then holds it like a writer
        without a spool.
        """
        if self.sync == "batch" and self.broken is not None:
            return 0
        seq = self._seq + 1
        row = (seq, key, body, accepted_at)
        self._added.append(row)
        if self.sync == "always":
            try:
                self.commit()
            except BaseException:  # Ctrl-C, say: the item was not accepted, and is not kept
                with self._lock, contextlib.suppress(ValueError):
                    self._added.remove(row)
                raise
            if self.broken is not None:
                with self._lock, contextlib.suppress(ValueError):
                    self._added.remove(row)
                raise PrefactorBufferFullError(
                    f"span writer spool cannot store the item ({self.broken}): it was not accepted"
                )
        elif not self._wake.is_set():
            self._wake.set()
        self._seq = seq
        self.bytes += len(body)
        return seq

    def settle(self, seq: int, size: int) -> None:
        """The item was delivered or reported failed: it leaves the spool at the next commit."""
        if not seq:
            return
        self.bytes -= size
        self._settled.append(seq)
        if not self._wake.is_set():
            self._wake.set()

    def unsaved(self, seq: int) -> bool:
        """Whether the row `seq` exists in memory only: not committed (yet, or ever)."""
        return seq == 0 or seq > self._committed

    def commit(self) -> None:
        """Remove what settled and write what was added, in one transaction per file.

        On failure (disk full, say) everything stays queued for the next
        try, and `broken` tells the writer to accept no more than memory
        holds. A taken-over file whose rows have all settled is removed.
        """
        with self._lock:
            if self._closed or self._committing:
                return
            added, settled = self._added, self._settled
            # Settled first: each of those rows was added before, so it is in `rows` or
            # committed already, never left behind to be written after its delete.
            gone = list(settled)
            rows = list(added)
            if not rows and not gone:
                return
            self._committing = True
            try:
                self._write(rows, gone)
            except sqlite3.Error as exc:
                if self.broken is None:
                    logger.warning("span writer spool %s cannot commit: %s", self.path, exc)
                self.broken = exc
                return
            finally:
                self._committing = False
            for _ in rows:
                added.popleft()
            for _ in gone:
                settled.popleft()
            if rows:
                self._committed = rows[-1][0]
            if self.broken is not None:
                logger.warning("span writer spool %s commits again", self.path)
            self.broken = None
            for seq in gone:
                if seq < 0:
                    number, row = divmod(-seq, 1 << _TAKEN_ROW_BITS)
                    taken = self._taken.get(number)
                    if taken is not None:  # else its file was set aside meanwhile
                        taken.settled.append((row,))
            for number, taken in list(self._taken.items()):
                self._empty(number, taken)

    def _write(self, rows: list[Row], gone: list[int]) -> None:
        """One transaction: delete settled rows, insert added ones (but those settled already)."""
        committed = self._committed
        early = {seq for seq in gone if seq > committed}  # settled before they were written
        db = self._db
        try:
            db.execute("BEGIN IMMEDIATE")
            db.executemany(
                "DELETE FROM items WHERE seq = ?", [(seq,) for seq in gone if 0 < seq <= committed]
            )
            db.executemany(
                "INSERT INTO items(seq, key, body, accepted_at) VALUES (?, ?, ?, ?)",
                [row for row in rows if row[0] not in early] if early else rows,
            )
            db.execute("COMMIT")
        except BaseException:  # Ctrl-C included: nothing of it is kept
            with contextlib.suppress(sqlite3.Error):
                db.execute("ROLLBACK")
            raise

    def _empty(self, number: int, taken: _Taken) -> None:
        """Delete a taken-over file's settled rows; remove the file once none is left."""
        if taken.settled:
            db = taken.db
            try:
                db.execute("BEGIN IMMEDIATE")
                db.executemany("DELETE FROM items WHERE seq = ?", taken.settled)
                db.execute("COMMIT")
            except sqlite3.Error as exc:  # left for the next commit; resent at worst
                with contextlib.suppress(sqlite3.Error):
                    db.execute("ROLLBACK")
                logger.warning("span writer spool %s cannot commit: %s", taken.path, exc)
                return
            taken.unsettled -= len(taken.settled)
            taken.settled = []
        if taken.unsettled == 0 and taken.unread == 0:
            taken.db.close()
            del self._taken[number]
            _remove(taken.path)

    def load(self, after: int, limit: int) -> list[Row]:
        """Own rows after seq `after`, oldest first: items that did not fit in memory.

        Rows a failing disk kept from being committed come from memory.
        """
        with self._lock:
            if self._added:
                self.commit()  # they may be among them
            rows: list[Row] = self._db.execute(
                "SELECT seq, key, body, accepted_at FROM items WHERE seq > ? ORDER BY seq LIMIT ?",
                (after, limit),
            ).fetchall()
            if len(rows) < limit and self._added:
                rows += [row for row in self._added if row[0] > after][: limit - len(rows)]
            return rows

    def unsaved_rows(self, after: int) -> list[Row]:
        """Rows after seq `after` that exist in memory only (commits failed)."""
        with self._lock:
            return [row for row in self._added if row[0] > after]

    def load_taken(self, limit: int) -> list[Row]:
        """Up to `limit` unread rows of taken-over files, oldest file first; seqs are negative."""
        with self._lock:
            for number, taken in self._taken.items():
                if not taken.unread:
                    continue
                base = number << _TAKEN_ROW_BITS
                try:
                    rows: list[Row] = taken.db.execute(
                        "SELECT -(? + seq), key, body, accepted_at FROM items WHERE seq > ? "
                        "ORDER BY seq LIMIT ?",
                        (base, taken.cursor, limit),
                    ).fetchall()
                except sqlite3.Error as exc:
                    self._drop_taken(number, taken, str(exc))
                    return []
                if len(rows) < min(limit, taken.unread):
                    self._drop_taken(number, taken, "rows are missing")
                    return []
                taken.unread -= len(rows)
                taken.unread_bytes -= sum(len(row[2]) for row in rows)
                if rows:
                    taken.cursor = -rows[-1][0] - base
                return rows
            return []

    @property
    def taken_unread(self) -> int:
        """Rows of taken-over files not yet read."""
        return sum(taken.unread for taken in self._taken.values())

    def _drop_taken(self, number: int, taken: _Taken, why: str) -> None:
        """A taken-over file failed part-way: set aside; its unread rows counted as lost.

        Rows read from it before stay in play; their settling is ignored.
        """
        self.lost_taken += taken.unread
        self.bytes -= taken.unread_bytes
        taken.db.close()
        del self._taken[number]
        self._set_aside(taken.path, why)

    def _commit_every_interval(self) -> None:
        while not self._closed:
            # After a failed commit, tried again every second until the disk takes it.
            self._wake.wait(None if self.broken is None else BROKEN_RETRY)
            self._wake.clear()
            time.sleep(COMMIT_INTERVAL)
            self.commit()

    def close(self) -> int:
        """Commit, release every file, and remove this one when it holds nothing.

        Returns the rows left on disk, taken-over files' included. Rows a
        failing disk kept in memory are lost here: the writer reports them
        as failures first (`unsaved_rows`).
        """
        with self._lock:
            self.commit()
            if self._closed:
                return 0
            self._closed = True
            self._wake.set()
            left = 0
            with contextlib.suppress(sqlite3.Error):
                left = int(self._db.execute("SELECT count(*) FROM items").fetchone()[0])
            self._db.close()
            for taken in self._taken.values():
                left += taken.unsettled
                taken.db.close()
            self._taken.clear()
            _open.discard(self)
        if left == 0:
            _remove(self.path)
        return left

    # Dead writers' files.

    def take_over(self) -> int:
        """Hold every file in the directory whose writer is gone; returns their rows.

        A file whose lock is held belongs to a live writer and is skipped; a
        file SQLite cannot read, or not ours, is set aside with a warning.
        """
        try:
            names = sorted(os.listdir(self.directory))
        except OSError as exc:
            logger.warning("span writer spool %s cannot be listed: %s", self.directory, exc)
            return 0
        total = 0
        for name in names:
            path = os.path.join(self.directory, name)
            if path == self.path or name == SET_ASIDE or name.endswith(_COMPANIONS):
                continue
            if any(taken.path == path for taken in self._taken.values()):
                continue
            try:
                info = os.stat(path)
            except OSError:
                continue  # taken by another writer meanwhile
            if not os.path.isfile(path):
                continue
            if info.st_size == 0:
                if time.time() - info.st_mtime > EMPTY_GRACE:
                    _remove(path)  # a writer died making it: it holds nothing
                continue
            if not name.endswith(SUFFIX):
                self._set_aside(path, "not a span writer spool file")
                continue
            with self._lock:
                total += self._take(path)
        return total

    def _take(self, path: str) -> int:
        db = None
        try:
            db = _connect(path)
            db.execute("BEGIN IMMEDIATE")  # fails at once while its writer lives
            if db.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
                raise sqlite3.DatabaseError("not a span writer spool file")
            rows, size = db.execute("SELECT count(*), total(length(body)) FROM items").fetchone()
            db.execute("COMMIT")  # the lock stays: EXCLUSIVE locking mode
            # Only deletes are written here: one a power cut undoes is a resend, replayed.
            db.execute("PRAGMA synchronous=NORMAL")
        except sqlite3.Error as exc:
            if db is not None:
                db.close()
            if isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc):
                return 0
            if isinstance(exc, sqlite3.OperationalError) and "unable to open" in str(exc):
                return 0  # removed meanwhile by the writer that took it
            self._set_aside(path, str(exc))
            return 0
        if not rows:
            db.close()
            _remove(path)
            return 0
        self._takes += 1
        self._taken[self._takes] = _Taken(db, path, int(rows), int(size))
        self.bytes += int(size)
        logger.info("span writer: took over %d item(s) a stopped writer left in %s", rows, path)
        return int(rows)

    def _set_aside(self, path: str, why: str) -> None:
        aside = os.path.join(self.directory, SET_ASIDE)
        with contextlib.suppress(OSError):
            os.makedirs(aside, mode=0o700, exist_ok=True)
        name = f"{time.time():.0f}-{os.path.basename(path)}"
        try:
            os.replace(path, os.path.join(aside, name))
            for companion in _COMPANIONS:
                if os.path.exists(path + companion):
                    os.replace(path + companion, os.path.join(aside, name + companion))
        except OSError as exc:
            logger.warning("span writer spool: cannot set %s aside (%s): %s", path, why, exc)
            return
        logger.warning(
            "span writer spool: %s is unreadable (%s); set aside in %s", path, why, aside
        )


def _remove(path: str) -> None:
    """Remove a spool file and its companions, as far as they exist (best effort)."""
    for name in (path, *(path + c for c in _COMPANIONS)):
        with contextlib.suppress(OSError):
            os.unlink(name)


_held_at_fork: list[Spool] = []


def _before_fork() -> None:
    """Wait until no thread of ours is inside SQLite: a child must not inherit its mutexes held."""
    _making.acquire()
    _held_at_fork[:] = list(_open)
    for spool in _held_at_fork:
        spool._lock.acquire()


def _after_fork_in_parent() -> None:
    for spool in _held_at_fork:
        spool._lock.release()
    _held_at_fork.clear()
    _making.release()


def _after_fork_in_child() -> None:
    """The parent's spools are not the child's: never touched, closed or collected here."""
    for spool in _held_at_fork:
        _inherited.extend((spool._db, *(taken.db for taken in spool._taken.values())))
        spool._closed = True
        spool._lock.release()
    _held_at_fork.clear()
    _open.clear()
    _making.release()


os.register_at_fork(
    before=_before_fork, after_in_parent=_after_fork_in_parent, after_in_child=_after_fork_in_child
)
