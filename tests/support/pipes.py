"""Reading what a forked child wrote to its pipe, never waiting forever."""

from __future__ import annotations

import os
import select
import time


def read_all(fd: int, timeout: float) -> bytes:
    """What the child wrote to `fd` until it closed it, waiting at most `timeout` seconds."""
    chunks = []
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        ready, _, _ = select.select([fd], [], [], max(end - time.monotonic(), 0))
        if not ready:
            break
        chunk = os.read(fd, 65536)
        if not chunk:
            break
        chunks.append(chunk)
    return b"".join(chunks)
