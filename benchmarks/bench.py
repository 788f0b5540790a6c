"""Side-by-side cost of the client against bare httpx: `make bench` (not a test).

A canned-answer server (benchmarks/server.py) runs in its own process, so
only the client's CPU is measured. Every case runs in a fresh child process
(so its peak RSS is its own), and the runs of all cases are interleaved so
that drift of the machine hits every case alike; medians are printed.

Client CPU is user+sys time of the child (`time.process_time`, all its
threads) around the timed loop; warm-up calls come first. The bare
baselines send the same requests: same path, headers and JSON body bytes
(with a key of the same length), and parse the JSON answer.

A ratio is taken per run (each case beside its baseline, in the same run)
and the median and range of those ratios are printed: per-call cases are
the noisiest, so they get more runs (`--pairs`).

Usage: python benchmarks/bench.py [--runs 5] [--pairs 9] [--calls 2000] [--kinds calls,...]
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import json
import os
import platform
import resource
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
TOKEN = "pf-bench-token"
WARMUP = 200
PAYLOAD = {"model": "gpt-x", "prompt": "Summarise the ticket", "temperature": 0.2}
SPAN_PATH = "/api/v1/agent_spans"
BULK_PATH = "/api/v1/bulk"


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
    cpu, wall = time.process_time(), time.perf_counter()
    loop(calls)
    return time.process_time() - cpu, time.perf_counter() - wall


async def atimed(
    loop: Callable[[int], Coroutine[Any, Any, None]], calls: int
) -> tuple[float, float]:
    await loop(WARMUP)
    cpu, wall = time.process_time(), time.perf_counter()
    await loop(calls)
    return time.process_time() - cpu, time.perf_counter() - wall


def bare_sync(url: str, calls: int) -> tuple[float, float]:
    import httpx

    body, content_type = span_body(), REQUEST_HEADERS
    with httpx.Client(base_url=url, headers=sdk_headers()) as client:

        def loop(n: int) -> None:
            for _ in range(n):
                client.post(SPAN_PATH, content=body, headers=content_type).json()

        return timed(loop, calls)


def ours_sync(url: str, calls: int) -> tuple[float, float]:
    from prefactor_http import SyncPrefactorHttpClient

    with SyncPrefactorHttpClient(config(url)) as client:

        def loop(n: int) -> None:
            for _ in range(n):
                client.agent_spans.create("inst-1", "agent:llm", "active", payload=PAYLOAD)

        return timed(loop, calls)


def bare_async_with(
    transport: Callable[[], Any] | None,
) -> Callable[[str, int], tuple[float, float]]:
    def case(url: str, calls: int) -> tuple[float, float]:
        import httpx

        body, content_type = span_body(), REQUEST_HEADERS

        async def main() -> tuple[float, float]:
            made = transport() if transport else None
            async with httpx.AsyncClient(
                base_url=url, headers=sdk_headers(), transport=made
            ) as client:

                async def loop(n: int) -> None:
                    for _ in range(n):
                        (await client.post(SPAN_PATH, content=body, headers=content_type)).json()

                return await atimed(loop, calls)

        return asyncio.run(main())

    return case


def aiohttp_transport() -> Any:
    from httpx_aiohttp import AiohttpTransport

    return AiohttpTransport()


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


# Bulk cases: CPU per item includes making the items, as a caller must.


def bulk_item(index: int) -> Any:
    from prefactor_http import BulkItem

    return BulkItem(
        _type="agent_spans/create",
        idempotency_key=f"bench-span-{index:012d}",
        agent_instance_id="inst-1",
        schema_name="agent:llm",
        status="active",
        payload=PAYLOAD,
    )


def bare_bulk(url: str, items: int) -> tuple[float, float]:
    import httpx

    from prefactor_http._batches import DEFAULT_CHUNK_SIZE

    content_type = REQUEST_HEADERS
    with httpx.Client(base_url=url, headers=sdk_headers()) as client:

        def loop(n: int) -> None:
            for start in range(0, n, DEFAULT_CHUNK_SIZE):
                chunk = [
                    {
                        "agent_instance_id": "inst-1",
                        "schema_name": "agent:llm",
                        "status": "active",
                        "payload": PAYLOAD,
                        "_type": "agent_spans/create",
                        "idempotency_key": f"bench-span-{i:012d}",
                    }
                    for i in range(start, min(n, start + DEFAULT_CHUNK_SIZE))
                ]
                body = json.dumps({"items": chunk}, separators=(",", ":")).encode()
                client.post(BULK_PATH, content=body, headers=content_type).json()

        return timed(loop, items)


def execute_many_with(chunk_size: int | None) -> Callable[[str, int], tuple[float, float]]:
    def case(url: str, items: int) -> tuple[float, float]:
        from prefactor_http import SyncPrefactorHttpClient

        size = {"chunk_size": chunk_size} if chunk_size else {}
        with SyncPrefactorHttpClient(config(url)) as client:

            def loop(n: int) -> None:
                result = client.bulk.execute_many([bulk_item(i) for i in range(n)], **size)
                assert result.ok, result

            return timed(loop, items)

    return case


def sync_writer(url: str, items: int) -> tuple[float, float]:
    from prefactor_http import SyncPrefactorHttpClient, SyncSpanWriter

    with SyncPrefactorHttpClient(config(url)) as client:

        def loop(n: int) -> None:
            with SyncSpanWriter(client) as writer:
                for i in range(n):
                    writer.write(bulk_item(i))

        return timed(loop, items)


def async_writer(url: str, items: int) -> tuple[float, float]:
    from prefactor_http import PrefactorHttpClient, SpanWriter

    async def main() -> tuple[float, float]:
        async with PrefactorHttpClient(config(url)) as client:

            async def loop(n: int) -> None:
                async with SpanWriter(client) as writer:
                    for i in range(n):
                        await writer.write(bulk_item(i))

            return await atimed(loop, items)

    return asyncio.run(main())


# Concurrency: 200 calls in flight on one pool of 200 connections.
IN_FLIGHT = 200


def concurrent_bare(url: str, calls: int) -> tuple[float, float]:
    import httpx

    body, content_type = span_body(), REQUEST_HEADERS
    limits = httpx.Limits(max_connections=IN_FLIGHT, max_keepalive_connections=IN_FLIGHT)

    async def main() -> tuple[float, float]:
        async with httpx.AsyncClient(base_url=url, headers=sdk_headers(), limits=limits) as client:

            async def one() -> None:
                (await client.post(SPAN_PATH, content=body, headers=content_type)).json()

            return await atimed(lambda n: in_flight(one, n), calls)

    return asyncio.run(main())


def concurrent_bare_httpx_aiohttp(url: str, calls: int) -> tuple[float, float]:
    """The same as `concurrent_bare` through httpx-aiohttp: the aiohttp row's own baseline."""
    import httpx
    from httpx_aiohttp import AiohttpTransport

    body, content_type = span_body(), REQUEST_HEADERS
    limits = httpx.Limits(max_connections=IN_FLIGHT, max_keepalive_connections=IN_FLIGHT)

    async def main() -> tuple[float, float]:
        transport = AiohttpTransport(limits=limits)
        async with httpx.AsyncClient(
            base_url=url, headers=sdk_headers(), transport=transport
        ) as client:

            async def one() -> None:
                (await client.post(SPAN_PATH, content=body, headers=content_type)).json()

            return await atimed(lambda n: in_flight(one, n), calls)

    return asyncio.run(main())


def concurrent_ours_with(**settings: Any) -> Callable[[str, int], tuple[float, float]]:
    def case(url: str, calls: int) -> tuple[float, float]:
        from prefactor_http import PrefactorHttpClient

        pool = {"max_connections": IN_FLIGHT, "max_keepalive_connections": IN_FLIGHT}

        async def main() -> tuple[float, float]:
            async with PrefactorHttpClient(config(url, **pool, **settings)) as client:

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


CASES: dict[str, Callable[[str, int], tuple[float, float]]] = {
    "bare httpx.Client": bare_sync,
    "SyncPrefactorHttpClient": ours_sync,
    "bare httpx.AsyncClient": bare_async_with(None),
    "PrefactorHttpClient": ours_async_with(),
    "bare httpx.AsyncClient + aiohttp": bare_async_with(aiohttp_transport),
    "PrefactorHttpClient, aiohttp": ours_async_with(async_transport="aiohttp"),
    "bare bulk, httpx.Client": bare_bulk,
    "execute_many (sync)": execute_many_with(None),
    "execute_many, chunk 100": execute_many_with(100),
    "execute_many, chunk 250": execute_many_with(250),
    "execute_many, chunk 1000": execute_many_with(1000),
    "SyncSpanWriter": sync_writer,
    "SpanWriter": async_writer,
    "200 in flight, bare httpx.AsyncClient": concurrent_bare,
    "200 in flight, PrefactorHttpClient": concurrent_ours_with(),
    "200 in flight, bare httpx.AsyncClient + aiohttp": concurrent_bare_httpx_aiohttp,
    "200 in flight, PrefactorHttpClient, aiohttp": concurrent_ours_with(async_transport="aiohttp"),
}


def child(case: str, url: str, count: int) -> None:
    cpu, wall = CASES[case](url, count)
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"cpu": cpu / count, "wall": wall / count, "rss_mb": peak_kb / 1024}))


# --- the orchestrator -----------------------------------------------------------------------


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


def measure(case: str, url: str, count: int) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, __file__, "--child", case, "--url", url, "--count", str(count)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def import_seconds(statement: str, runs: int) -> float:
    code = f"import time; t = time.perf_counter(); {statement}; print(time.perf_counter() - t)"
    samples = [
        float(
            subprocess.run(
                [sys.executable, "-c", code], capture_output=True, text=True, check=True
            ).stdout
        )
        for _ in range(runs)
    ]
    return statistics.median(samples)


def machine() -> str:
    cpu = "unknown CPU"
    with open("/proc/cpuinfo") as info:
        for line in info:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    today = datetime.date.today().isoformat()
    return f"{today}, {os.cpu_count()} CPUs ({cpu}), Python {platform.python_version()}"


# (case, count kind, baseline) in the order printed; counts: "calls", "bulk", "big", "flight".
PLAN = [
    ("bare httpx.Client", "calls", None),
    ("SyncPrefactorHttpClient", "calls", "bare httpx.Client"),
    ("bare httpx.AsyncClient", "calls", None),
    ("PrefactorHttpClient", "calls", "bare httpx.AsyncClient"),
    ("bare httpx.AsyncClient + aiohttp", "calls", "bare httpx.AsyncClient"),
    ("PrefactorHttpClient, aiohttp", "calls", "bare httpx.AsyncClient + aiohttp"),
    ("bare bulk, httpx.Client", "bulk", None),
    ("execute_many (sync)", "bulk", "bare bulk, httpx.Client"),
    ("execute_many, chunk 100", "bulk", "bare bulk, httpx.Client"),
    ("execute_many, chunk 250", "bulk", "bare bulk, httpx.Client"),
    ("execute_many, chunk 1000", "bulk", "bare bulk, httpx.Client"),
    ("SyncSpanWriter", "bulk", "bare bulk, httpx.Client"),
    ("SyncSpanWriter", "big", "bare bulk, httpx.Client"),
    ("SpanWriter", "big", "bare bulk, httpx.Client"),
    ("200 in flight, bare httpx.AsyncClient", "flight", None),
    ("200 in flight, PrefactorHttpClient", "flight", "200 in flight, bare httpx.AsyncClient"),
    ("200 in flight, bare httpx.AsyncClient + aiohttp", "flight", None),
    (
        "200 in flight, PrefactorHttpClient, aiohttp",
        "flight",
        "200 in flight, bare httpx.AsyncClient + aiohttp",
    ),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--pairs", type=int, default=9, help="runs of the per-call cases (noisier: more pairs)"
    )
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--bulk-items", type=int, default=10_000)
    parser.add_argument("--writer-items", type=int, default=100_000)
    parser.add_argument(
        "--kinds", default="calls,bulk,big,flight", help="which groups of cases to run"
    )
    parser.add_argument("--child")
    parser.add_argument("--url")
    parser.add_argument("--count", type=int)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.url, args.count)
        return

    counts = {
        "calls": args.calls,
        "bulk": args.bulk_items,
        "big": args.writer_items,
        "flight": args.calls,
    }
    plan = [step for step in PLAN if step[1] in args.kinds.split(",")]
    server, url = start_server()
    samples: dict[tuple[str, str], list[dict[str, float]]] = {}
    total = max(args.runs, args.pairs)
    try:
        for run in range(total):
            print(f"run {run + 1}/{total} ...", file=sys.stderr, flush=True)
            for case, kind, _ in plan:
                if kind == "calls" or run < args.runs:
                    samples.setdefault((case, kind), []).append(measure(case, url, counts[kind]))
    finally:
        server.terminate()
        server.wait()

    def median(case: str, kind: str, field: str) -> float:
        return statistics.median(s[field] for s in samples[(case, kind)])

    def ratios(case: str, kind: str, baseline: str) -> list[float]:
        """CPU of each run over its baseline's in the same run (a pair measured side by side)."""
        ours, base = samples[(case, kind)], samples[(baseline, "bulk" if kind == "big" else kind)]
        return [a["cpu"] / b["cpu"] for a, b in zip(ours, base, strict=False)]

    print(
        f"Machine: {machine()}; medians of {args.runs} runs ({args.pairs} for per-call "
        "cases); ratio: median of the per-run pairs, and their range.\n"
    )
    print("| case | n | client CPU | wall | CPU ratio to baseline (min-max) | peak RSS |")
    print("|---|---|---|---|---|---|")
    for case, kind, baseline in plan:
        unit = {"calls": "call", "bulk": "item", "big": "item", "flight": "call"}[kind]
        cpu, wall = median(case, kind, "cpu"), median(case, kind, "wall")
        if baseline:
            pairs = ratios(case, kind, baseline)
            ratio = f"{statistics.median(pairs):.2f}x ({min(pairs):.2f}-{max(pairs):.2f})"
        else:
            ratio = "baseline"
        if kind == "flight":
            wall_text = f"{1 / wall:,.0f} calls/s"
        else:
            wall_text = f"{wall * 1e6:,.1f} µs/{unit}"
        print(
            f"| {case} | {counts[kind]:,} | {cpu * 1e6:,.1f} µs/{unit} | {wall_text} | {ratio} "
            f"| {median(case, kind, 'rss_mb'):.0f} MB |"
        )
    ours_aio = median("PrefactorHttpClient, aiohttp", "calls", "cpu")
    ours_async = median("PrefactorHttpClient", "calls", "cpu")
    print(
        f"\nPrefactorHttpClient on aiohttp / on httpx (CPU per call): {ours_aio / ours_async:.2f}x"
    )

    ours_import = import_seconds("import prefactor_http", args.runs * 2 + 1)
    bare_import = import_seconds("import httpx, attrs, dateutil.parser", args.runs * 2 + 1)
    print(
        f"import prefactor_http: {ours_import * 1e3:.0f} ms; httpx + attrs + dateutil alone: "
        f"{bare_import * 1e3:.0f} ms ({ours_import / bare_import:.2f}x)"
    )


if __name__ == "__main__":
    main()
