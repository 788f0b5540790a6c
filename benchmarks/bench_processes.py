"""The processes that `make bench` runs, and how their figures come back.

The canned-answer server (benchmarks/server.py); a child process per case
and run (bench.py `--child` for ours, contenders.py in `.venv-bench` for the
others), which prints one JSON line; the same child under valgrind's
callgrind for `--instructions`; import times in a fresh interpreter; the
check that both sides read every answer the server gives; and `--profile`,
which runs one of our cases in this process under cProfile.
"""

from __future__ import annotations

import cProfile
import json
import pstats
import re
import subprocess
import sys
import tempfile

import bench_measure
from bench_cases import OURS
from bench_client_cases import check_ours
from bench_measure import (
    BENCH,
    BULK_SIZE,
    HERE,
    REQUEST_HEADERS,
    SPAN_PATH,
    free_port,
    sdk_headers,
    span_body,
)
from bench_table import Row, baseline, machine


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
        return [
            sys.executable,
            str(BENCH),
            "--child",
            row.case,
            "--url",
            url,
            "--count",
            str(count),
        ]
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
    server, url = start_server()
    profiler = bench_measure.PROFILER = cProfile.Profile()
    try:
        cpu, *_ = OURS[case](url, count)
    finally:
        server.terminate()
        server.wait()
    print(f"{case}: {cpu / count * 1e6:,.1f} µs CPU per call or item under cProfile, n={count}")
    stats = pstats.Stats(profiler).strip_dirs()
    stats.sort_stats("cumulative").print_stats(15)
    stats.sort_stats("tottime").print_stats(10)  # coroutines' cumulative times overlap
