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

The parts, beside this script (its directory is first on `sys.path`):
bench_measure.py (what our cases share: the request, the timed loops),
bench_client_cases.py and bench_writer_cases.py (our cases), bench_cases.py
(our cases by name, and the `--child` that runs one), bench_processes.py
(the server, the children, callgrind, imports, the profiler) and
bench_table.py (the rows, their baselines and targets, the table).
"""

from __future__ import annotations

import argparse
import os
import sys
import time

from bench_cases import OURS, child
from bench_processes import (
    check_answers,
    import_seconds,
    instruction_table,
    measure,
    profile,
    start_server,
)
from bench_table import ROWS, Row, baseline, print_table
from bench_writer_cases import filler


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
    print_table(
        rows,
        samples,
        counts,
        per_call_runs=args.pairs,
        runs=args.runs,
        imports=args.imports,
        elapsed=elapsed,
    )


if __name__ == "__main__":
    main()
