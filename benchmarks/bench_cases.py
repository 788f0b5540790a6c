"""Our cases of `make bench` by name, and what a child process of bench.py runs with one.

bench.py `--child CASE --url URL --count N` runs one case here in a fresh
process and prints one JSON line: CPU and wall seconds per call or item,
peak RSS, and for the span writers the caller's CPU per `write()`.
"""

from __future__ import annotations

import json
import resource
from collections.abc import Callable

from bench_client_cases import (
    bare_async,
    bare_sync,
    concurrent_ours_with,
    ours_async_with,
    ours_bulk_async,
    ours_bulk_sync,
    ours_sync,
)
from bench_measure import Sample
from bench_writer_cases import async_writer_with, drain, ours_execute_many, sync_writer_with

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
    "flight async httpx client": concurrent_ours_with(user_client=True),
}


def child(case: str, url: str, count: int) -> None:
    cpu, wall, *caller = OURS[case](url, count)
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    out = {"cpu": cpu / count, "wall": wall / count, "rss_mb": peak_kb / 1024}
    if caller:
        out["caller"] = caller[0] / count
    print(json.dumps(out))
