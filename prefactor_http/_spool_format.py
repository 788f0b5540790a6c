"""What a spool file is, on disk: its name, mark and schema, and how one is opened and removed.

Shared by a writer's own file (`_spool`) and the dead writers' files it
takes over (`_spool_takeover`), which must agree on all of it.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import urllib.parse

# Marks our files (PRAGMA application_id): anything else in the directory is set aside.
APPLICATION_ID = 0x50524653  # "PRFS"
SUFFIX = ".spool.sqlite3"
COMPANIONS = ("-wal", "-shm", "-journal")

SCHEMA = (
    "CREATE TABLE IF NOT EXISTS items ("
    "seq INTEGER PRIMARY KEY, key TEXT NOT NULL, body BLOB NOT NULL, accepted_at REAL NOT NULL)"
)

Row = tuple[int, str, bytes, float]  # seq, key, body, accepted_at (wall clock)


def connect(path: str) -> sqlite3.Connection:
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


def remove(path: str) -> None:
    """Remove a spool file and its companions, as far as they exist (best effort)."""
    for name in (path, *(path + c for c in COMPANIONS)):
        with contextlib.suppress(OSError):
            os.unlink(name)
