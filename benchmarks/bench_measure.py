"""What every case of ours in `make bench` shares (benchmarks/bench.py runs them).

The request our client sends, which the contenders are told to send alike
(path, headers, body with a key of the same length); our client's
configuration; the timed loops, with the profiler that `--profile` turns on
around them; the bulk items the bulk and writer cases make; and a free port.
"""

from __future__ import annotations

import cProfile
import functools
import json
import socket
import time
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
BENCH = HERE / "bench.py"  # the entry point: its --child and --fill-spool run our cases
TOKEN = "pf-bench-token"
WARMUP = 200
PAYLOAD = {"model": "gpt-x", "prompt": "Summarise the ticket", "temperature": 0.2}
SPAN_PATH = "/api/v1/agent_spans"
BULK_SIZE = 100  # items per bulk.execute request, for ours and the existing client
# What a case returns: CPU and wall seconds for all its calls, and for the span writers the
# caller's CPU seconds in write().
Sample = tuple[float, ...]
PROFILER: cProfile.Profile | None = None  # set by --profile: on around the timed loop only


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
    """The body our client sends for the per-call span create, with a key of the same length."""
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


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
