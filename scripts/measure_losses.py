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

Run from the repository root:

    .venv/bin/python scripts/measure_losses.py [--quick] [--only NAME ...] [--seed N]
        [--workdir DIR] [--package DIR]
"""

from __future__ import annotations

import argparse
import contextlib
import faulthandler
import hashlib
import json
import logging
import multiprocessing
import os
import queue
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

# prefactor_http is imported where it is used, never at the top: the harness imports it
# from the copy it makes (the working tree may be mid-edit), a child from PYTHONPATH.
if TYPE_CHECKING:
    from prefactor_http import BulkItem, SyncSpanWriter

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = Path(__file__).resolve()
TOKEN = "prefactor-local-token"
MODES: dict[str, str | None] = {"no spool": None, "spool batch": "batch", "spool always": "always"}
SPOOL_MODES = [mode for mode, sync in MODES.items() if sync is not None]
SCENARIOS = [
    *("outage", "outage-5min", "sigterm", "sigkill", "os-exit", "pool", "sigstop", "disk-full"),
]
# How long after acceptance a "batch" spool may still lose an item: COMMIT_INTERVAL plus a commit.
BATCH_WINDOW_MS = 250
RECOVERY_TIMEOUT = 120.0  # close(timeout=) of a recovery writer, and of children closing normally

Spec = dict[str, Any]


# The child side: one process that writes spans, recovers a spool, or runs a pool.


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


# The harness side: the server, a forwarder that can refuse connections, children.


class Server:
    """The local API server, in a subprocess; state read over `/_control`."""

    def __init__(self, workdir: Path, lib: Path) -> None:
        self._log = open(workdir / "server.stderr.txt", "w")  # noqa: SIM115
        self._process = subprocess.Popen(
            [sys.executable, "-m", "prefactor_http.server", "--port", "0"],
            cwd=workdir,
            env=child_env(lib),
            stdout=subprocess.PIPE,
            stderr=self._log,
            text=True,
        )
        assert self._process.stdout is not None
        self.url = self._process.stdout.readline().strip()
        if not self.url.startswith("http"):
            raise RuntimeError(f"the local server did not start: {self.url!r}")
        self.port = int(self.url.rsplit(":", 1)[1])
        from prefactor_http import HttpClientConfig, SyncPrefactorHttpClient

        self._client = SyncPrefactorHttpClient(HttpClientConfig(api_url=self.url, api_token=TOKEN))

    def register(self) -> str:
        return self._client.agent_instances.register(
            agent_version={"name": "a", "external_identifier": "v1"},
            agent_schema_version={"external_identifier": "v1"},
        ).id

    def _control(self, path: str, method: str = "GET") -> Any:
        request = urllib.request.Request(f"{self.url}/_control/{path}", method=method)
        with urllib.request.urlopen(request, timeout=60) as answer:
            return json.load(answer)

    def stored(self, instance: str) -> Counter[int]:
        """How many spans the server stored for each number, once the count stops changing."""
        last: Counter[int] | None = None
        for _ in range(60):
            spans = self._control("state")["spans"].values()
            now = Counter(s["payload"]["n"] for s in spans if s["agent_instance_id"] == instance)
            if now == last:
                return now
            last = now
            time.sleep(0.5)
        return last or Counter()

    def reset(self) -> None:
        self._control("reset", method="POST")

    def stop(self) -> None:
        self._client.close()
        self._process.terminate()
        self._process.wait(10)
        self._log.close()


class Forwarder:
    """Forwards a local port to the server; `down()` makes that port refuse connections.

    Down, nothing listens on the port and every forwarded connection is cut.
    """

    def __init__(self, target_port: int) -> None:
        self._target = target_port
        with socket.create_server(("127.0.0.1", 0)) as probe:
            self.port = probe.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._pairs: set[tuple[socket.socket, socket.socket]] = set()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._acceptor: threading.Thread | None = None
        self.up()

    def up(self) -> None:
        if self._acceptor is not None:
            return
        listener = socket.create_server(("127.0.0.1", self.port))  # SO_REUSEADDR: rebinds at once
        listener.settimeout(0.05)
        self._stop = threading.Event()
        self._acceptor = threading.Thread(
            target=self._accept, args=(listener, self._stop), daemon=True
        )
        self._acceptor.start()

    def down(self) -> None:
        if self._acceptor is None:
            return
        self._stop.set()
        self._acceptor.join()
        self._acceptor = None
        with self._lock:
            for pair in list(self._pairs):
                _shut(pair)

    def _accept(self, listener: socket.socket, stop: threading.Event) -> None:
        with listener:
            while not stop.is_set():
                try:
                    client, _ = listener.accept()
                except TimeoutError:
                    continue
                try:
                    upstream = socket.create_connection(("127.0.0.1", self._target))
                except OSError:
                    client.close()
                    continue
                pair = (client, upstream)
                with self._lock:
                    self._pairs.add(pair)
                threading.Thread(target=self._serve, args=(pair,), daemon=True).start()

    def _serve(self, pair: tuple[socket.socket, socket.socket]) -> None:
        client, upstream = pair
        back = threading.Thread(target=_pump, args=(upstream, client, pair), daemon=True)
        back.start()
        _pump(client, upstream, pair)
        back.join()
        with self._lock:
            self._pairs.discard(pair)
        client.close()
        upstream.close()


def _pump(source: socket.socket, sink: socket.socket, pair: tuple[socket.socket, ...]) -> None:
    with contextlib.suppress(OSError):
        while data := source.recv(65536):
            sink.sendall(data)
    _shut(pair)


def _shut(pair: tuple[socket.socket, ...]) -> None:
    for sock in pair:
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)


def child_env(lib: Path) -> dict[str, str]:
    """The environment of the server and children: the package from `lib`, no spool settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFACTOR_SPOOL")}
    env["PYTHONPATH"] = str(lib)
    return env


class Child:
    """A child process of this script, its files in `directory`, its stdout lines in a queue."""

    def __init__(self, directory: Path, spec: Spec, *, stdin: bool = False) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        self.directory = directory
        self.spec = {**spec, "accepted": str(directory / "accepted")}
        self.command = [sys.executable, str(SCRIPT), "--child", json.dumps(self.spec)]
        (directory / "spec.json").write_text(json.dumps(self.spec, indent=1))
        self.stderr_path = directory / "stderr.txt"
        with open(self.stderr_path, "w") as stderr:
            self.process = subprocess.Popen(
                self.command,
                cwd=directory,
                env=child_env(Path(spec["lib"])),
                stdin=subprocess.PIPE if stdin else subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=stderr,
                text=True,
            )
        self.lines: list[str] = []
        self._queue: queue.Queue[str | None] = queue.Queue()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        self.timed_out = False

    def _read(self) -> None:
        assert self.process.stdout is not None
        with open(self.directory / "stdout.txt", "w") as copy:
            for line in self.process.stdout:
                copy.write(line)
                copy.flush()
                self.lines.append(line.rstrip("\n"))
                self._queue.put(line.rstrip("\n"))
        self._queue.put(None)

    def expect(self, prefix: str, timeout: float = 60.0) -> str | None:
        """The first stdout line starting with `prefix` (its rest), or None: ended or too slow."""
        deadline = time.monotonic() + timeout
        while (remaining := deadline - time.monotonic()) > 0:
            try:
                line = self._queue.get(timeout=remaining)
            except queue.Empty:
                break
            if line is None:
                return None
            if line.startswith(prefix):
                return line[len(prefix) :].strip()
        return None

    def tell(self, line: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()

    def wait_accepted(self, target: int) -> bool:
        """Wait until `target` keys are recorded as accepted; False if the child ended first."""
        path = Path(self.spec["accepted"])
        line_length = len(span_key(self.spec["instance"], 0)) + len(f" {time.time():.6f}\n")
        while self.process.poll() is None:
            with contextlib.suppress(FileNotFoundError):
                if path.stat().st_size // line_length >= target:
                    return True
            time.sleep(0.0005)
        return False

    def wait(self, timeout: float) -> int:
        """The exit status; a child still running after `timeout` dumps its stacks, then dies."""
        try:
            code = self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.timed_out = True
            with contextlib.suppress(ProcessLookupError):
                self.process.send_signal(signal.SIGCONT)
                self.process.send_signal(signal.SIGUSR1)  # faulthandler: every thread's stack
            time.sleep(1)
            self.process.kill()
            code = self.process.wait()
        self._reader.join(5)  # its last lines
        return code

    def stats(self) -> dict[str, int] | None:
        for line in self.lines:
            if line.startswith("stats "):
                return dict(json.loads(line[len("stats ") :]))
        return None

    def accepted(self) -> dict[int, float]:
        """Each accepted number, with the wall-clock time its write() returned."""
        found = {}
        for path in self.directory.glob("accepted*"):
            if path.name.endswith(".exit"):
                continue
            for line in path.read_text(encoding="ascii").splitlines(keepends=True):
                if line.endswith("\n"):
                    key, stamp = line.split()
                    found[int(key.rsplit("-", 1)[1])] = float(stamp)
        return found

    def tracebacks(self) -> str | None:
        """The last lines of stderr, if it holds a traceback."""
        text = self.stderr_path.read_text(errors="replace")
        if "Traceback" not in text:
            return None
        return "\n    ".join(text[text.index("Traceback") :].splitlines()[-4:])

    def stacks(self) -> str:
        """The threads' stacks faulthandler dumped (innermost first), if it did."""
        lines = self.stderr_path.read_text(errors="replace").splitlines()
        first = next((i for i, line in enumerate(lines) if "most recent call first" in line), None)
        if first is None:
            return "(no stack dumped)"
        stacks = "\n    ".join(lines[first : first + 30])
        return re.sub(r"0x[0-9a-f]+", "0x...", stacks)  # the same hang reads the same


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


# The scenarios: each adds rows to the harness.


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


def power_loss(h: Harness) -> None:
    for mode in MODES:
        h.rows.append(Row("power loss", mode, text="not measured"))


def slug(mode: str) -> str:
    return mode.replace(" ", "-")


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
