"""The span writers' cases in `make bench` (benchmarks/bench.py runs them).

SyncSpanWriter and SpanWriter, without a spool and with one (`spool_sync`
"batch" or "always"): CPU and wall per span for the whole process, and the
caller's CPU in `write()` alone. The drain: a new SyncSpanWriter taking
over a spool that a killed writer process (bench.py `--fill-spool`, the
`filler` here) left, beside `bulk.execute_many` sending as many items.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from typing import Any

import bench_measure
from bench_measure import BENCH, WARMUP, Sample, atimed, bulk_item, config, free_port, timed

WRITE_CHUNK = 100  # writes timed together for the caller's CPU (items made before each chunk)
# A filler process waits this long after its last write before it says it is done: the spool's
# batch mode commits within 0.1 s. The drain checks that every span came through.
FILL_SETTLE = 1.0


# Span writers: CPU and wall per span for the whole process, from the first write until
# close() returns (making the items included), and the caller's CPU in write() alone.


@contextlib.contextmanager
def writer_options(spool_sync: str | None) -> Iterator[dict[str, Any]]:
    """The writer's spool settings: none, or a fresh directory with `spool_sync`."""
    if spool_sync is None:
        yield {}
        return
    with tempfile.TemporaryDirectory(prefix="bench-spool-") as directory:
        yield {"spool_dir": directory, "spool_sync": spool_sync}


def item_chunks(n: int) -> Iterator[list[Any]]:
    for start in range(0, n, WRITE_CHUNK):
        yield [bulk_item(i) for i in range(start, min(n, start + WRITE_CHUNK))]


def sync_writer_with(spool_sync: str | None = None) -> Callable[[str, int], Sample]:
    def case(url: str, items: int) -> Sample:
        from prefactor_http import SyncPrefactorHttpClient, SyncSpanWriter

        caller = 0.0  # thread CPU of this thread in write(), for the last loop
        with writer_options(spool_sync) as options, SyncPrefactorHttpClient(config(url)) as client:

            def loop(n: int) -> None:
                nonlocal caller
                caller = 0.0
                with SyncSpanWriter(client, **options) as writer:
                    for chunk in item_chunks(n):
                        began = time.thread_time()
                        for item in chunk:
                            writer.write(item)
                        caller += time.thread_time() - began

            cpu, wall = timed(loop, items)
        return cpu, wall, caller

    return case


def async_writer_with(spool_sync: str | None = None) -> Callable[[str, int], Sample]:
    def case(url: str, items: int) -> Sample:
        from prefactor_http import PrefactorHttpClient, SpanWriter

        caller = 0.0

        async def main() -> tuple[float, float]:
            with writer_options(spool_sync) as options:
                async with PrefactorHttpClient(config(url)) as client:

                    async def loop(n: int) -> None:
                        nonlocal caller
                        caller = 0.0
                        async with SpanWriter(client, **options) as writer:
                            for chunk in item_chunks(n):
                                began = time.thread_time()
                                for item in chunk:
                                    await writer.write(item)
                                caller += time.thread_time() - began
                                # The sender runs in this thread: it sends while the caller
                                # waits, as an agent's awaits let it, outside the timing.
                                await asyncio.sleep(0)

                    return await atimed(loop, items)

        cpu, wall = asyncio.run(main())
        return cpu, wall, caller

    return case


# The drain: a backlog left in a spool by a writer process that was killed, taken over and
# sent by a new writer, against execute_many sending as many items.


def fill_spool(directory: str, items: int) -> None:
    """Leave `items` spans in a spool at `directory`: a writer that reaches no API, killed."""
    nowhere = f"http://127.0.0.1:{free_port()}"  # nothing listens: every send fails, retried
    command = [sys.executable, str(BENCH), "--fill-spool", directory, "--url", nowhere]
    filler = subprocess.Popen(
        [*command, "--count", str(items)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        if filler.stdout is None or filler.stdout.readline().strip() != "written":
            raise RuntimeError("the spool filler did not write its spans")
    finally:
        filler.send_signal(signal.SIGKILL)
        filler.wait()


def filler(directory: str, url: str, items: int) -> None:
    """`--fill-spool`: write `items` spans to a spool, say so once committed, wait to be killed."""
    from prefactor_http import SyncPrefactorHttpClient, SyncSpanWriter

    client = SyncPrefactorHttpClient(config(url))
    writer = SyncSpanWriter(client, spool_dir=directory, spool_sync="batch")
    for i in range(items):
        writer.write(bulk_item(i))
    time.sleep(FILL_SETTLE)
    print("written", flush=True)
    time.sleep(600)  # SIGKILL comes first


def drain(url: str, items: int) -> Sample:
    from prefactor_http import SyncPrefactorHttpClient, SyncSpanWriter

    with tempfile.TemporaryDirectory(prefix="bench-drain-") as directory:
        backlog = os.path.join(directory, "backlog")
        fill_spool(backlog, items)
        with SyncPrefactorHttpClient(config(url)) as client:
            # Warm-up: as many spans as the other cases warm up with, through a spool of its own.
            with SyncSpanWriter(client, spool_dir=os.path.join(directory, "warm-up")) as writer:
                for i in range(WARMUP):
                    writer.write(bulk_item(i))
            run = SyncSpanWriter._run
            profiler = bench_measure.PROFILER
            if profiler:  # the drain runs in the writer's sender thread: profile that thread

                def profiled(self: Any) -> None:
                    assert profiler is not None
                    profiler.enable()
                    try:
                        run(self)
                    finally:
                        profiler.disable()

                SyncSpanWriter._run = profiled  # type: ignore[method-assign]
            try:
                cpu, wall = time.process_time(), time.perf_counter()
                stats = SyncSpanWriter(client, spool_dir=backlog).close()
                cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
            finally:
                SyncSpanWriter._run = run  # type: ignore[method-assign]
    if stats.delivered != items or stats.taken_over != items:
        raise RuntimeError(f"a backlog of {items} spans was spooled; the drain gave {stats}")
    return cpu, wall


def ours_execute_many(url: str, items: int) -> Sample:
    """`bulk.execute_many` in its default chunks, as many as the writer's batch (making items)."""
    from prefactor_http import SyncPrefactorHttpClient

    with SyncPrefactorHttpClient(config(url)) as client:

        def loop(n: int) -> None:
            result = client.bulk.execute_many([bulk_item(i) for i in range(n)])
            assert result.ok, result

        return timed(loop, items)
