"""The failures measure_losses.py measures, but a full disk: each adds rows to the harness.

An API outage, SIGTERM, SIGKILL, `os._exit`, pool workers never closing
their writers, SIGSTOP; and power loss, which is not measured (a row that
says so). The full disk is in losses_disk_full.py.
"""

from __future__ import annotations

import signal
import time
from pathlib import Path

from losses_harness import Harness, Row, brief, slug
from losses_processes import Child, Forwarder
from losses_settings import MODES, RECOVERY_TIMEOUT, SPOOL_MODES


def outage(h: Harness, seconds: int) -> None:
    """All modes at once, at 20 spans/s, default writer settings; the port refuses for `seconds`."""
    before, after = 3.0, 5.0
    forwarder = Forwarder(h.server.port)
    count = int(20 * (before + seconds + after))
    children = {
        mode: h.child(slug(mode), mode, "write", url=forwarder.url, rate=20, count=count)
        for mode in MODES
    }
    for child in children.values():
        child.expect("ready")
    time.sleep(before)
    forwarder.down()
    h.log(f"outage: port {forwarder.port} refuses connections for {seconds} s")
    time.sleep(seconds)
    forwarder.up()
    began = time.monotonic()
    label = f"API outage {seconds // 60} min" if seconds >= 60 else f"API outage {seconds} s"
    rows = {mode: Row(label, mode, notes=["20 spans/s"]) for mode in MODES}
    for mode, child in children.items():  # all end before any is measured (it resets the server)
        code = child.wait(after + RECOVERY_TIMEOUT + 30)
        h.check(child, rows[mode], code, expected=(0,))
        ended = time.monotonic() - began
        rows[mode].notes.append(
            f"exited {ended:.0f} s after the outage (it wrote {after:g} s more)"
        )
        rows[mode].notes.append(brief("close()", child.stats()))
    forwarder.down()
    for mode, child in children.items():
        h.recover(child, rows[mode])
        h.measure(child, rows[mode], reset=False)
        h.rows.append(rows[mode])


def sigterm(h: Harness) -> None:
    """SIGTERM at a random moment while writing 200 spans/s: the writer's handler closes it."""
    for mode in MODES:
        row = Row("SIGTERM at 200 spans/s", mode)
        waits = []
        for rep in range(h.sigterm_reps):
            child = h.child(f"{slug(mode)}-{rep}", mode, "write", rate=200, count=10_000)
            child.expect("ready")
            time.sleep(h.rng.uniform(0.5, 3.0))
            sent, sent_at = time.monotonic(), time.time()
            child.process.send_signal(signal.SIGTERM)
            code = child.wait(30)
            waits.append(time.monotonic() - sent)
            h.check(child, row, code, expected=(-signal.SIGTERM,))
            recovered = h.recover(child, row)
            if recovered and recovered.get("taken_over"):
                row.notes.append(f"recovery took over {recovered['taken_over']}")
            h.measure(child, row, ended_at=sent_at)
        row.notes.append(f"exit {max(waits):.2f} s after SIGTERM at most")
        h.rows.append(row)


def sigkill(h: Harness, rate: int) -> None:
    """SIGKILL once a random number of the 10,000 spans were accepted."""
    label = "SIGKILL, writing as fast as possible" if rate == 0 else f"SIGKILL at {rate} spans/s"
    for mode in MODES:
        row = Row(label, mode)
        taken = []
        for rep in range(h.reps):
            child = h.child(f"{slug(mode)}-{rate}-{rep}", mode, "write", rate=rate, count=10_000)
            child.expect("ready")
            target = h.rng.randint(1, 9_999) if rate == 0 else h.rng.randint(20, 1_000)
            if not child.wait_accepted(target):
                row.notes.append(f"run {rep} ended before the kill")
            killed_at = time.time()
            child.process.kill()
            code = child.wait(10)
            h.check(child, row, code, expected=(-signal.SIGKILL,))
            recovered = h.recover(child, row)
            h.measure(child, row, ended_at=killed_at)
            if recovered is not None:
                taken.append(str(recovered.get("taken_over")))
        if taken:
            row.notes.append(f"recovery took over {', '.join(taken)}")
        h.rows.append(row)


def sigkills(h: Harness) -> None:
    sigkill(h, 0)
    sigkill(h, 200)


def os_exit(h: Harness) -> None:
    """os._exit(0) from a timer thread at a random moment, writing 200 spans/s."""
    for mode in MODES:
        row = Row("os._exit at 200 spans/s", mode)
        for rep in range(h.reps):
            delay = round(h.rng.uniform(0.3, 3.0), 2)
            child = h.child(
                f"{slug(mode)}-{rep}", mode, "write", rate=200, count=10_000, exit_after=delay
            )
            code = child.wait(30)
            h.check(child, row, code, expected=(0,))
            h.recover(child, row)
            exited = Path(child.spec["accepted"] + ".exit")
            h.measure(child, row, ended_at=float(exited.read_text()) if exited.exists() else None)
        h.rows.append(row)


POOLS = {  # label: (the pool's start method, that of the Process it runs in, if any)
    "Pool worker (fork)": ("fork", None),
    "Pool worker (spawn)": ("spawn", None),
    "Pool worker (forkserver)": ("forkserver", None),
    "Pool worker (fork), pool in a multiprocessing.Process (fork)": ("fork", "fork"),
    "Pool worker (fork), pool in a multiprocessing.Process (spawn)": ("fork", "spawn"),
}


def pool(h: Harness) -> None:
    """Pool(2) workers run 4 tasks of 250 spans, each with a writer never closed; close, join.

    The pool runs in the child's main process, or in a multiprocessing.Process of it.
    """
    for label, (method, outer) in POOLS.items():
        for mode in MODES:
            row = Row(label, mode)
            child = h.child(
                f"{method}-in-{outer or 'main'}-{slug(mode)}",
                mode,
                "pool",
                method=method,
                outer=outer,
                processes=2,
                tasks=4,
                per_task=250,
            )
            began = time.monotonic()
            code = child.wait(120)
            h.check(child, row, code, expected=(0,))
            row.notes.append(f"pool ended in {time.monotonic() - began:.1f} s")
            recovered = h.recover(child, row)
            if recovered and recovered.get("taken_over"):
                row.notes.append(f"recovery took over {recovered['taken_over']}")
            h.measure(child, row)
            h.rows.append(row)


def sigstop(h: Harness) -> None:
    """All modes at once at 20 spans/s: SIGSTOP 3 s in, SIGCONT later, then a normal close.

    While the children are stopped, another writer opens each spool dir and
    closes: it must not take over a stopped (live) writer's items.
    """
    stopped_for = 10 if h.quick else 60
    children = {mode: h.child(slug(mode), mode, "write", rate=20, count=160) for mode in MODES}
    for child in children.values():
        child.expect("ready")
    time.sleep(3)
    for child in children.values():
        child.process.send_signal(signal.SIGSTOP)
    h.log(f"sigstop: children stopped for {stopped_for} s")
    began = time.monotonic()
    intruders = {}
    for mode in SPOOL_MODES:
        spec = {**children[mode].spec, "kind": "recover"}
        intruders[mode] = Child(children[mode].directory / "during-stop", spec)
    for intruder in intruders.values():
        intruder.wait(stopped_for + 30)
    time.sleep(max(0.0, stopped_for - (time.monotonic() - began)))
    for child in children.values():
        child.process.send_signal(signal.SIGCONT)
    rows = {mode: Row(f"SIGSTOP {stopped_for} s, then SIGCONT", mode) for mode in MODES}
    for mode, child in children.items():  # all end before any is measured (it resets the server)
        code = child.wait(RECOVERY_TIMEOUT + 30)
        h.check(child, rows[mode], code, expected=(0,))
        rows[mode].notes.append(brief("close()", child.stats()))
    for mode, child in children.items():
        row = rows[mode]
        if mode in intruders:
            intruder = intruders[mode]
            h.check(intruder, row, intruder.process.returncode, (0,), "writer opened meanwhile")
            taken = (intruder.stats() or {}).get("taken_over")
            row.notes.append(f"a writer opened during the stop took over {taken}")
            if taken:
                h.anomaly(row, f"a writer took over {taken} items of a stopped, live writer")
        h.recover(child, row)
        h.measure(child, row, reset=False)
        h.rows.append(row)


def power_loss(h: Harness) -> None:
    for mode in MODES:
        h.rows.append(Row("power loss", mode, text="not measured"))
