"""Measure what span writers lose, or store twice, when their process or the API fails.

For each failure and each writer mode (no spool, `spool_sync="batch"`,
`spool_sync="always"`), a child process (this script, run with `--child`)
writes spans with a `SyncSpanWriter` to a local API server that this script
starts (`python -m prefactor_http.server --port 0`). The failures are real
(the name to pass to `--only` in brackets):

- [outage, outage-5min] the API's port refuses connections for 30 s (5 min
  without `--quick`) while the child writes 20 spans/s with default
  settings: it talks to a TCP forwarder in this process, which stops
  listening and cuts its connections, then listens again;
- [sigterm] SIGTERM while writing 200 spans/s (the writer's handler closes it);
- [sigkill] SIGKILL once a random number of 10,000 spans were accepted,
  writing as fast as possible and at 200 spans/s;
- [os-exit] `os._exit(0)` from a timer thread at a random moment, 200 spans/s;
- [pool] `multiprocessing.Pool` workers (fork, spawn, forkserver; and a fork
  pool run inside a `multiprocessing.Process`) whose tasks write 250 spans
  each with a writer never closed; then `pool.close()`, `pool.join()`;
- [sigstop] SIGSTOP for 60 s (10 s with `--quick`), then SIGCONT, at 20
  spans/s; meanwhile another writer opens the same spool dir;
- [disk-full] a 2 MB tmpfs as spool dir (needs root), the API unreachable:
  write until `write()` refuses, then the API comes back and the child
  closes, or it closes with the API still down, or it is SIGKILLed; if the
  recovery writer cannot start on the full disk, the tmpfs is grown to 16 MB
  (as an operator freeing space would) and recovery runs again.

Each child appends every key to a file, flushed, only after `write()`
returned, so a key in the file was accepted. Counted per failure and mode:

- accepted: keys in that file;
- delivered: accepted keys the server stored (each payload carries its number);
- stored twice: spans stored beyond the first for the same number;
- lost: accepted and never stored, after recovery. With a spool, recovery is
  a new writer process on the same spool directory, closed with a generous
  timeout; without one there is nothing to recover.

The server and the children import a copy of `prefactor_http` made at the
start in the work directory (of the working tree's, or of `--package DIR`),
so edits to the package during a run do not mix versions; the report gives
the copy's hash.

Spans stored but never recorded as accepted (the process died between
`write()` returning and the record) are counted in the notes. Power loss is
not measured. The report ends with the anomalies (losses or duplicates with a
spool, tracebacks in a child's stderr, children that hang, with their
stacks) and a command to reproduce each; every child's files (spec, accepted
keys, stdout, stderr) stay in the work directory it names.

The parts, beside this script (its directory is first on `sys.path`, for
the children and pool workers too): losses_settings.py (what all share),
losses_child.py (what a child process runs), losses_processes.py (the
server, the forwarder, a child as the harness sees it), losses_harness.py
(the rows and the harness), losses_scenarios.py and losses_disk_full.py
(the failures).

Run from the repository root:

    .venv/bin/python scripts/measure_losses.py [--quick] [--only NAME ...] [--seed N]
        [--workdir DIR] [--package DIR]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from losses_child import run_child
from losses_disk_full import disk_full
from losses_harness import Harness
from losses_processes import Server
from losses_scenarios import os_exit, outage, pool, power_loss, sigkills, sigstop, sigterm
from losses_settings import ROOT

SCENARIOS = [
    *("outage", "outage-5min", "sigterm", "sigkill", "os-exit", "pool", "sigstop", "disk-full"),
]


def fingerprint(package: Path) -> str:
    """A hash of a copy of the package's sources, to tell which version a run measured."""
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*.py")):
        digest.update(str(path.relative_to(package)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]


def run_harness(args: argparse.Namespace) -> int:
    wanted = args.only or [s for s in SCENARIOS if not (args.quick and s == "outage-5min")]
    workdir = Path(args.workdir or tempfile.mkdtemp(prefix="measure-losses-"))
    workdir.mkdir(parents=True, exist_ok=True)
    if any(workdir.iterdir()):
        sys.exit(f"{workdir} is not empty: children append to their files there")
    started = time.monotonic()
    # The package may be edited during a run: server and children import a snapshot.
    lib = workdir / "lib"
    ignore = shutil.ignore_patterns("__pycache__")
    source = Path(args.package) if args.package else ROOT / "prefactor_http"
    shutil.copytree(source, lib / "prefactor_http", ignore=ignore)
    measured = fingerprint(lib / "prefactor_http")
    sys.path.insert(0, str(lib))  # this process's own imports of it come from the copy too
    server = Server(workdir, lib)
    options = f"--seed {args.seed}" + (" --quick" if args.quick else "")
    options += f" --package {args.package}" if args.package else ""
    h = Harness(server, workdir, lib, args.quick, args.seed, random.Random(args.seed), options)
    h.log(f"server {server.url}; seed {args.seed}; files in {workdir}; prefactor_http {measured}")
    scenarios: dict[str, Callable[[Harness], None]] = {
        "outage": lambda h: outage(h, 30),
        "outage-5min": lambda h: outage(h, 300),
        "sigterm": sigterm,
        "sigkill": sigkills,
        "os-exit": os_exit,
        "pool": pool,
        "sigstop": sigstop,
        "disk-full": disk_full,
    }
    durations = []
    try:
        for name in wanted:
            h.scenario = name
            began = time.monotonic()
            h.log(f"scenario {name}")
            scenarios[name](h)
            server.reset()
            durations.append((name, time.monotonic() - began))
        power_loss(h)
    finally:
        server.stop()
    print_report(h, durations, time.monotonic() - started)
    now = fingerprint(ROOT / "prefactor_http")
    print(
        f"- measured: a copy of {source} made at the start, {lib}/prefactor_http, "
        f"sources sha256 {measured}"
        + ("" if now == measured else f" (the working tree has changed since: {now})")
    )
    return 0


def print_report(h: Harness, durations: list[tuple[str, float]], total: float) -> None:
    header = ["failure", "mode", "accepted", "delivered", "stored twice", "lost", "notes"]
    print(f"\n## Span writer losses ({'--quick' if h.quick else 'full'} run, seed {h.seed})\n")
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for row in h.rows:
        print("| " + " | ".join(cell.replace("|", "/") for cell in row.cells()) + " |")
    print("\n## Anomalies\n")
    for text, rows in h.anomalies.values():
        print(f"- {text}" + (f"\n    the same in: {'; '.join(rows[1:])}" if rows[1:] else ""))
    if not h.anomalies:
        print("none")
    print("\n## Time\n")
    for name, seconds in durations:
        print(f"- {name}: {seconds:.0f} s")
    print(f"- total: {total:.0f} s; files in {h.workdir}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer runs, no 5 min outage")
    parser.add_argument("--only", nargs="+", choices=SCENARIOS, help="run only these scenarios")
    parser.add_argument("--seed", type=int, default=int(time.time()), help="for the kill moments")
    parser.add_argument("--workdir", help="where children's files go (default: a new temp dir)")
    parser.add_argument(
        "--package",
        help="measure this copy of prefactor_http (default: a copy of the working tree's)",
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return run_child(json.loads(args.child))
    return run_harness(args)


if __name__ == "__main__":
    sys.exit(main())
