"""A full disk, for measure_losses.py: a 2 MB tmpfs as the spool directory (needs root).

The API refuses connections while a child writes until `write()` refuses;
then the API comes back and the child closes, or it closes with the API
still down, or it is SIGKILLed; then a recovery writer runs on the spool,
on a tmpfs grown to 16 MB if it cannot start on the full one.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
from pathlib import Path
from typing import Any

from losses_harness import Harness, Row, brief, slug
from losses_processes import Child, Forwarder
from losses_settings import RECOVERY_TIMEOUT, SPOOL_MODES


def disk_full(h: Harness) -> None:
    """A 2 MB tmpfs as spool dir, the API refusing connections: write until write() refuses.

    As fast as possible, and at 3000 spans/s. Then one of: the API comes
    back and the child closes; the child closes (timeout 5 s) with the API
    still down; SIGKILL. Then the API is up and a recovery writer runs on
    the spool dir, and, if it cannot start there, again once the tmpfs is
    grown to 16 MB (as an operator freeing space would).
    """
    h.rows.append(Row("disk full (spool)", "no spool", text="n/a", notes=["no disk used"]))
    if os.geteuid() != 0:
        for mode in SPOOL_MODES:
            h.rows.append(Row("disk full (spool)", mode, text="not measured", notes=["not root"]))
        return
    for mode in SPOOL_MODES:
        for rate in (0, 3000):
            for ending, short in DISK_FULL_ENDINGS.items():
                pace = "as fast as possible" if rate == 0 else f"{rate} spans/s"
                row = Row(f"disk full (2 MB tmpfs), {pace}, then {ending}", mode)
                fill_until_full(h, row, f"{slug(mode)}-{rate}-{short}", rate, ending)
                h.rows.append(row)


DISK_FULL_ENDINGS = {
    "API back, close(timeout=30)": "back",
    "API down, close(timeout=5)": "down",
    "SIGKILL": "kill",
}


def fill_until_full(h: Harness, row: Row, name: str, rate: int, ending: str) -> None:
    forwarder = Forwarder(h.server.port)
    forwarder.down()
    mount = h.workdir / h.scenario / name / "spool"
    mount.mkdir(parents=True)
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mount)], check=True)
    try:
        child = h.child(
            name,
            row.mode,
            "fill",
            stdin=True,
            url=forwarder.url,
            rate=rate,
            count=60_000,
            writer={"block_timeout": 1.0},
        )
        child.expect("ready")
        row.notes.append(describe_fill(json.loads(child.expect("full", timeout=120) or "null")))
        if ending == "SIGKILL":
            child.process.kill()
            h.check(child, row, child.wait(10), expected=(-signal.SIGKILL,))
        else:
            api_back = ending.startswith("API back")
            if api_back:
                forwarder.up()
            child.tell(f"close {30 if api_back else 5}")
            h.check(child, row, child.wait(60), expected=(0,))
            row.notes.append(brief("close()", child.stats()))
        forwarder.up()
        recovered = recover_on_full_disk(h, child, row, mount)
        row.notes.append(brief("recovery", recovered))
        h.measure(child, row)
    finally:
        forwarder.down()
        subprocess.run(["umount", "-l", str(mount)], check=False)


def recover_on_full_disk(h: Harness, child: Child, row: Row, mount: Path) -> dict[str, int] | None:
    """Recover; if that fails on the still-full disk, grow it to 16 MB and recover again."""
    recovered = h.recover(child, row)
    if recovered is not None:
        return recovered
    row.notes.append("a new writer on the full disk failed; grown to 16 MB, then recovered")
    remount(mount, "16m")
    helper = Child(child.directory / "recovery-2", {**child.spec, "kind": "recover"})
    h.check(helper, row, helper.wait(RECOVERY_TIMEOUT + 30), (0,), "second recovery writer")
    return helper.stats()


def remount(mount: Path, size: str) -> None:
    subprocess.run(["mount", "-o", f"remount,size={size}", str(mount)], check=True)


def describe_fill(full: dict[str, Any] | None) -> str:
    if full is None:
        return "the child never reported the disk full"
    if not full["refusals"]:
        return f"write() accepted all {full['accepted']} and never refused"
    waits = full["waits"]
    how = f"blocked {waits[0]:g} s, then raised" if waits[0] >= 0.5 else "raised at once"
    error = full["error"].split(":")[0]
    return f"write() accepted {full['accepted']}, then {how} ({error}: ...)"
