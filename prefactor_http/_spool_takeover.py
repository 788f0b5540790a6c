"""Dead writers' spool files, taken over by a live writer's spool.

A file another writer can lock belongs to a process that is gone (see
`_spool`): the spool that takes it holds its lock, reads its rows a batch
at a time, deletes them as they settle, and removes the file once it is
empty; a file it cannot read is set aside. Apart from `_spool` (the
writer's own file), which mixes `TakenFiles` in and runs it under its lock.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
import time

from prefactor_http._spool_format import APPLICATION_ID, COMPANIONS, SUFFIX, Row, connect, remove
from prefactor_http._spool_locks import SpoolLock

logger = logging.getLogger("prefactor_http")

SET_ASIDE = "set-aside"
# A file still empty this long after it was made belongs to a writer that died creating it.
EMPTY_GRACE = 60.0
# A taken-over row's seq, negative, names its file (a number of this spool's) and its row.
_TAKEN_ROW_BITS = 40


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


class TakenFiles:
    """The dead writers' files a `Spool` holds: the part of it that reads and empties them."""

    # The spool's, set when it is made.
    directory: str
    path: str
    bytes: int
    _lock: SpoolLock
    _taken: dict[int, _Taken]  # by number, in the order taken
    _takes: int
    lost_taken: int  # rows of taken-over files that could not be read

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
            if path == self.path or name == SET_ASIDE or name.endswith(COMPANIONS):
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
                    remove(path)  # a writer died making it: it holds nothing
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
            db = connect(path)
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
            remove(path)
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
            for companion in COMPANIONS:
                if os.path.exists(path + companion):
                    os.replace(path + companion, os.path.join(aside, name + companion))
        except OSError as exc:
            logger.warning("span writer spool: cannot set %s aside (%s): %s", path, why, exc)
            return
        logger.warning(
            "span writer spool: %s is unreadable (%s); set aside in %s", path, why, aside
        )

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

    def _empty_taken(self, gone: list[int]) -> None:
        """After a commit that settled `gone`: empty taken-over files of their settled rows."""
        for seq in gone:
            if seq < 0:
                number, row = divmod(-seq, 1 << _TAKEN_ROW_BITS)
                taken = self._taken.get(number)
                if taken is not None:  # else its file was set aside meanwhile
                    taken.settled.append((row,))
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
        if taken.unsettled == 0 and taken.unread == 0:
            taken.db.close()
            del self._taken[number]
            remove(taken.path)

    def _release_taken(self) -> int:
        """Close every taken-over file, at the spool's close; returns the rows left in them."""
        left = 0
        for taken in self._taken.values():
            left += taken.unsettled
            taken.db.close()
        self._taken.clear()
        return left
