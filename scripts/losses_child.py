"""The child side of measure_losses.py: one process that writes spans, recovers, or runs a pool.

measure_losses.py `--child SPEC` runs `run_child` here: with a
SyncSpanWriter to the local server (directly or through the harness's
forwarder), it writes spans and records each key once `write()` returned
("write"), opens a spool left behind and sends what it takes over
("recover"), runs a multiprocessing pool whose workers never close their
writers ("pool"), or writes until a full disk refuses ("fill").
"""

from __future__ import annotations

import faulthandler
import json
import logging
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from losses_settings import RECOVERY_TIMEOUT, TOKEN, Spec

if TYPE_CHECKING:  # imported where it is used: see losses_settings.py
    from prefactor_http import BulkItem, SyncSpanWriter


def span_key(instance: str, n: int) -> str:
    return f"loss-{instance}-{n:06d}"


def span_item(instance: str, n: int) -> BulkItem:
    from prefactor_http import BulkItem

    return BulkItem(
        _type="agent_spans/create",
        idempotency_key=span_key(instance, n),
        agent_instance_id=instance,
        schema_name="agent:llm",
        status="complete",
        payload={"n": n},
    )


def make_writer(spec: Spec) -> SyncSpanWriter:
    from prefactor_http import HttpClientConfig, SyncPrefactorHttpClient, SyncSpanWriter

    client = SyncPrefactorHttpClient(HttpClientConfig(api_url=spec["url"], api_token=TOKEN))
    options = dict(spec.get("writer", {}))
    if spec["sync"] is not None:
        options.update(spool_dir=spec["spool_dir"], spool_sync=spec["sync"])
    return SyncSpanWriter(client, **options)


def write_spans(writer: SyncSpanWriter, spec: Spec, numbers: Iterable[int], path: str) -> None:
    """Write at `spec["rate"]` spans/s (0: as fast as possible), recording each accepted key.

    The pace never catches up in a burst (after SIGSTOP, say).
    """
    interval = 1 / spec["rate"] if spec["rate"] else 0.0
    next_at = time.monotonic()
    with open(path, "a", encoding="ascii") as accepted:
        for n in numbers:
            writer.write(span_item(spec["instance"], n))
            accepted.write(f"{span_key(spec['instance'], n)} {time.time():.6f}\n")
            accepted.flush()
            if interval:
                next_at += interval
                delay = next_at - time.monotonic()
                if delay > 0:
                    time.sleep(delay)
                else:
                    next_at = time.monotonic()


def close_and_report(writer: SyncSpanWriter, timeout: float) -> None:
    """Close; print the final counts and the time close() took as `stats {json}`.

    Also the failures, if any, on a line of their own.
    """
    from prefactor_http import PrefactorDeliveryError

    began, cpu = time.monotonic(), time.process_time()
    try:
        stats = writer.close(timeout=timeout)
    except PrefactorDeliveryError as exc:
        stats = exc.stats
        print(f"failures {len(exc.failures)}; first: {exc.failures[0]}", flush=True)
    names = ("accepted", "delivered", "failed", "pending", "taken_over")
    counts = {name: getattr(stats, name) for name in names} if stats is not None else {}
    counts["seconds"] = round(time.monotonic() - began, 1)
    counts["cpu_seconds"] = round(time.process_time() - cpu, 1)  # every thread's
    print(f"stats {json.dumps(counts)}", flush=True)


def child_write(spec: Spec) -> None:
    """Write `count` spans; `exit_after` seconds in, a timer thread may call os._exit(0)."""
    writer = make_writer(spec)
    if spec.get("exit_after") is not None:

        def die() -> None:
            Path(spec["accepted"] + ".exit").write_text(f"{time.time():.6f}")
            os._exit(0)

        threading.Timer(spec["exit_after"], die).start()
    print("ready", flush=True)
    write_spans(writer, spec, range(spec["count"]), spec["accepted"])
    close_and_report(writer, RECOVERY_TIMEOUT)


def child_recover(spec: Spec) -> None:
    """A new writer on the spool directory that writes nothing: it sends what it takes over."""
    close_and_report(make_writer(spec), RECOVERY_TIMEOUT)


def pool_task(spec: Spec, index: int) -> int:
    """A pool worker's task: a writer of its own, `per_task` spans, never closed."""
    check_package(spec)
    writer = make_writer(spec)
    per_task = spec["per_task"]
    numbers = range(index * per_task, (index + 1) * per_task)
    write_spans(writer, spec, numbers, f"{spec['accepted']}.{index}")
    return os.getpid()


def run_pool(spec: Spec) -> None:
    context = multiprocessing.get_context(spec["method"])
    pool = context.Pool(spec["processes"])
    pids = pool.starmap(pool_task, [(spec, i) for i in range(spec["tasks"])], chunksize=1)
    pool.close()
    pool.join()
    print(f"workers {len(set(pids))}", flush=True)


def child_pool(spec: Spec) -> None:
    """Run the pool here, or (`outer`) in a multiprocessing.Process started that way."""
    if spec.get("outer") is None:
        run_pool(spec)
        return
    outer = multiprocessing.get_context(spec["outer"]).Process(target=run_pool, args=(spec,))
    outer.start()
    outer.join()
    if outer.exitcode:
        sys.exit(f"the pool's process exited with {outer.exitcode}")


def child_fill(spec: Spec) -> None:
    """Write at `rate` until write() refuses 3 times; report how; then wait for the harness.

    On stdin, `close SECONDS` closes the writer with that timeout (reporting
    its counts); anything else leaves the process to be killed.
    """
    from prefactor_http import PrefactorBufferFullError

    writer = make_writer(spec)
    print("ready", flush=True)
    refusals: list[tuple[float, str]] = []
    accepted = 0
    started = time.monotonic()
    interval = 1 / spec["rate"] if spec["rate"] else 0.0
    with open(spec["accepted"], "a", encoding="ascii") as out:
        for n in range(spec["count"]):
            began = time.monotonic()
            try:
                writer.write(span_item(spec["instance"], n))
            except PrefactorBufferFullError as exc:
                refusals.append((time.monotonic() - began, str(exc)))
                if len(refusals) == 3:
                    break
                continue
            accepted += 1
            out.write(f"{span_key(spec['instance'], n)} {time.time():.6f}\n")
            out.flush()
            if interval:
                time.sleep(interval)
    report = {
        "accepted": accepted,
        "refusals": len(refusals),
        "seconds": round(time.monotonic() - started, 2),
        "waits": [round(wait, 2) for wait, _ in refusals],
        "error": refusals[0][1] if refusals else None,
    }
    print(f"full {json.dumps(report)}", flush=True)
    command = sys.stdin.readline().split()
    if command and command[0] == "close":
        close_and_report(writer, float(command[1]))
    else:
        time.sleep(3600)


def check_package(spec: Spec) -> None:
    """Refuse to measure any prefactor_http but the harness's copy."""
    import prefactor_http

    if not (prefactor_http.__file__ or "").startswith(spec["lib"]):
        raise RuntimeError(f"prefactor_http is {prefactor_http.__file__}, not from {spec['lib']}")


def run_child(spec: Spec) -> int:
    check_package(spec)
    faulthandler.register(signal.SIGUSR1, all_threads=True)  # the harness asks when it hangs
    logging.basicConfig(
        level=logging.WARNING, format="%(process)d %(levelname)s %(name)s: %(message)s"
    )
    kinds: dict[str, Callable[[Spec], None]] = {
        "write": child_write,
        "recover": child_recover,
        "pool": child_pool,
        "fill": child_fill,
    }
    kinds[spec["kind"]](spec)
    return 0
