"""The table of `make bench`: its rows, what each is divided by, and how it is printed.

Each row names whose case it is (ours, run by bench.py in the project's
venv; or a contender, run by contenders.py in `.venv-bench`), its group,
and the target of issue 13 against the existing client. A group's rows are
divided by the existing client's row of that group measured in the same run
(the drain's by our own `bulk.execute_many`); the table gives the median of
those per-run ratios, their range, and whether the median meets the target.
"""

from __future__ import annotations

import datetime
import os
import platform
import statistics
from dataclasses import dataclass


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
    Row(
        "200 in flight, ours, async, `http_client=httpx.AsyncClient()`",
        *("ours", "flight async httpx client", "flight"),
    ),
    Row("import, existing 0.4.3", "contender", "prefactor_http", "import"),
    Row("import, bare aiohttp", "contender", "aiohttp", "import"),
    Row("import, bare urllib3", "contender", "urllib3", "import"),
    Row("**import prefactor_http, ours**", "ours", "prefactor_http", "import", 0.75),
]


def baseline(kind: str, rows: list[Row]) -> Row | None:
    """The existing client's row (or ours) that `kind` is divided by, if `rows` has it."""
    wanted, side = EXISTING[kind], BASELINE_SIDE.get(kind, "contender")
    return next((r for r in rows if r.side == side and r.case == wanted), None)


def machine() -> str:
    cpu = "unknown CPU"
    with open("/proc/cpuinfo") as info:
        for line in info:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    today = datetime.date.today().isoformat()
    return f"{today}, {os.cpu_count()} CPUs ({cpu}), Python {platform.python_version()}"


def print_table(
    rows: list[Row],
    samples: dict[Row, list[dict[str, float]]],
    counts: dict[str, int],
    *,
    per_call_runs: int,
    runs: int,
    imports: int,
    elapsed: float,
) -> None:
    """The table of medians, ratios and targets from each row's samples, and the targets met."""

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
        f"Machine: {machine()}. Medians of {per_call_runs} runs for per-call cases, "
        f"{runs} for the others, {imports} for imports; ratio: median of the per-run "
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
        n = f"{counts[row.kind]:,}" if row.kind in counts else f"{imports}"
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
