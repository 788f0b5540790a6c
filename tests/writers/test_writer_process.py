"""Span writers in a real process: deadlines, bounded bytes, SIGTERM and fork."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from conftest import TOKEN, started_instance

from prefactor_http import (
    BulkItem,
    HttpClientConfig,
    PrefactorBufferFullError,
    PrefactorDeliveryError,
    PrefactorHttpClient,
    PrefactorTimeoutError,
    SpanWriter,
    SyncPrefactorHttpClient,
    SyncSpanWriter,
)
from prefactor_http._write_buffer import WriteBuffer

# Child processes, signals and forks: `make test-fast` leaves them out.
pytestmark = pytest.mark.slow

NEVER = 3600.0
KINDS = ["sync", "async", "async-httpx"]


class SilentServer:
    """A loopback server that accepts connections and reads requests, but never answers."""

    def __init__(self) -> None:
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.05)
        self.url = f"http://127.0.0.1:{self._listener.getsockname()[1]}"
        self.connections: list[socket.socket] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                connection, _ = self._listener.accept()
            except TimeoutError:
                continue
            self.connections.append(connection)

    def close(self) -> None:
        self._stop.set()
        self._thread.join(5)
        for connection in self.connections:
            connection.close()
        self._listener.close()


@pytest.fixture
def silent() -> Iterator[SilentServer]:
    server = SilentServer()
    yield server
    server.close()


class Kind:
    """One client kind ("sync", "async", "async-httpx") with its writer, run the same way."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.is_async = kind != "sync"
        self._loop = asyncio.new_event_loop() if self.is_async else None
        self._clients: list[Any] = []

    def client(self, url: str, token: str = TOKEN, **config: Any) -> Any:
        config.setdefault("request_timeout", 30.0)
        if self.kind == "async-httpx":
            config["async_transport"] = "httpx"
        cls = PrefactorHttpClient if self.is_async else SyncPrefactorHttpClient
        client = cls(HttpClientConfig(api_url=url, api_token=token, **config))
        self._clients.append(client)
        return client

    def writer(self, client: Any, **settings: Any) -> Any:
        return (SpanWriter if self.is_async else SyncSpanWriter)(client, **settings)

    def run(self, action: Any) -> Any:
        result = action()
        if self._loop is not None:
            return self._loop.run_until_complete(result)
        return result

    def write(self, writer: Any, items: list[BulkItem]) -> None:
        for item in items:
            self.run(lambda item=item: writer.write(item))

    def close(self) -> None:
        for client in self._clients:
            for writer in list(client._writers):
                with contextlib.suppress(PrefactorDeliveryError):
                    # Clean-up only: a writer still held by a silent server is given up at once.
                    self.run(lambda writer=writer: writer.close(timeout=0.1))
            self.run(client.close)
        if self._loop is not None:
            self._loop.close()


@pytest.fixture(params=KINDS)
def kind(request: pytest.FixtureRequest) -> Iterator[Kind]:
    driver = Kind(request.param)
    yield driver
    driver.close()


def items_for(instance_id: str, count: int, prefix: str, size: int = 0) -> list[BulkItem]:
    return [
        BulkItem(
            _type="agent_spans/create",
            idempotency_key=f"{prefix}-{index:04d}",
            agent_instance_id=instance_id,
            schema_name="agent:llm",
            status="active",
            payload={"n": index, "blob": "x" * size},
        )
        for index in range(count)
    ]


def keys_of(items: list[BulkItem]) -> list[str]:
    return [item.idempotency_key for item in items]


# Deadlines: flush(timeout=) and close(timeout=).


def test_close_with_a_timeout_reports_what_a_silent_api_never_answered(silent, kind):
    """close(timeout=) returns at its deadline and reports every item; before, ~2 hours."""
    items = items_for("inst-1", 5, "silent")
    writer = kind.writer(kind.client(silent.url), flush_interval=NEVER)
    kind.write(writer, items)

    started = time.monotonic()
    with pytest.raises(PrefactorDeliveryError) as caught:
        kind.run(lambda: writer.close(timeout=0.2))

    assert time.monotonic() - started < 3
    assert [f.item for f in caught.value.failures] == items
    assert all(isinstance(f.error, PrefactorTimeoutError) for f in caught.value.failures)


def test_flush_with_a_timeout_reports_what_is_undelivered_and_stops_retrying(silent, kind):
    """flush(timeout=) gives up on its items at the deadline: reported once, never resent."""
    items = items_for("inst-1", 3, "flushed")
    writer = kind.writer(kind.client(silent.url), flush_interval=0.05, flush_attempts=5)
    kind.write(writer, items)

    started = time.monotonic()
    with pytest.raises(PrefactorDeliveryError) as caught:
        kind.run(lambda: writer.flush(timeout=0.2))
    assert time.monotonic() - started < 3
    assert [f.item for f in caught.value.failures] == items
    # A resend would come after the writer's backoff, which starts at flush_interval (0.05 s)
    # and doubles: watching 0.4 s covers its first three tries.
    kind.run(lambda: asyncio.sleep(0.4) if kind.is_async else time.sleep(0.4))

    assert len(silent.connections) == 1  # the one request, bounded by the flush's deadline
    kind.run(lambda: writer.close(timeout=2))  # nothing left to send or report


EXIT_SCRIPT = """
import logging, sys, time
logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
from prefactor_http import BulkItem, HttpClientConfig, SyncPrefactorHttpClient, SyncSpanWriter
config = HttpClientConfig(api_url={url!r}, api_token="pf-t", request_timeout=30.0)
writer = SyncSpanWriter(SyncPrefactorHttpClient(config), flush_interval=3600, exit_timeout=0.3)
for i in range(5):
    writer.write(BulkItem(_type="agent_spans/create", idempotency_key=f"exit-key-{{i}}",
                          agent_instance_id="inst-1", schema_name="agent:llm", status="active"))
print(time.monotonic(), flush=True)
"""


def test_interpreter_exit_is_bounded_by_exit_timeout_and_logs_what_was_not_sent(silent):
    """At exit against a silent API the writer gives up after exit_timeout and logs counts."""
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(EXIT_SCRIPT.format(url=silent.url))],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    ended = time.monotonic()

    assert done.returncode == 0, done.stderr
    assert ended - float(done.stdout) < 5
    assert (
        "WARNING:prefactor_http:span writer at interpreter exit: 5 accepted, 0 delivered, "
        "5 failed, 0 pending; 5 accepted item(s) not "
    ) in done.stderr
    assert (
        "(5 unsent or unanswered when the 0.3s deadline at interpreter exit passed" in done.stderr
    )


# Bounded bytes.

ITEM_BYTES = 100_000
BYTE_BOUND = 1_000_000


def fill(kind: Kind, writer: Any, items: list[BulkItem]) -> tuple[int, Exception]:
    """Write until the writer refuses: how many it accepted, and its refusal."""
    for accepted, item in enumerate(items):
        try:
            kind.write(writer, [item])
        except PrefactorBufferFullError as exc:
            return accepted, exc
    raise AssertionError("every item was accepted")


def test_a_writer_holds_at_most_max_buffered_bytes(silent, kind):
    """Items of 100 KB: past max_buffered_bytes, write() refuses (when_full="raise")."""
    items = items_for("inst-1", 20, "big", size=ITEM_BYTES)
    writer = kind.writer(
        kind.client(silent.url),
        flush_interval=NEVER,
        max_buffered_bytes=BYTE_BOUND,
        when_full="raise",
    )
    accepted, full = fill(kind, writer, items)

    assert "max_buffered_bytes=1000000" in str(full)
    size = len(WriteBuffer.encode(items[0]))
    assert accepted == BYTE_BOUND // size == 9
    assert writer._buffer.held_bytes == accepted * size
    assert writer._buffer.held_bytes <= BYTE_BOUND


def test_a_write_blocked_by_max_buffered_bytes_gives_up_after_block_timeout(silent, kind):
    """when_full="block" waits for room under the byte bound too, then raises."""
    items = items_for("inst-1", 10, "big", size=ITEM_BYTES)
    writer = kind.writer(
        kind.client(silent.url),
        flush_interval=NEVER,
        max_buffered_bytes=BYTE_BOUND,
        block_timeout=0.2,
    )
    kind.write(writer, items[:9])

    started = time.monotonic()
    with pytest.raises(PrefactorBufferFullError, match="encoded bytes"):
        kind.write(writer, items[9:])

    assert 0.2 <= time.monotonic() - started < 2
    assert writer._buffer.pending == 9


def test_an_item_larger_than_max_buffered_bytes_goes_into_an_empty_writer(silent, kind):
    """Refusing it would refuse it for ever: alone, it is accepted; with company, it waits."""
    items = items_for("inst-1", 2, "huge", size=2 * BYTE_BOUND)
    writer = kind.writer(
        kind.client(silent.url),
        flush_interval=NEVER,
        max_buffered_bytes=BYTE_BOUND,
        when_full="raise",
    )

    kind.write(writer, items[:1])
    with pytest.raises(PrefactorBufferFullError):
        kind.write(writer, items[1:])
    assert writer._buffer.pending == 1


# Ctrl-C at exit.

CTRL_C_SCRIPT = """
import logging, signal, sys, time
# Ctrl-C as in a terminal: a process started in the background, without job control,
# inherits SIGINT ignored (CI runners, nohup), and Python keeps it so.
signal.signal(signal.SIGINT, signal.default_int_handler)
logging.basicConfig(level=logging.INFO, stream=sys.stderr)
from prefactor_http import BulkItem, HttpClientConfig, SyncPrefactorHttpClient, SyncSpanWriter
config = HttpClientConfig(api_url={url!r}, api_token={token!r}, max_retries=1000,
                          initial_retry_delay=0.2, max_retry_delay=0.5)
client = SyncPrefactorHttpClient(config)
for w in range({writers}):
    writer = SyncSpanWriter(client, flush_interval=3600, exit_timeout=30.0)
    for i in range(5):
        writer.write(BulkItem(_type="agent_spans/create", idempotency_key=f"ctrl-c-{{w}}-{{i}}",
                              agent_instance_id="inst-1", schema_name="agent:llm",
                              status="active", payload={{}}))
print("ready", flush=True)
time.sleep(60)
"""


class Lines:
    """A child's output read in a thread, so a test can wait for a line with a bound."""

    def __init__(self, stream: Any) -> None:
        self._lines: list[str] = []
        self._changed = threading.Condition()
        self._ended = False
        self._thread = threading.Thread(target=self._read, args=(stream,), daemon=True)
        self._thread.start()

    def _read(self, stream: Any) -> None:
        for line in stream:
            with self._changed:
                self._lines.append(line)
                self._changed.notify_all()
        with self._changed:
            self._ended = True
            self._changed.notify_all()

    def wait_for(self, text: str, count: int, seconds: float) -> bool:
        """Whether `count` lines holding `text` came within `seconds`."""

        def seen() -> bool:
            return self._ended or sum(text in line for line in self._lines) >= count

        with self._changed:
            self._changed.wait_for(seen, seconds)
            return sum(text in line for line in self._lines) >= count

    def text(self) -> str:
        self._thread.join(10)
        with self._changed:
            return "".join(self._lines)


@pytest.mark.parametrize("writers", [1, 2])
@pytest.mark.parametrize(
    ("first", "when"),
    [(signal.SIGINT, "at interpreter exit"), (signal.SIGTERM, "on SIGTERM")],
    ids=["ctrl-c", "sigterm"],
)
def test_ctrl_c_while_writers_send_before_exit_abandons_them_at_once_and_logs_counts(
    refusing_url, writers, first, when
):
    """Ctrl-C (or SIGTERM), then Ctrl-C while writers send before exit: out at once, counts logged.

    Before, Ctrl-C ended one writer's wait at exit silently and the next
    writer waited its whole exit_timeout (30 s here); during SIGTERM's
    sending it escaped the handler.
    """
    script = CTRL_C_SCRIPT.format(url=refusing_url, token=TOKEN, writers=writers)
    child = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(script)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    assert child.stderr is not None
    stderr = Lines(child.stderr)
    try:
        assert child.stdout.readline() == "ready\n"
        os.kill(child.pid, first)
        sending = f"span writer {when}: sending 5 accepted item(s), for up to 30s"
        assert stderr.wait_for(sending, writers, 20), stderr.text()
        second = time.monotonic()
        os.kill(child.pid, signal.SIGINT)
        child.wait(60)
        took = time.monotonic() - second
    finally:
        child.kill()
        child.wait(10)
        logged = stderr.text()  # read to its end: the child has exited
        child.stdout.close()
        child.stderr.close()

    assert took < 10, logged  # exit_timeout is 30 s
    lost = (
        f"WARNING:prefactor_http:span writer {when}: 5 accepted, 0 delivered, 5 failed, "
        "0 pending; 5 accepted item(s) not delivered "
        "(5 unsent or unanswered when Ctrl-C abandoned sending, 0 failed)"
    )
    assert logged.count(lost) == writers, logged
    assert TOKEN not in logged
    if first == signal.SIGTERM:
        assert child.returncode == -signal.SIGTERM  # still ends as SIGTERM would have


# SIGTERM.

SIGTERM_SCRIPT = """
import sys, time
from prefactor_http import BulkItem, HttpClientConfig, SyncPrefactorHttpClient, SyncSpanWriter
config = HttpClientConfig(api_url={url!r}, api_token={token!r})
writer = SyncSpanWriter(SyncPrefactorHttpClient(config), flush_interval=3600, {settings})
for i in range(100):
    writer.write(BulkItem(_type="agent_spans/create", idempotency_key=f"term-key-{{i:04d}}",
                          agent_instance_id={instance!r}, schema_name="agent:llm",
                          status="active", payload={{"n": i}}))
print("ready", flush=True)
time.sleep(60)
"""


def run_until_sigterm(prefactor_server, instance_id: str, settings: str = "") -> int:
    """Start the script, SIGTERM it once it holds 100 items; its return code."""
    script = SIGTERM_SCRIPT.format(
        url=prefactor_server.url,
        token=prefactor_server.token,
        instance=instance_id,
        settings=settings,
    )
    child = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(script)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None
        assert child.stdout.readline() == "ready\n"
        os.kill(child.pid, signal.SIGTERM)
        child.wait(30)
    finally:
        child.kill()
        child.communicate(timeout=10)
    return child.returncode


def stored_spans(prefactor_server) -> int:
    return len(prefactor_server.state()["spans"])


def test_sigterm_sends_what_the_writer_holds_then_ends_the_process_by_sigterm(
    prefactor_server, api
):
    """100 items held, SIGTERM: 100 stored and the child still dies of SIGTERM (-15)."""
    instance_id = started_instance(api)

    returncode = run_until_sigterm(prefactor_server, instance_id)

    assert returncode == -signal.SIGTERM
    assert stored_spans(prefactor_server) == 100


def test_handle_sigterm_false_leaves_sigterm_alone(prefactor_server, api):
    """Turned off, SIGTERM kills at once as it always did: nothing is sent."""
    instance_id = started_instance(api)

    returncode = run_until_sigterm(prefactor_server, instance_id, "handle_sigterm=False")

    assert returncode == -signal.SIGTERM
    assert stored_spans(prefactor_server) == 0


def test_an_applications_own_sigterm_handler_is_kept(prefactor_server, api):
    """The writer installs nothing over a handler the application set first."""
    instance_id = started_instance(api)
    script = SIGTERM_SCRIPT.replace(
        "writer = SyncSpanWriter(",
        "import signal\nsignal.signal(signal.SIGTERM, lambda *a: sys.exit(3))\n"
        "writer = SyncSpanWriter(",
    )
    child = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(
                script.format(
                    url=prefactor_server.url,
                    token=prefactor_server.token,
                    instance=instance_id,
                    settings="handle_sigterm=True",
                )
            ),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None
        assert child.stdout.readline() == "ready\n"
        os.kill(child.pid, signal.SIGTERM)
        child.wait(30)
    finally:
        child.kill()
        child.communicate(timeout=10)

    assert child.returncode == 3  # the application's handler ran; interpreter exit sent
    assert stored_spans(prefactor_server) == 100


# Fork.


def wait_for_child(pid: int, seconds: float = 30) -> int:
    """The exit status of a forked child, killing it if it runs past `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status)
        time.sleep(0.02)
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    raise AssertionError("the forked child did not finish")


def sent_keys(prefactor_server) -> list[str]:
    """Every item key in every bulk request the server received, in order."""
    return [
        item["idempotency_key"]
        for request in prefactor_server.requests
        if request.path == "/api/v1/bulk"
        for item in request.json["items"]
    ]


def in_child(action: Any) -> int:
    """Fork; the child runs `action` and exits 0 when it returns, 1 when it raises."""
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        code = 1
        try:
            action()
            code = 0
        finally:
            os._exit(code)
    return pid


def test_a_forked_child_sends_only_what_it_wrote_and_the_parent_only_its_own(
    prefactor_server, api, kind
):
    """Each side's sender sends its own items once; the child's writer used to store 0."""
    instance_id = started_instance(api)
    parent_items = items_for(instance_id, 20, "parent")
    child_items = items_for(instance_id, 20, "child")
    client = kind.client(prefactor_server.url, prefactor_server.token)
    writer = kind.writer(client, flush_interval=NEVER)
    kind.write(writer, parent_items)

    def child() -> None:
        if kind.is_async:

            async def send() -> None:
                for item in child_items:
                    await writer.write(item)
                await writer.close(timeout=10)

            asyncio.run(send())
        else:
            kind.write(writer, child_items)
            writer.close(timeout=10)

    assert wait_for_child(in_child(child)) == 0
    kind.run(lambda: writer.close(timeout=10))

    assert sorted(sent_keys(prefactor_server)) == sorted(keys_of(parent_items + child_items))
    assert stored_spans(prefactor_server) == 40
