"""Requests per second the local server holds, driven by each client in a loop.

Not a test: run `make bench-server` (or this file with --seconds). The server
runs in its own process, as `python -m prefactor_http.server`, so it does not
share an interpreter lock with the client. Each workload calls one client
method in a loop for a fixed time; the async client also runs with several
calls in flight.
"""

from __future__ import annotations

import argparse
import asyncio
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from typing import Any

from prefactor_http import HttpClientConfig, PrefactorHttpClient, SyncPrefactorHttpClient
from prefactor_http.models.params import AgentSchemaVersionParam, AgentVersionParam

TOKEN = "benchmark-token"
VERSION: AgentVersionParam = {"name": "bench", "external_identifier": "v1"}
SCHEMA: AgentSchemaVersionParam = {"external_identifier": "s1"}


def config(url: str) -> HttpClientConfig:
    return HttpClientConfig(api_url=url, api_token=TOKEN, max_retries=0)


def blocking(url: str, seconds: float, workload: str) -> float:
    with SyncPrefactorHttpClient(config(url)) as client:
        instance = client.agent_instances.register(
            agent_version=VERSION, agent_schema_version=SCHEMA
        )
        calls: dict[str, Callable[[], Any]] = {
            "ping": client.validate_token,
            "span create": lambda: client.agent_spans.create(instance.id, "step", "active"),
        }
        call = calls[workload]
        done, end = 0, time.perf_counter() + seconds
        started = time.perf_counter()
        while time.perf_counter() < end:
            call()
            done += 1
        return done / (time.perf_counter() - started)


async def concurrent(url: str, seconds: float, workload: str, in_flight: int) -> float:
    async with PrefactorHttpClient(config(url)) as client:
        instance = await client.agent_instances.register(
            agent_version=VERSION, agent_schema_version=SCHEMA
        )
        calls: dict[str, Callable[[], Awaitable[Any]]] = {
            "ping": client.validate_token,
            "span create": lambda: client.agent_spans.create(instance.id, "step", "active"),
        }
        call = calls[workload]
        end = time.perf_counter() + seconds

        async def worker() -> int:
            done = 0
            while time.perf_counter() < end:
                await call()
                done += 1
            return done

        started = time.perf_counter()
        counts = await asyncio.gather(*(worker() for _ in range(in_flight)))
        return sum(counts) / (time.perf_counter() - started)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=5.0, help="time per measurement")
    args = parser.parse_args()
    server = subprocess.Popen(
        [sys.executable, "-m", "prefactor_http.server", "--port", "0", "--token", TOKEN],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert server.stdout is not None
        url = server.stdout.readline().strip()
        print(f"local server at {url}; {args.seconds:g} s per row\n")
        print(f"{'client':<24}{'workload':<14}{'requests/s':>12}")
        for workload in ("ping", "span create"):
            rate = blocking(url, args.seconds, workload)
            print(f"{'blocking':<24}{workload:<14}{rate:>12.0f}")
            for in_flight in (1, 8):
                rate = asyncio.run(concurrent(url, args.seconds, workload, in_flight))
                label = f"async, {in_flight} in flight"
                print(f"{label:<24}{workload:<14}{rate:>12.0f}")
    finally:
        server.terminate()
        server.wait(timeout=10)
    return 0


if __name__ == "__main__":
    sys.exit(main())
