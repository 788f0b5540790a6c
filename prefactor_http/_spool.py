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
from collections import deque
from typing import Literal

from prefactor_http import _validate
from prefactor_http.exceptions import PrefactorBufferFullError

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
    "seq INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, body BLOB NOT NULL, "
    "accepted_at REAL NOT NULL)"
)

Row = tuple[int, str, bytes, float]  # seq, key, body, accepted_at (wall clock)

# Spool connections a forked child inherited: kept referenced, never closed or
# collected there, as closing one would checkpoint the parent's live file.
_inherited: list[sqlite3.Connection] = []
_open: set[Spool] = set()


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
    """A connection that takes the file's lock at its first write and keeps it until closed."""
    connection = sqlite3.connect(path, timeout=0, isolation_level=None, check_same_thread=False)
    connection.execute("PRAGMA locking_mode=EXCLUSIVE")
    return connection


class _Taken:
    """A dead writer's file this spool holds: read from `cursor` on, emptied as rows settle."""

    def __init__(self, db: sqlite3.Connection, path: str, rows: int) -> None:
        self.db = db
        self.path = path
        self.unread = rows
        self.unsettled = rows
        self.cursor = 0  # the last row read
        self.settled: list[tuple[int]] = []  # rows to delete at the next commit


class Spool:
    """One writer's file: rows added at `write()`, removed once settled, committed in batches.

    Not locked against concurrent callers except around the connections:
    `add` and `settle` append to deques (atomic), the committer thread and
    the writer's sender share the connections under `_lock`.
    """

    def __init__(self, directory: str, sync: SpoolSync) -> None:
        self.directory = directory
        self.sync = sync
        os.makedirs(directory, mode=0o700, exist_ok=True)
        self.path = os.path.join(directory, f"{secrets.token_hex(8)}{SUFFIX}")
        # Created 0600 before SQLite opens it; its WAL file takes the same mode.
        os.close(os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
        db = self._db = _connect(self.path)
        db.execute("PRAGMA busy_timeout=10000")  # a scanner may hold the new, empty file briefly
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=FULL")
        db.execute("BEGIN IMMEDIATE")  # from here on, this process holds the file
        db.execute(f"PRAGMA application_id={APPLICATION_ID}")
        db.execute(SCHEMA)
        db.execute("COMMIT")
        db.execute("PRAGMA busy_timeout=0")
        self._lock = threading.Lock()
        self._added: deque[Row] = deque()  # not yet committed (`batch`)
        self._settled: deque[int] = deque()  # seqs to delete at the next commit, or taken rows'
        self._seq = 0
        self.bytes = 0  # encoded bytes of the rows held, taken-over files' included
        self.broken: sqlite3.Error | None = None  # the last commit failed (disk full, say)
        self._wake = threading.Event()
        self._closed = False
        self._taken: dict[int, _Taken] = {}  # by number, in the order taken
        self._takes = 0
        self.lost_taken = 0  # rows of taken-over files that could not be read
        if sync == "batch":
            threading.Thread(
                target=self._commit_every_interval, name="prefactor-spool", daemon=True
            ).start()
        _open.add(self)

    # Rows in and out.

    def add(self, key: str, body: bytes, accepted_at: float) -> int:
        """Keep an accepted item: committed now (`always`) or within COMMIT_INTERVAL (`batch`).

        In `always` mode a failed commit raises PrefactorBufferFullError and
        keeps nothing: the item is not accepted.
        """
        seq = self._seq + 1
        self._added.append((seq, key, body, accepted_at))
        if self.sync == "always":
            self.commit()
            if self.broken is not None:
                with self._lock, contextlib.suppress(ValueError):
                    self._added.remove((seq, key, body, accepted_at))
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
        self.bytes -= size
        self._settled.append(seq)
        if self.sync == "batch" and not self._wake.is_set():
            self._wake.set()

    def commit(self) -> None:
        """Write what was added and remove what settled, in one transaction per file.

        On failure (disk full, say) the rows stay queued for the next try,
        and `broken` tells the writer to accept no more than memory holds.
        A taken-over file whose rows have all settled is removed.
        """
        with self._lock:
            if self._closed:
                return
            added, settled = self._added, self._settled
            if not added and not settled:
                return
            rows = [added.popleft() for _ in range(len(added))]
            gone = []
            for _ in range(len(settled)):
                seq = settled.popleft()
                if seq > 0:
                    gone.append((seq,))
                else:
                    number, row = divmod(-seq, 1 << _TAKEN_ROW_BITS)
                    self._taken[number].settled.append((row,))
            db = self._db
            try:
                db.execute("BEGIN IMMEDIATE")
                db.executemany(
                    "INSERT INTO items(seq, key, body, accepted_at) VALUES (?, ?, ?, ?)", rows
                )
                db.executemany("DELETE FROM items WHERE seq = ?", gone)
                db.execute("COMMIT")
            except sqlite3.Error as exc:
                with contextlib.suppress(sqlite3.Error):
                    db.execute("ROLLBACK")
                added.extendleft(reversed(rows))
                settled.extendleft(seq for (seq,) in reversed(gone))
                if self.broken is None:
                    logger.warning("span writer spool %s cannot commit: %s", self.path, exc)
                self.broken = exc
                return
            if self.broken is not None:
                logger.warning("span writer spool %s commits again", self.path)
            self.broken = None
            for number, taken in list(self._taken.items()):
                self._empty(number, taken)

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
        if taken.unsettled == 0:
            taken.db.close()
            del self._taken[number]
            _remove(taken.path)

    def load(self, after: int, limit: int) -> list[Row]:
        """Rows after seq `after`, oldest first: own items that did not fit in memory."""
        if self._added:
            self.commit()  # they may be among them
        with self._lock:
            return self._db.execute(
                "SELECT seq, key, body, accepted_at FROM items WHERE seq > ? ORDER BY seq LIMIT ?",
                (after, limit),
            ).fetchall()

    def load_taken(self, limit: int) -> list[Row]:
        """Up to `limit` unread rows of taken-over files, oldest file first; seqs are negative."""
        with self._lock:
            for number, taken in self._taken.items():
                if not taken.unread:
                    continue
                base = number << _TAKEN_ROW_BITS
                try:
                    rows = taken.db.execute(
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
                if rows:
                    taken.cursor = -rows[-1][0] - base
                return rows
            return []

    @property
    def taken_unread(self) -> int:
        """Rows of taken-over files not yet read."""
        return sum(taken.unread for taken in self._taken.values())

    def _drop_taken(self, number: int, taken: _Taken, why: str) -> None:
        """A taken-over file failed part-way: set aside, its unread rows counted as lost."""
        lost = taken.unread
        taken.unread = 0
        taken.unsettled -= lost
        self.lost_taken += lost
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

        Returns the rows left, taken-over files' included.
        """
        self.commit()
        with self._lock:
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
        if left == 0 and not self._added:
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
            total += self._take(path, name)
        return total

    def _take(self, path: str, name: str) -> int:
        if not name.endswith(SUFFIX):
            self._set_aside(path, "not a span writer spool file")
            return 0
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
            self._set_aside(path, str(exc))
            return 0
        if not rows:
            db.close()
            _remove(path)
            return 0
        with self._lock:
            self._takes += 1
            self._taken[self._takes] = _Taken(db, path, int(rows))
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
    for name in (path, *(path + c for c in _COMPANIONS)):
        with contextlib.suppress(FileNotFoundError):
            os.unlink(name)


def _after_fork_in_child() -> None:
    """The parent's spools are not the child's: never touched, closed or collected here."""
    for spool in list(_open):
        _inherited.extend((spool._db, *(taken.db for taken in spool._taken.values())))
        spool._closed = True
    _open.clear()


os.register_at_fork(after_in_child=_after_fork_in_child)
