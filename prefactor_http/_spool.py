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

This module is the writer's own file; the file format is `_spool_format`'s,
the dead writers' files are `_spool_takeover.TakenFiles`'s (mixed into
`Spool`), and the locks and the fork hooks are `_spool_locks`'.
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
from prefactor_http._spool_format import APPLICATION_ID, SCHEMA, SUFFIX, Row, connect, remove
from prefactor_http._spool_locks import SpoolLock, making, open_spools
from prefactor_http._spool_takeover import TakenFiles
from prefactor_http.exceptions import PrefactorBufferFullError, PrefactorClientError

logger = logging.getLogger("prefactor_http")

SpoolSync = Literal["batch", "always"]
SPOOL_DIR_ENV = "PREFACTOR_SPOOL_DIR"
SPOOL_SYNC_ENV = "PREFACTOR_SPOOL_SYNC"

COMMIT_INTERVAL = 0.1  # seconds: `batch` mode's loss window
BROKEN_RETRY = 1.0  # seconds between commits tried while they fail (disk full)


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


class Spool(TakenFiles):
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
            with making:
                self._db = self._create()
                self._lock = SpoolLock()
                open_spools.add(self)
        except (OSError, sqlite3.Error) as exc:
            remove(self.path)
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
        self._taken = {}  # dead writers' files held (`TakenFiles`)
        self._takes = 0
        self.lost_taken = 0
        threading.Thread(
            target=self._commit_every_interval, name="prefactor-spool", daemon=True
        ).start()

    def _create(self) -> sqlite3.Connection:
        db = connect(self.path)
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
            self._empty_taken(gone)

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
            left += self._release_taken()
            open_spools.discard(self)
        if left == 0:
            remove(self.path)
        return left
