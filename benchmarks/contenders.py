"""The other side of `make bench`: the existing public client and the bare floors.

Run by benchmarks/bench.py in `.venv-bench` (built from
benchmarks/contenders.txt), never in the project's venv: there the import
name `prefactor_http` is the existing client 0.4.3, used as a black box
through its documented interface only. It is loaded with importlib so that
mypy, which runs in the project's venv, does not read it as ours.

One case per child process, as in bench.py: `--child CASE --url URL
--count N --request JSON` prints one JSON line (CPU and wall seconds per
call or item, peak RSS). `--request` carries the path, headers and body
bytes that our client sends for the same span, so the bare floors send
exactly those. `--check URL` calls each endpoint the benchmark server
answers once, to prove the existing client parses its answers.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import json
import resource
import sys
import time
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

TOKEN = "pf-bench-token"
WARMUP = 200
PAYLOAD = {"model": "gpt-x", "prompt": "Summarise the ticket", "temperature": 0.2}
BULK_PATH = "/api/v1/bulk"
BULK_SIZE = 100  # items per bulk request
IN_FLIGHT = 200


def existing() -> Any:
    """The existing client's package, after checking it is the installed 0.4.3, not ours."""
    module = importlib.import_module("prefactor_http")
    where = Path(module.__file__ or "").resolve()
    if module.__version__ != "0.4.3" or Path(sys.prefix).resolve() not in where.parents:
        raise SystemExit(f"expected prefactor-http 0.4.3 from {sys.prefix}, got {where}")
    return module


def timed(loop: Callable[[int], None], calls: int) -> tuple[float, float]:
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


async def in_flight(one: Callable[[], Coroutine[Any, Any, None]], calls: int) -> None:
    """`calls` calls by IN_FLIGHT workers, so IN_FLIGHT are in flight at any time."""
    remaining = calls

    async def worker() -> None:
        nonlocal remaining
        while remaining > 0:
            remaining -= 1
            await one()

    await asyncio.gather(*(worker() for _ in range(IN_FLIGHT)))


def span_params(index: int) -> dict[str, Any]:
    return {
        "_type": "agent_spans/create",
        "idempotency_key": f"bench-span-{index:012d}",
        "agent_instance_id": "inst-1",
        "schema_name": "agent:llm",
        "status": "active",
        "payload": PAYLOAD,
    }


# --- the existing client, async (it has no blocking client) --------------------------------


def existing_client(url: str) -> Any:
    pf = existing()
    return pf.PrefactorHttpClient(pf.HttpClientConfig(api_url=url, api_token=TOKEN))


def existing_calls(url: str, calls: int, request: dict[str, Any]) -> tuple[float, float]:
    async def main() -> tuple[float, float]:
        async with existing_client(url) as client:

            async def loop(n: int) -> None:
                for _ in range(n):
                    await client.agent_spans.create(
                        "inst-1", "agent:llm", "active", payload=PAYLOAD
                    )

            return await atimed(loop, calls)

    return asyncio.run(main())


def existing_bulk(url: str, items: int, request: dict[str, Any]) -> tuple[float, float]:
    pf = existing()

    async def main() -> tuple[float, float]:
        async with existing_client(url) as client:

            async def loop(n: int) -> None:
                for start in range(0, n, BULK_SIZE):
                    chunk = pf.BulkRequest(
                        items=[
                            pf.BulkItem(**span_params(i))
                            for i in range(start, min(n, start + BULK_SIZE))
                        ]
                    )
                    response = await client.bulk.execute(chunk)
                    for output in response.outputs.values():
                        assert output.status == "success", output

            return await atimed(loop, items)

    return asyncio.run(main())


def existing_flight(url: str, calls: int, request: dict[str, Any]) -> tuple[float, float]:
    async def main() -> tuple[float, float]:
        async with existing_client(url) as client:

            async def one() -> None:
                await client.agent_spans.create("inst-1", "agent:llm", "active", payload=PAYLOAD)

            return await atimed(lambda n: in_flight(one, n), calls)

    return asyncio.run(main())


# --- bare floors: the same bytes, no client above the library --------------------------------


def aiohttp_calls(url: str, calls: int, request: dict[str, Any]) -> tuple[float, float]:
    import aiohttp

    path, body, headers = request["path"], request["body"].encode(), request["headers"]

    async def main() -> tuple[float, float]:
        async with aiohttp.ClientSession(url, headers=request["client_headers"]) as session:

            async def loop(n: int) -> None:
                for _ in range(n):
                    async with session.post(path, data=body, headers=headers) as answer:
                        json.loads(await answer.read())

            return await atimed(loop, calls)

    return asyncio.run(main())


def aiohttp_bulk(url: str, items: int, request: dict[str, Any]) -> tuple[float, float]:
    import aiohttp

    headers = request["headers"]

    async def main() -> tuple[float, float]:
        async with aiohttp.ClientSession(url, headers=request["client_headers"]) as session:

            async def loop(n: int) -> None:
                for start in range(0, n, BULK_SIZE):
                    chunk = [span_params(i) for i in range(start, min(n, start + BULK_SIZE))]
                    body = json.dumps({"items": chunk}, separators=(",", ":")).encode()
                    async with session.post(BULK_PATH, data=body, headers=headers) as answer:
                        outputs = json.loads(await answer.read())["outputs"]
                    assert len(outputs) == len(chunk)

            return await atimed(loop, items)

    return asyncio.run(main())


def aiohttp_flight(url: str, calls: int, request: dict[str, Any]) -> tuple[float, float]:
    import aiohttp

    path, body, headers = request["path"], request["body"].encode(), request["headers"]

    async def main() -> tuple[float, float]:
        async with aiohttp.ClientSession(url, headers=request["client_headers"]) as session:

            async def one() -> None:
                async with session.post(path, data=body, headers=headers) as answer:
                    json.loads(await answer.read())

            return await atimed(lambda n: in_flight(one, n), calls)

    return asyncio.run(main())


def urllib3_calls(url: str, calls: int, request: dict[str, Any]) -> tuple[float, float]:
    urllib3 = importlib.import_module("urllib3")  # not in the project's venv: typed as Any

    parts = urlsplit(url)
    path, body = request["path"], request["body"].encode()
    headers = {**request["client_headers"], **request["headers"]}
    with urllib3.HTTPConnectionPool(parts.hostname, parts.port, maxsize=1) as pool:

        def loop(n: int) -> None:
            for _ in range(n):
                json.loads(pool.request("POST", path, body=body, headers=headers).data)

        return timed(loop, calls)


CASES: dict[str, Callable[[str, int, dict[str, Any]], tuple[float, float]]] = {
    "existing": existing_calls,
    "existing bulk": existing_bulk,
    "existing flight": existing_flight,
    "aiohttp": aiohttp_calls,
    "aiohttp bulk": aiohttp_bulk,
    "aiohttp flight": aiohttp_flight,
    "urllib3": urllib3_calls,
}


def check(url: str) -> None:
    """Each answer the benchmark server gives, read by the existing client."""
    pf = existing()

    async def main() -> None:
        async with existing_client(url) as client:
            await client.validate_token()
            instance = await client.agent_instances.register(
                agent_version={"name": "bench", "external_identifier": "v1"},
                agent_schema_version={"external_identifier": "v1"},
                agent_id="agent-1",
            )
            assert isinstance(instance, pf.AgentInstance), instance
            for made in (
                await client.agent_instances.start("inst-1"),
                await client.agent_instances.finish("inst-1", status="complete"),
                await client.agent_instances.get("inst-1"),
            ):
                assert isinstance(made, pf.AgentInstance), made
                assert made.id == "inst-1", made
            span = await client.agent_spans.create("inst-1", "agent:llm", "active", payload={})
            assert isinstance(span, pf.AgentSpan), span
            assert span.id == "span-1", span
            span = await client.agent_spans.finish("span-1", status="complete")
            assert isinstance(span, pf.AgentSpan), span
            register = pf.BulkItem(
                _type="agent_instances/register",
                idempotency_key="bench-register-1",
                agent_id="agent-1",
                agent_version={"name": "bench", "external_identifier": "v1"},
                agent_schema_version={"external_identifier": "v1"},
            )
            items = [register, pf.BulkItem(**span_params(0))]
            response = await client.bulk.execute(pf.BulkRequest(items=items))
            assert isinstance(response, pf.BulkResponse), response
            assert set(response.outputs) == {"bench-register-1", "bench-span-000000000000"}
            assert all(out.status == "success" for out in response.outputs.values())

    asyncio.run(main())
    print("ok")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--child", choices=sorted(CASES))
    parser.add_argument("--check", metavar="URL")
    parser.add_argument("--url")
    parser.add_argument("--count", type=int)
    parser.add_argument("--request", help="JSON: path, body, headers, client_headers")
    args = parser.parse_args()
    if args.check:
        check(args.check)
        return
    cpu, wall = CASES[args.child](args.url, args.count, json.loads(args.request))
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        json.dumps({"cpu": cpu / args.count, "wall": wall / args.count, "rss_mb": peak_kb / 1024})
    )


if __name__ == "__main__":
    main()
