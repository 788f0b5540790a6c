"""One driver for span writers on every client kind, and other helpers of the writer tests."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import textwrap
import threading
import time
from typing import Any

from werkzeug import Request, Response

from prefactor_http import SpanWriter, SyncSpanWriter
from tests.support.bulk import echo_bulk

# Long enough that no interval flush happens during a test that does not want one.
NEVER = 3600.0


class Writers:
    """Drives a SpanWriter on the async twins and a SyncSpanWriter on the blocking one."""

    def __init__(self, twin: Any) -> None:
        self.twin = twin

    def make(self, client: Any = None, **settings: Any) -> Any:
        cls = SpanWriter if self.twin.is_async else SyncSpanWriter
        return cls(client or self.twin.client, **settings)

    def run(self, action: Any) -> Any:
        return self.twin(lambda _: action())

    def write(self, writer: Any, items: list[Any]) -> None:
        """Write `items` in one go: the writer's sender takes no batch until all are in.

        Otherwise a sender with a short flush_interval could tick between two
        writes on a loaded machine and send a batch the test did not expect.
        The async sender is a task on the same loop, and write() does not
        yield while there is room: one coroutine writes them all. The blocking
        sender takes batches under the writer's lock, held here meanwhile. A
        write that must wait for room still lets the sender run (the wait
        yields, or releases the lock).
        """
        if self.twin.is_async:

            async def write_all() -> None:
                for item in items:
                    await writer.write(item)

            self.run(write_all)
            return
        with writer._lock:
            for item in items:
                writer.write(item)

    def wait_until(self, condition: Any) -> None:
        """Let the writer's thread or task work until `condition()` holds (10 s at most)."""
        deadline = time.monotonic() + 10
        while not condition():
            assert time.monotonic() < deadline, "the writer did not get there"
            if self.twin.is_async:
                self.run(lambda: asyncio.sleep(0.01))
            else:
                time.sleep(0.01)


class Gate:
    """A bulk handler that holds each answer until the test opens the gate."""

    def __init__(self) -> None:
        self.open = threading.Event()
        self.entered = threading.Event()
        self.echo = echo_bulk()

    def __call__(self, request: Request) -> Response:
        self.entered.set()
        self.open.wait(10)
        return self.echo(request)


def run_script(body: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(body)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
