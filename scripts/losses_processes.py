"""The processes measure_losses.py runs: the local API server, a forwarder, the children.

The server is `python -m prefactor_http.server` from the harness's copy of
the package, its state read over `/_control`; the forwarder stands between
a child and the server and can make its port refuse connections; a `Child`
is one run of this script with `--child`, its files in a directory of its
own and its stdout read line by line.
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections import Counter
from pathlib import Path
from typing import Any

from losses_child import span_key
from losses_settings import SCRIPT, TOKEN, Spec


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
