"""The harness of measure_losses.py: the rows of its table, and what every scenario uses.

`Harness` starts children for fresh instances, runs a recovery writer on a
spool left behind, records anomalies (with a command that reproduces each),
and compares what a child accepted with what the server stored.
"""

from __future__ import annotations

import random
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from losses_processes import Child, Server
from losses_settings import BATCH_WINDOW_MS, MODES, RECOVERY_TIMEOUT, SPOOL_MODES


@dataclass
class Row:
    """One line of the table: the sum over a failure's runs in one mode."""

    failure: str
    mode: str
    accepted: int = 0
    delivered: int = 0
    twice: int = 0
    lost: int = 0
    unaccepted: int = 0
    runs: int = 0
    notes: list[str] = field(default_factory=list)
    text: str | None = None  # the whole row's cells instead of counts (not measured, n/a)

    def cells(self) -> list[str]:
        if self.text is not None:
            cells = [self.failure, self.mode, self.text, self.text, self.text, self.text]
            return [*cells, "; ".join(self.notes)]
        notes = list(self.notes)
        if self.unaccepted:
            notes.insert(0, f"{self.unaccepted} stored but never recorded as accepted")
        if self.runs > 1:
            notes.insert(0, f"{self.runs} runs")
        counts = (self.accepted, self.delivered, self.twice, self.lost)
        return [self.failure, self.mode, *map(str, counts), "; ".join(notes)]


@dataclass
class Harness:
    """What every scenario uses: the server, options, the rows and anomalies found so far."""

    server: Server
    workdir: Path
    lib: Path  # the snapshot of prefactor_http the server and children import
    quick: bool
    seed: int
    rng: random.Random
    options: str  # the command-line options that reproduce this run, --only aside
    rows: list[Row] = field(default_factory=list)
    anomalies: dict[str, list[Any]] = field(default_factory=dict)  # [text, rows it is in]
    scenario: str = ""
    started: float = field(default_factory=time.monotonic)

    @property
    def reps(self) -> int:
        """Runs per mode of the kills at a random moment."""
        return 2 if self.quick else 5

    @property
    def sigterm_reps(self) -> int:
        """More for SIGTERM: its handler's outcome depends on where it interrupts write()."""
        return 4 if self.quick else 10

    def log(self, message: str) -> None:
        print(f"[{time.monotonic() - self.started:7.1f}s] {message}", file=sys.stderr, flush=True)

    def child(self, name: str, mode: str, kind: str, *, stdin: bool = False, **spec: Any) -> Child:
        """Start a child for a fresh instance; its spool (if `mode` has one) in its own dir."""
        directory = self.workdir / self.scenario / name
        spec = {
            "kind": kind,
            "url": self.server.url,
            "sync": MODES[mode],
            "spool_dir": str(directory / "spool"),
            "rate": 0,
            "lib": str(self.lib),
            **spec,
        }
        spec.setdefault("instance", self.server.register())
        return Child(directory, spec, stdin=stdin)

    def recover(self, child: Child, row: Row) -> dict[str, int] | None:
        """A new writer process on `child`'s spool dir sends what it left; its counts."""
        if child.spec["sync"] is None:
            return None
        helper = Child(child.directory / "recovery", {**child.spec, "kind": "recover"})
        code = helper.wait(RECOVERY_TIMEOUT + 30)
        self.check(helper, row, code, expected=(0,), what="recovery writer")
        return helper.stats()

    def check(
        self,
        child: Child,
        row: Row,
        code: int,
        expected: Iterable[int],
        what: str = "child",
    ) -> None:
        """Record an anomaly for a hang, an unexpected exit status or a traceback."""
        problem = None
        traceback = child.tracebacks()
        if child.timed_out:
            problem = f"{what} hung (killed after its timeout); stacks:\n    {child.stacks()}"
        elif code not in expected:
            problem = f"{what} exited with {code}, not {' or '.join(map(str, expected))}"
        elif traceback is not None:
            problem = f"traceback in the {what}'s stderr"
        if problem is None:
            return
        if traceback is not None and not child.timed_out:
            problem += f"; its stderr ends:\n    {traceback}"
        row.notes.append(problem.split(";")[0])
        self.anomaly(row, problem, child)

    def anomaly(self, row: Row, what: str, child: Child | None = None) -> None:
        """Record an anomaly; the same one again in the same scenario only names the row."""
        key = f"{self.scenario}: {what}"
        label = f"{row.failure} / {row.mode}"
        if key in self.anomalies:
            if label not in self.anomalies[key][1]:
                self.anomalies[key][1].append(label)
            return
        lines = [f"**{label}**: {what}"]
        lines.append(
            f"    reproduce: .venv/bin/python scripts/measure_losses.py "
            f"--only {self.scenario} {self.options}"
        )
        if child is not None:
            lines.append(
                f"    files (spec.json, accepted, stdout.txt, stderr.txt): {child.directory}"
            )
        self.anomalies[key] = ["\n".join(lines), [label]]

    def measure(
        self, child: Child, row: Row, ended_at: float | None = None, *, reset: bool = True
    ) -> None:
        """Compare what `child` accepted with what the server stored; add it to `row`.

        Then, with `reset`, the server forgets everything (keeps state reads
        small): only when no other child of the scenario still needs its state.
        """
        accepted = child.accepted()
        stored = self.server.stored(child.spec["instance"])
        lost = sorted(set(accepted) - set(stored))
        twice = sum(count - 1 for count in stored.values())
        row.runs += 1
        row.accepted += len(accepted)
        row.delivered += len(set(accepted) & set(stored))
        row.twice += twice
        row.lost += len(lost)
        row.unaccepted += len(set(stored) - set(accepted))
        oldest = None  # ms before the end of the process the oldest lost item was accepted
        if lost and ended_at is not None:
            oldest = round(max(ended_at - accepted[n] for n in lost) * 1000)
            row.notes.append(f"{len(lost)} lost, accepted at most {oldest} ms before the end")
        if row.mode in SPOOL_MODES and lost:
            what = "accepted items lost (counts in the table)"
            if row.mode == "spool batch" and oldest is not None and oldest <= BATCH_WINDOW_MS:
                what += (
                    f"; each was accepted at most {BATCH_WINDOW_MS} ms before the process "
                    "ended: the batch mode's commit interval (100 ms) plus a commit"
                )
            self.anomaly(row, what, child)
        if twice:
            self.anomaly(row, "spans stored twice (counts in the table)", child)
        self.log(
            f"{row.failure} / {row.mode}: accepted {len(accepted)}, stored {len(stored)}, "
            f"lost {len(lost)}, twice {twice}"
        )
        if reset:
            self.server.reset()


def brief(what: str, stats: dict[str, int] | None) -> str:
    """A child's final counts, short: `close(): 800 delivered, 0 failed, 0 pending`."""
    if stats is None or "accepted" not in stats:
        return f"{what}: no counts"
    shown = [f"{stats[k]} {k.replace('_', ' ')}" for k in ("delivered", "failed", "pending")]
    if stats.get("taken_over"):
        shown.append(f"{stats['taken_over']} taken over")
    if stats["seconds"] >= 2:
        shown.append(f"in {stats['seconds']:g} s ({stats['cpu_seconds']:g} s of CPU)")
    return f"{what}: {', '.join(shown)}"


def slug(mode: str) -> str:
    return mode.replace(" ", "-")
