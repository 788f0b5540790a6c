"""Ours beside the existing client 0.4.3 and the bare floors: `make bench` (not a test).

A canned-answer server (benchmarks/server.py) runs in its own process, so
only the client's CPU is measured. Every case runs in a fresh child process
(so its peak RSS is its own), and the runs of all cases are interleaved so
that drift of the machine hits every case alike. Our cases run in this
interpreter (the project's venv); the existing public client (prefactor-http
0.4.3, a black box through its documented interface) and the bare aiohttp
and urllib3 floors run in `--contenders-python` (`.venv-bench`, from
benchmarks/contenders.txt) through benchmarks/contenders.py. Before timing,
each client calls every endpoint the server answers once and checks it reads
the answers.

Client CPU is user+sys time of the child (`time.process_time`, all its
threads) around the timed loop; warm-up calls come first. The bare floors
send the bytes our client sends: same path, headers and JSON body (with a
key of the same length), and parse the JSON answer. Each of ours is divided
by the existing client measured in the same run (a pair); the table gives the
median of those ratios, their range, and the target of issue 13 (met when
the median is within it). 200 in flight compares calls per second (wall).

Span writers also give the caller's CPU per `write()`: `time.thread_time()`
of the writing thread around its `write()` calls only (items are made
outside it), so the sender, the spool's committer and the item making are
not in it (the async writer's sender runs in the caller's thread: the
caller yields to it between chunks of writes, outside the timing). The
spool rows write with `spool_dir=` (a fresh directory under the system's
temporary directory) and a target on that caller CPU. The drain row times
a new SyncSpanWriter taking over a spool that a killed writer process left
with `--drain-items` spans, from its creation until `close()` returns with
all of them delivered; it is divided by `bulk.execute_many` sending as many
items (made in the loop, as in the bulk rows), by wall time.

Usage: python benchmarks/bench.py --contenders-python .venv-bench/bin/python
       [--quick] [--runs 5] [--pairs 7] [--calls 2000]
       [--kinds calls,bulk,writer,spool,drain,flight,import]
       [--profile CASE]  (cProfile of one of our cases, top 15 cumulative; no contenders)
       [--instructions]  (instructions per call under valgrind's callgrind instead of time)
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import cProfile
import datetime
import functools
import json
import os
import platform
import pstats
import re
import resource
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Coroutine, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
TOKEN = "pf-bench-token"
WARMUP = 200
PAYLOAD = {"model": "gpt-x", "prompt": "Summarise the ticket", "temperature": 0.2}
SPAN_PATH = "/api/v1/agent_spans"
BULK_SIZE = 100  # items per bulk.execute request, for ours and the existing client
IN_FLIGHT = 200
WRITE_CHUNK = 100  # writes timed together for the caller's CPU (items made before each chunk)
# A filler process waits this long after its last write before it says it is done: the spool's
# batch mode commits within 0.1 s. The drain checks that every span came through.
FILL_SETTLE = 1.0
# What a case returns: CPU and wall seconds for all its calls, and for the span writers the
# caller's CPU seconds in write().
Sample = tuple[float, ...]
PROFILER: cProfile.Profile | None = None  # set by --profile: on around the timed loop only


# --- what each child process measures ------------------------------------------------------


def sdk_headers() -> dict[str, str]:
    from prefactor_http._base import OWN_SDK_ENTRY, SDK_HEADER

    return {
        "Authorization": f"Bearer {TOKEN}",
        "Accept": "application/json",
        SDK_HEADER: OWN_SDK_ENTRY,
    }


# What our client sends per request beside the client-wide headers: the same for the baselines.
REQUEST_HEADERS = {"Content-Type": "application/json", "Idempotency-Key": "pfhttp-" + "0" * 32}


def span_body() -> bytes:
    """The body our client sends for the span create below, with a key of the same length."""
    details = {
        "agent_instance_id": "inst-1",
        "schema_name": "agent:llm",
        "status": "active",
        "payload": PAYLOAD,
        "idempotency_key": "pfhttp-" + "0" * 32,
    }
    return json.dumps({"details": details}, separators=(",", ":")).encode()


def config(url: str, **overrides: Any) -> Any:
    from prefactor_http import HttpClientConfig

    return HttpClientConfig(api_url=url, api_token=TOKEN, **overrides)


def timed(loop: Callable[[int], None], calls: int) -> tuple[float, float]:
    """CPU and wall seconds for `calls` iterations, after a warm-up."""
    loop(WARMUP)
    if PROFILER:
        PROFILER.enable()
    cpu, wall = time.process_time(), time.perf_counter()
    loop(calls)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    if PROFILER:
        PROFILER.disable()
    return cpu, wall


async def atimed(
    loop: Callable[[int], Coroutine[Any, Any, None]], calls: int
) -> tuple[float, float]:
    await loop(WARMUP)
    if PROFILER:
        PROFILER.enable()
    cpu, wall = time.process_time(), time.perf_counter()
    await loop(calls)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    if PROFILER:
        PROFILER.disable()
    return cpu, wall


def bare_sync(url: str, calls: int) -> tuple[float, float]:
    import httpx

    body, content_type = span_body(), REQUEST_HEADERS
    with httpx.Client(base_url=url, headers=sdk_headers()) as client:

        def loop(n: int) -> None:
            for _ in range(n):
                client.post(SPAN_PATH, content=body, headers=content_type).json()

        return timed(loop, calls)


def bare_async(url: str, calls: int) -> tuple[float, float]:
    import httpx

    body, content_type = span_body(), REQUEST_HEADERS

    async def main() -> tuple[float, float]:
        async with httpx.AsyncClient(base_url=url, headers=sdk_headers()) as client:

            async def loop(n: int) -> None:
                for _ in range(n):
                    (await client.post(SPAN_PATH, content=body, headers=content_type)).json()

            return await atimed(loop, calls)

    return asyncio.run(main())


def ours_sync(url: str, calls: int) -> tuple[float, float]:
    from prefactor_http import SyncPrefactorHttpClient

    with SyncPrefactorHttpClient(config(url)) as client:

        def loop(n: int) -> None:
            for _ in range(n):
                client.agent_spans.create("inst-1", "agent:llm", "active", payload=PAYLOAD)

        return timed(loop, calls)


def ours_async_with(**settings: Any) -> Callable[[str, int], tuple[float, float]]:
    def case(url: str, calls: int) -> tuple[float, float]:
        from prefactor_http import PrefactorHttpClient

        async def main() -> tuple[float, float]:
            async with PrefactorHttpClient(config(url, **settings)) as client:

                async def loop(n: int) -> None:
                    for _ in range(n):
                        await client.agent_spans.create(
                            "inst-1", "agent:llm", "active", payload=PAYLOAD
                        )

                return await atimed(loop, calls)

        return asyncio.run(main())

    return case


# Bulk cases: CPU per item includes making the items, as a caller must (the class is
# looked up once, as a caller's module import would be, and as the contenders do).


def bulk_item(index: int) -> Any:
    return _bulk_item_class()(
        _type="agent_spans/create",
        idempotency_key=f"bench-span-{index:012d}",
        agent_instance_id="inst-1",
        schema_name="agent:llm",
        status="active",
        payload=PAYLOAD,
    )


@functools.cache
def _bulk_item_class() -> Any:
    from prefactor_http import BulkItem

    return BulkItem


def bulk_request(start: int, stop: int) -> Any:
    from prefactor_http import BulkRequest

    return BulkRequest(items=[bulk_item(i) for i in range(start, stop)])


def ours_bulk_async(url: str, items: int) -> tuple[float, float]:
    from prefactor_http import PrefactorHttpClient

    async def main() -> tuple[float, float]:
        async with PrefactorHttpClient(config(url)) as client:

            async def loop(n: int) -> None:
                for start in range(0, n, BULK_SIZE):
                    response = await client.bulk.execute(
                        bulk_request(start, min(n, start + BULK_SIZE))
                    )
                    for output in response.outputs.values():
                        assert output.status == "success", output

            return await atimed(loop, items)

    return asyncio.run(main())


def ours_bulk_sync(url: str, items: int) -> tuple[float, float]:
    from prefactor_http import SyncPrefactorHttpClient

    with SyncPrefactorHttpClient(config(url)) as client:

        def loop(n: int) -> None:
            for start in range(0, n, BULK_SIZE):
                response = client.bulk.execute(bulk_request(start, min(n, start + BULK_SIZE)))
                for output in response.outputs.values():
                    assert output.status == "success", output

        return timed(loop, items)


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
    command = [sys.executable, __file__, "--fill-spool", directory, "--url", nowhere]
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
            if PROFILER:  # the drain runs in the writer's sender thread: profile that thread

                def profiled(self: Any) -> None:
                    assert PROFILER is not None
                    PROFILER.enable()
                    try:
                        run(self)
                    finally:
                        PROFILER.disable()

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


def concurrent_ours_with(**settings: Any) -> Callable[[str, int], tuple[float, float]]:
    """200 calls in flight on the client's default pool, as the existing client is run."""

    def case(url: str, calls: int) -> tuple[float, float]:
        from prefactor_http import PrefactorHttpClient

        async def main() -> tuple[float, float]:
            async with PrefactorHttpClient(config(url, **settings)) as client:

                async def one() -> None:
                    await client.agent_spans.create(
                        "inst-1", "agent:llm", "active", payload=PAYLOAD
                    )

                return await atimed(lambda n: in_flight(one, n), calls)

        return asyncio.run(main())

    return case


async def in_flight(one: Callable[[], Coroutine[Any, Any, None]], calls: int) -> None:
    """`calls` calls by IN_FLIGHT workers, so IN_FLIGHT are in flight at any time."""
    remaining = calls

    async def worker() -> None:
        nonlocal remaining
        while remaining > 0:
            remaining -= 1
            await one()

    await asyncio.gather(*(worker() for _ in range(IN_FLIGHT)))


OURS: dict[str, Callable[[str, int], Sample]] = {
    "bare httpx.AsyncClient": bare_async,
    "bare httpx.Client": bare_sync,
    "async": ours_async_with(),
    "async httpx": ours_async_with(async_transport="httpx"),
    "blocking": ours_sync,
    "bulk async": ours_bulk_async,
    "bulk blocking": ours_bulk_sync,
    "SyncSpanWriter": sync_writer_with(),
    "SpanWriter": async_writer_with(),
    "SyncSpanWriter spool batch": sync_writer_with("batch"),
    "SpanWriter spool batch": async_writer_with("batch"),
    "SyncSpanWriter spool always": sync_writer_with("always"),
    "SpanWriter spool always": async_writer_with("always"),
    "drain": drain,
    "execute_many": ours_execute_many,
    "flight async": concurrent_ours_with(),
    "flight async httpx": concurrent_ours_with(async_transport="httpx"),
}


def child(case: str, url: str, count: int) -> None:
    cpu, wall, *caller = OURS[case](url, count)
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    out = {"cpu": cpu / count, "wall": wall / count, "rss_mb": peak_kb / 1024}
    if caller:
        out["caller"] = caller[0] / count
    print(json.dumps(out))


def check_ours(url: str) -> None:
    """Each answer the benchmark server gives, read by our blocking and async clients."""
    from prefactor_http import (
        AgentInstance,
        AgentSpan,
        BulkItem,
        BulkRequest,
        PrefactorHttpClient,
        SyncPrefactorHttpClient,
    )

    register: dict[str, Any] = {
        "agent_id": "agent-1",
        "agent_version": {"name": "bench", "external_identifier": "v1"},
        "agent_schema_version": {"external_identifier": "v1"},
    }
    items = [
        BulkItem(_type="agent_instances/register", idempotency_key="bench-register-1", **register),
        bulk_item(0),
    ]
    with SyncPrefactorHttpClient(config(url)) as client:
        client.validate_token()
        for instance in (
            client.agent_instances.register(**register),
            client.agent_instances.start("inst-1"),
            client.agent_instances.finish("inst-1", status="complete"),
            client.agent_instances.get("inst-1"),
        ):
            assert isinstance(instance, AgentInstance), instance
            assert instance.id == "inst-1", instance
        for span in (
            client.agent_spans.create("inst-1", "agent:llm", "active", payload={}),
            client.agent_spans.finish("span-1", status="complete"),
        ):
            assert isinstance(span, AgentSpan), span
            assert span.id == "span-1", span
        response = client.bulk.execute(BulkRequest(items=items))
        assert set(response.outputs) == {"bench-register-1", "bench-span-000000000000"}
        assert all(output.status == "success" for output in response.outputs.values())

    async def main() -> None:
        async with PrefactorHttpClient(config(url)) as client:
            span = await client.agent_spans.create("inst-1", "agent:llm", "active", payload={})
            assert isinstance(span, AgentSpan), span
            response = await client.bulk.execute(BulkRequest(items=items))
            assert all(output.status == "success" for output in response.outputs.values())

    asyncio.run(main())


# --- the orchestrator -----------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    """One line of the table: whose case, which group, and the target against the existing."""

    label: str
    side: str  # "ours" (this venv, bench.py) or "contender" (.venv-bench, contenders.py)
    case: str
    kind: str  # calls, bulk, writer, spool, drain, flight, import
    # CPU ratio at most this; for "flight": calls/s ratio at least; for "drain": wall ratio
    target: float | None = None
    caller_target: float | None = None  # the caller's CPU per write(), at most (µs)


# The existing client's case each group is divided by (writers: by its per-call cost);
# the drain by our own execute_many.
EXISTING = {
    "calls": "existing",
    "httpx": "existing",
    "bulk": "existing bulk",
    "writer": "existing",
    "spool": "existing",
    "drain": "execute_many",
    "flight": "existing flight",
    "import": "prefactor_http",
}
BASELINE_SIDE = {"drain": "ours"}
ROWS = [
    Row("existing client 0.4.3, async", "contender", "existing", "calls"),
    Row("bare aiohttp (async floor)", "contender", "aiohttp", "calls"),
    Row("bare urllib3 (blocking floor)", "contender", "urllib3", "calls"),
    Row("bare httpx.AsyncClient", "ours", "bare httpx.AsyncClient", "httpx"),
    Row("bare httpx.Client", "ours", "bare httpx.Client", "httpx"),
    Row("**ours, async, default (aiohttp)**", "ours", "async", "calls", 1.25),
    Row('ours, async, `async_transport="httpx"`', "ours", "async httpx", "calls"),
    Row("**ours, blocking**", "ours", "blocking", "calls", 1.25),
    Row("existing 0.4.3, bulk.execute, per item", "contender", "existing bulk", "bulk"),
    Row("bare aiohttp, bulk, per item", "contender", "aiohttp bulk", "bulk"),
    Row("**ours, async, bulk.execute, per item**", "ours", "bulk async", "bulk", 1.0),
    Row("**ours, blocking, bulk.execute, per item**", "ours", "bulk blocking", "bulk", 1.0),
    Row("**ours, SyncSpanWriter, per span**", "ours", "SyncSpanWriter", "writer", 0.15),
    Row("**ours, SpanWriter, per span**", "ours", "SpanWriter", "writer", 0.15),
    Row(
        "**ours, SyncSpanWriter, spool batch, per span**",
        *("ours", "SyncSpanWriter spool batch", "spool"),
        caller_target=10.0,
    ),
    Row(
        "**ours, SpanWriter, spool batch, per span**",
        *("ours", "SpanWriter spool batch", "spool"),
        caller_target=10.0,
    ),
    Row(
        "ours, SyncSpanWriter, spool always, per span",
        "ours",
        "SyncSpanWriter spool always",
        "spool",
    ),
    Row("ours, SpanWriter, spool always, per span", "ours", "SpanWriter spool always", "spool"),
    Row("ours, blocking, bulk.execute_many, per item", "ours", "execute_many", "drain"),
    Row(
        "**ours, SyncSpanWriter, drain of a killed writer's spool, per item**",
        *("ours", "drain", "drain", 1.0),
    ),
    Row("200 in flight, existing 0.4.3", "contender", "existing flight", "flight"),
    Row("200 in flight, bare aiohttp", "contender", "aiohttp flight", "flight"),
    Row("**200 in flight, ours, async, default**", "ours", "flight async", "flight", 1.0),
    Row("200 in flight, ours, async, httpx", "ours", "flight async httpx", "flight"),
    Row("import, existing 0.4.3", "contender", "prefactor_http", "import"),
    Row("import, bare aiohttp", "contender", "aiohttp", "import"),
    Row("import, bare urllib3", "contender", "urllib3", "import"),
    Row("**import prefactor_http, ours**", "ours", "prefactor_http", "import", 0.75),
]


def baseline(kind: str, rows: list[Row]) -> Row | None:
    """The existing client's row (or ours) that `kind` is divided by, if `rows` has it."""
    wanted, side = EXISTING[kind], BASELINE_SIDE.get(kind, "contender")
    return next((r for r in rows if r.side == side and r.case == wanted), None)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server() -> tuple[subprocess.Popen[str], str]:
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, str(HERE / "server.py"), str(port)], stdout=subprocess.PIPE, text=True
    )
    if server.stdout is None or server.stdout.readline().strip() != "ready":
        raise RuntimeError("the benchmark server did not start")
    return server, f"http://127.0.0.1:{port}"


def run_json(command: list[str]) -> dict[str, float]:
    out = subprocess.run(command, capture_output=True, text=True)
    if out.returncode:
        raise RuntimeError(f"{' '.join(command[:4])} ... failed:\n{out.stderr}")
    return json.loads(out.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def child_command(row: Row, url: str, count: int, contenders: str) -> list[str]:
    """The child process that runs `row`'s case `count` times and prints its JSON line."""
    if row.side == "ours":
        return [sys.executable, __file__, "--child", row.case, "--url", url, "--count", str(count)]
    request = {
        "path": SPAN_PATH,
        "body": span_body().decode(),
        "headers": REQUEST_HEADERS,
        "client_headers": sdk_headers(),
    }
    return [
        contenders,
        "-E",  # no PYTHONPATH: the import name prefactor_http must find the existing client
        str(HERE / "contenders.py"),
        *("--child", row.case, "--url", url, "--count", str(count)),
        *("--request", json.dumps(request)),
    ]


def measure(row: Row, url: str, count: int, contenders: str) -> dict[str, float]:
    return run_json(child_command(row, url, count, contenders))


def instructions(row: Row, url: str, counts: tuple[int, int], contenders: str) -> float:
    """Instructions per call (or item) of `row`, counted by callgrind: steady where time is not.

    The child runs at two counts and the difference is divided by the extra
    calls, so start-up, imports and warm-up cancel out.
    """
    totals = []
    for count in counts:
        out = subprocess.run(
            [
                *("valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null"),
                *child_command(row, url, count, contenders),
            ],
            capture_output=True,
            text=True,
        )
        found = re.search(r"Collected : (\d+)", out.stderr)
        if out.returncode or found is None:
            raise RuntimeError(f"callgrind of {row.case!r} failed:\n{out.stderr[-2000:]}")
        totals.append(int(found.group(1)))
    return (totals[1] - totals[0]) / (counts[1] - counts[0])


def instruction_table(rows: list[Row], url: str, contenders: str) -> None:
    """`--instructions`: each row's instructions per call, and ours over the existing client's.

    The httpx and drain rows are left out: under callgrind they take many minutes.
    """
    counted: dict[Row, float] = {}
    for row in rows:
        if row.kind in ("import", "drain") or "httpx" in row.case:
            continue
        step = {"bulk": 10 * BULK_SIZE, "writer": 2000, "spool": 2000}.get(row.kind, 400)
        print(f"callgrind: {row.label} ...", file=sys.stderr, flush=True)
        counted[row] = instructions(row, url, (step, 2 * step), contenders)
    print(f"Machine: {machine()}. Instructions per call or item, by callgrind.\n")
    print("| contender | instructions | ÷ existing 0.4.3 |")
    print("|---|---|---|")
    for row, count in counted.items():
        base = baseline(row.kind, rows)
        ratio = f"{count / counted[base]:.2f}x" if base in counted else ""
        print(f"| {row.label} | {count / 1000:,.0f}k | {ratio} |")


def import_seconds(python: str, module: str) -> dict[str, float]:
    """Wall seconds to import `module` in a fresh, isolated interpreter (no cwd on sys.path)."""
    code = f"import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"
    with tempfile.TemporaryDirectory() as elsewhere:
        out = subprocess.run(
            [python, "-I", "-c", code], capture_output=True, text=True, check=True, cwd=elsewhere
        )
    return {"cpu": float(out.stdout), "wall": float(out.stdout), "rss_mb": 0.0}


def machine() -> str:
    cpu = "unknown CPU"
    with open("/proc/cpuinfo") as info:
        for line in info:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    today = datetime.date.today().isoformat()
    return f"{today}, {os.cpu_count()} CPUs ({cpu}), Python {platform.python_version()}"


def check_answers(url: str, contenders: str) -> None:
    check_ours(url)
    out = subprocess.run(
        [contenders, "-E", str(HERE / "contenders.py"), "--check", url],
        capture_output=True,
        text=True,
    )
    if out.returncode or out.stdout.strip() != "ok":
        raise RuntimeError(f"the existing client cannot read the server's answers:\n{out.stderr}")


def profile(case: str, count: int) -> None:
    """Our `case` in this process under cProfile (timed loop only): top 15 cumulative, 10 own."""
    global PROFILER
    server, url = start_server()
    PROFILER = cProfile.Profile()
    try:
        cpu, *_ = OURS[case](url, count)
    finally:
        server.terminate()
        server.wait()
    print(f"{case}: {cpu / count * 1e6:,.1f} µs CPU per call or item under cProfile, n={count}")
    stats = pstats.Stats(PROFILER).strip_dirs()
    stats.sort_stats("cumulative").print_stats(15)
    stats.sort_stats("tottime").print_stats(10)  # coroutines' cumulative times overlap


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contenders-python", help="the .venv-bench interpreter")
    parser.add_argument("--quick", action="store_true", help="fewer runs and calls (~1 minute)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--pairs", type=int, default=7, help="runs of the per-call cases (noisier: more pairs)"
    )
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--bulk-items", type=int, default=10_000)
    parser.add_argument("--writer-items", type=int, default=20_000)
    parser.add_argument(
        "--drain-items", type=int, default=100_000, help="spans in the spool the drain takes over"
    )
    parser.add_argument("--flight-calls", type=int, default=3000)  # 1,000 took 0.5 s: noisy
    parser.add_argument("--imports", type=int, default=11, help="import-time samples each")
    parser.add_argument(
        "--kinds",
        default="calls,bulk,writer,spool,drain,flight,import",
        help="groups to run; `httpx` adds bare httpx per call (slow, not run by default)",
    )
    parser.add_argument("--profile", choices=sorted(OURS), help="profile one of our cases")
    parser.add_argument(
        "--instructions",
        action="store_true",
        help="count instructions per call under valgrind's callgrind instead of timing",
    )
    parser.add_argument("--child")
    parser.add_argument("--url")
    parser.add_argument("--count", type=int)
    parser.add_argument("--fill-spool", help=argparse.SUPPRESS)  # the drain's backlog maker
    args = parser.parse_args()
    if args.child:
        child(args.child, args.url, args.count)
        return
    if args.fill_spool:
        filler(args.fill_spool, args.url, args.count)
        return
    if args.quick:
        args.runs, args.pairs, args.imports = 3, 3, 5
        args.calls, args.bulk_items, args.writer_items, args.flight_calls = 500, 2000, 5000, 300
        args.drain_items = 20_000
    counts = {
        "calls": args.calls,
        "httpx": args.calls,
        "bulk": args.bulk_items,
        "writer": args.writer_items,
        "spool": args.writer_items,
        "drain": args.drain_items,
        "flight": args.flight_calls,
    }
    if args.profile:
        kind = next(row.kind for row in ROWS if row.side == "ours" and row.case == args.profile)
        profile(args.profile, counts[kind])
        return
    if not args.contenders_python:
        parser.error("--contenders-python is needed (make bench builds .venv-bench)")
    contenders = os.path.abspath(args.contenders_python)  # imports run in another cwd

    kinds = args.kinds.split(",")
    rows = [row for row in ROWS if row.kind in kinds]
    for kind in kinds:
        if baseline(kind, rows) is None:  # a group needs the existing client's row
            needed = baseline(kind, ROWS)
            assert needed is not None
            rows.insert(0, needed)
    if args.instructions:
        server, url = start_server()
        try:
            check_answers(url, contenders)
            instruction_table(rows, url, contenders)
        finally:
            server.terminate()
            server.wait()
        return
    samples: dict[Row, list[dict[str, float]]] = {row: [] for row in rows}
    server, url = start_server()
    started = time.perf_counter()
    try:
        check_answers(url, contenders)
        total = max(args.runs, args.pairs)
        for run in range(total):
            print(f"run {run + 1}/{total} ...", file=sys.stderr, flush=True)
            for row in rows:
                if run < {"calls": args.pairs, "import": 0}.get(row.kind, args.runs):
                    samples[row].append(measure(row, url, counts[row.kind], contenders))
    finally:
        server.terminate()
        server.wait()
    for _ in range(args.imports):  # interleaved too, with no server running
        for row in rows:
            if row.kind == "import":
                python = sys.executable if row.side == "ours" else contenders
                samples[row].append(import_seconds(python, row.case))
    elapsed = time.perf_counter() - started

    def median(row: Row, field: str) -> float:
        return statistics.median(sample[field] for sample in samples[row])

    def ratios(row: Row) -> list[float]:
        """Ours over the existing client's, run by run (pairs measured side by side)."""
        base_row = baseline(row.kind, rows)
        assert base_row is not None
        base = samples[base_row]
        if row.kind == "flight":  # calls per second: ours / existing
            return [b["wall"] / a["wall"] for a, b in zip(samples[row], base, strict=False)]
        if row.kind == "drain":  # wall time per item: ours / execute_many
            return [a["wall"] / b["wall"] for a, b in zip(samples[row], base, strict=False)]
        return [a["cpu"] / b["cpu"] for a, b in zip(samples[row], base, strict=False)]

    print(
        f"Machine: {machine()}. Medians of {args.pairs} runs for per-call cases, "
        f"{args.runs} for the others, {args.imports} for imports; ratio: median of the per-run "
        f"pairs with the existing client (min-max). {elapsed:.0f} s.\n"
    )
    print(
        "| contender | n | client CPU | caller CPU | wall | ÷ existing 0.4.3 (min-max) | target "
        "| peak RSS |"
    )
    print("|---|---|---|---|---|---|---|---|")
    met: list[bool] = []
    for row in rows:
        unit = {"bulk": "item", "writer": "span", "spool": "span", "drain": "item"}.get(
            row.kind, "call"
        )
        cpu, wall = median(row, "cpu"), median(row, "wall")
        caller = median(row, "caller") if samples[row] and "caller" in samples[row][0] else None
        caller_text = "" if caller is None else f"{caller * 1e6:,.1f} µs/{unit}"
        n = f"{counts[row.kind]:,}" if row.kind in counts else f"{args.imports}"
        if row.kind == "import":
            cpu_text, wall_text, rss = "", f"{wall * 1e3:,.0f} ms", ""
        else:
            cpu_text = f"{cpu * 1e6:,.1f} µs/{unit}"
            if row.kind == "flight":
                wall_text = f"{1 / wall:,.0f} calls/s"
            else:
                wall_text = f"{wall * 1e6:,.1f} µs/{unit}"
            rss = f"{median(row, 'rss_mb'):.0f} MB"
        if row == baseline(row.kind, rows):
            ratio_text = "1.00x (baseline)"
        else:
            pairs = ratios(row)
            what = {"flight": "calls/s ", "drain": "wall "}.get(row.kind, "")
            ratio_text = (
                f"{what}{statistics.median(pairs):.2f}x ({min(pairs):.2f}-{max(pairs):.2f})"
            )
        target = ""
        if row.target is not None:
            value = statistics.median(ratios(row))
            ok = value >= row.target if row.kind == "flight" else value <= row.target
            met.append(ok)
            sign = "≥" if row.kind == "flight" else "≤"
            target = f"{sign}{row.target:.2f}x {'✓' if ok else '✗'}"
        if row.caller_target is not None:
            ok = caller is not None and caller * 1e6 <= row.caller_target
            met.append(ok)
            target = f"caller ≤{row.caller_target:g} µs {'✓' if ok else '✗'}"
        print(
            f"| {row.label} | {n} | {cpu_text} | {caller_text} | {wall_text} | {ratio_text} "
            f"| {target} | {rss} |"
        )
    print(f"\nTargets met: {sum(met)} of {len(met)}.")


if __name__ == "__main__":
    main()
