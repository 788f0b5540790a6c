"""The span writers' spool: what a killed, stopped or closed writer accepted arrives once.

Writers run in real child processes that are killed for real; the local
server (the package's own, on loopback) counts what was stored.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import random
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import textwrap
import threading
import time
from collections import Counter
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import Any

import pytest

from prefactor_http import (
    BulkItem,
    HttpClientConfig,
    PrefactorBufferFullError,
    PrefactorClientError,
    PrefactorDeliveryError,
    PrefactorHttpClient,
    PrefactorValidationError,
    SpanWriter,
    SyncPrefactorHttpClient,
    SyncSpanWriter,
    WriterStats,
)
from prefactor_http.server import Fault

# Child processes, killed, stopped and signalled: `make test-fast` leaves them out.
pytestmark = pytest.mark.slow

CHILD = """
import os, sys, time
from prefactor_http import BulkItem, HttpClientConfig, SyncPrefactorHttpClient, SyncSpanWriter
url, instance, spool, sync, count, pace = sys.argv[1:7]
config = HttpClientConfig(api_url=url, api_token={token!r}, max_retries=0)
writer = SyncSpanWriter(
    SyncPrefactorHttpClient(config), spool_dir=spool, spool_sync=sync, flush_interval=0.05
)
for n in range(int(count)):
    writer.write(BulkItem(
        _type="agent_spans/create", idempotency_key=f"spool-test-{{n:06d}}",
        agent_instance_id=instance, schema_name="agent:llm", status="complete", payload={{"n": n}},
    ))
    print(n, time.monotonic(), flush=True)
    time.sleep(float(pace))
{ending}
"""


# The sockets behind this test's refused_url()s, closed when it ends.
_refusing: list[socket.socket] = []


@pytest.fixture(autouse=True)
def _free_refused_ports() -> Iterator[None]:
    yield
    while _refusing:
        _refusing.pop().close()


def refused_url() -> str:
    """A loopback URL where nothing listens: every connection is refused.

    Its port stays bound, never listening, until the test ends: a port let go
    at once could be given to another xdist worker's server meanwhile.
    """
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    _refusing.append(probe)
    return f"http://127.0.0.1:{probe.getsockname()[1]}"


@pytest.fixture
def live(prefactor_server: Any) -> Any:
    """The local server, its token, and an instance to write spans into."""
    config = HttpClientConfig(api_url=prefactor_server.url, api_token=prefactor_server.token)
    with SyncPrefactorHttpClient(config) as client:
        instance = client.agent_instances.register(
            agent_version={"name": "spool", "external_identifier": "v1"},
            agent_schema_version={"external_identifier": "v1"},
        )
    prefactor_server.instance = instance.id
    return prefactor_server


def stored(server: Any) -> Counter[int]:
    """How many times each payload `n` is stored on the server."""
    return Counter(span["payload"]["n"] for span in server.state()["spans"].values())


def client_for(server: Any, url: str | None = None) -> SyncPrefactorHttpClient:
    return SyncPrefactorHttpClient(
        HttpClientConfig(api_url=url or server.url, api_token=server.token, max_retries=0)
    )


def span(server: Any, n: int, pad: int = 0) -> BulkItem:
    return BulkItem(
        _type="agent_spans/create",
        idempotency_key=f"spool-test-{n:06d}",
        agent_instance_id=server.instance,
        schema_name="agent:llm",
        status="complete",
        payload={"n": n, "pad": "x" * pad},
    )


def start_child(
    server: Any,
    spool: Path,
    sync: str,
    count: int,
    ending: str = "",
    pace: float = 0.0,
    url: str | None = None,
) -> Any:
    """A child writing `count` spans to `url` (the server's by default), then running `ending`."""
    script = CHILD.format(token=server.token, ending=ending)
    arguments = [url or server.url, server.instance, str(spool), sync, str(count), str(pace)]
    return subprocess.Popen(
        [sys.executable, "-c", script, *arguments],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def run_child(*arguments: object) -> subprocess.CompletedProcess[str]:
    """Run Python with `arguments` (a script or `-c` code, then its argv) to its end."""
    return subprocess.run(
        [sys.executable, *map(str, arguments)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def recover(server: Any, spool: Path) -> Any:
    """A new writer on the spool: it takes over what the dead one left, and sends it."""
    with client_for(server) as client:
        return SyncSpanWriter(client, spool_dir=spool, flush_interval=0.05).close(timeout=60)


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("sync", ["always", "batch"])
def test_sigkill_at_a_random_moment_loses_at_most_the_commit_window_and_stores_nothing_twice(
    live, tmp_path, sync, seed
):
    count = 3000
    child = start_child(live, tmp_path, sync, count)
    accepted: dict[int, float] = {}
    kill_after = random.Random(seed).randrange(200, count - 200)
    try:
        for line in child.stdout:
            n, at = line.split()
            accepted[int(n)] = float(at)
            if len(accepted) == kill_after:
                break
        child.send_signal(signal.SIGKILL)
        killed_at = time.monotonic()
        for line in child.stdout:  # written before the kill landed, but for a cut line
            if line.endswith("\n"):
                n, at = line.split()
                accepted[int(n)] = float(at)
    finally:
        child.kill()
        child.wait(10)
        child.stdout.close()
        child.stderr.close()

    stats = recover(live, tmp_path)

    counts = stored(live)
    lost = sorted(set(accepted) - set(counts))
    assert set(counts.values()) <= {1}, "stored twice"
    if sync == "always":
        assert lost == []
    else:  # at most the last commit window (100 ms), with slack for a loaded machine
        assert all(killed_at - accepted[n] < 0.5 for n in lost), (lost, killed_at)
    assert (stats.pending, stats.failed) == (0, 0)
    assert sorted(os.listdir(tmp_path)) == []  # delivered items leave the spool, and so do files


def test_a_live_writers_file_is_never_taken_over_and_close_leaves_it_for_the_next(live, tmp_path):
    """The lock, not a pid, says a writer lives; closing with items unsent keeps them."""
    with client_for(live, refused_url()) as down, client_for(live) as up:
        held = SyncSpanWriter(down, spool_dir=tmp_path, flush_interval=3600.0)
        for n in range(20):
            held.write(span(live, n))
        other = SyncSpanWriter(up, spool_dir=tmp_path, flush_interval=0.01)
        other.write(span(live, 100))
        assert other.flush().taken_over == 0

        left = held.close(timeout=0.2)

        assert (left.accepted, left.delivered, left.pending) == (20, 0, 20)
        later = SyncSpanWriter(up, spool_dir=tmp_path, flush_interval=0.01)
        stats = later.close(timeout=30)
        other.close()

    assert (stats.taken_over, stats.delivered, stats.pending) == (20, 20, 0)
    assert stored(live) == Counter(range(20)) + Counter([100])


def test_unreadable_and_foreign_files_are_set_aside_with_a_warning(live, tmp_path, caplog):
    with client_for(live, refused_url()) as down:
        real = SyncSpanWriter(down, spool_dir=tmp_path / "real", spool_sync="always")
        for n in range(50):
            real.write(span(live, n))
        [name] = [n for n in os.listdir(tmp_path / "real") if n.endswith(".sqlite3")]
        truncated = (tmp_path / "real" / name).read_bytes()
        real.close(timeout=0.1)
    spool = tmp_path / "spool"
    spool.mkdir()
    (spool / "garbage.spool.sqlite3").write_bytes(random.Random(1).randbytes(8192))
    (spool / "cut.spool.sqlite3").write_bytes(truncated[: len(truncated) // 2] + b"\0" * 7)
    foreign = sqlite3.connect(spool / "foreign.spool.sqlite3")
    foreign.execute("CREATE TABLE t (x)")
    foreign.commit()
    foreign.close()
    (spool / "notes.txt").write_text("not a spool")

    caplog.set_level(logging.WARNING, logger="prefactor_http")
    with client_for(live) as up:
        writer = SyncSpanWriter(up, spool_dir=spool, flush_interval=0.01)
        writer.write(span(live, 7))
        stats = writer.close(timeout=30)

    assert (stats.delivered, stats.taken_over) == (1, 0)
    aside = sorted(n.split("-", 1)[1] for n in os.listdir(spool / "set-aside"))
    assert aside == [
        "cut.spool.sqlite3",
        "foreign.spool.sqlite3",
        "garbage.spool.sqlite3",
        "notes.txt",
    ]
    assert os.listdir(spool) == ["set-aside"]
    assert sum("set aside" in r.getMessage() for r in caplog.records) == 4


def test_spool_files_are_private_and_never_hold_the_token(live, tmp_path):
    with client_for(live, refused_url()) as down:
        writer = SyncSpanWriter(down, spool_dir=tmp_path / "spool", spool_sync="always")
        for n in range(30):
            writer.write(span(live, n))
        files = list((tmp_path / "spool").iterdir())
        modes = {f.name: f.stat().st_mode & 0o777 for f in files}
        contents = b"".join(f.read_bytes() for f in files)
        writer.close(timeout=0.1)

    assert (tmp_path / "spool").stat().st_mode & 0o777 == 0o700
    assert set(modes.values()) == {0o600}, modes
    assert b"spool-test-000029" in contents  # the items are there
    assert live.token.encode() not in contents


def test_a_full_spool_follows_when_full_and_counts_only_what_it_accepted(live, tmp_path):
    with client_for(live, refused_url()) as down:
        writer = SyncSpanWriter(
            down,
            spool_dir=tmp_path,
            max_spool_bytes=5000,
            when_full="raise",
            flush_interval=3600.0,
        )
        written, refused = 0, ""
        while not refused:
            try:
                writer.write(span(live, written))
            except PrefactorBufferFullError as full:
                refused = str(full)
            else:
                written += 1
        stats = writer.close(timeout=0.1)

    assert 10 < written < 100
    assert "max_spool_bytes=5000" in refused
    assert (stats.accepted, stats.pending) == (written, written)
    assert recover(live, tmp_path).delivered == written


def test_past_memory_limits_items_wait_in_the_spool_only(live, tmp_path):
    """max_buffered bounds memory; the spool holds the rest, delivered in order later."""
    with client_for(live, refused_url()) as down:
        writer = SyncSpanWriter(
            down, spool_dir=tmp_path, max_items=5, max_buffered=10, when_full="raise"
        )
        for n in range(200):  # without a spool the eleventh write would raise
            writer.write(span(live, n))
        assert writer.stats.pending == 200
        writer.close(timeout=0.1)

    assert recover(live, tmp_path).delivered == 200
    order = [s["payload"]["n"] for s in live.state()["spans"].values()]
    assert order == list(range(200))


def test_the_environment_chooses_the_spool(live, tmp_path, monkeypatch):
    monkeypatch.setenv("PREFACTOR_SPOOL_DIR", str(tmp_path / "from-env"))
    monkeypatch.setenv("PREFACTOR_SPOOL_SYNC", "always")
    with client_for(live, refused_url()) as down:
        writer = SyncSpanWriter(down)
        writer.write(span(live, 1))
        # `always`: committed before write() returned, so a copy of the file holds it now.
        [name] = [n for n in os.listdir(tmp_path / "from-env") if n.endswith(".sqlite3")]
        shutil.copy(tmp_path / "from-env" / name, tmp_path / "copy")
        shutil.copy(tmp_path / "from-env" / (name + "-wal"), tmp_path / "copy-wal")
        writer.close(timeout=0.1)
        copy = sqlite3.connect(tmp_path / "copy")
        assert copy.execute("SELECT key FROM items").fetchall() == [("spool-test-000001",)]
        copy.close()

        monkeypatch.setenv("PREFACTOR_SPOOL_SYNC", "sometimes")
        with pytest.raises(PrefactorValidationError, match="spool_sync"):
            SyncSpanWriter(down)


POOL = """
import multiprocessing, sys
from prefactor_http import BulkItem, HttpClientConfig, SyncPrefactorHttpClient, SyncSpanWriter

writer = None

def work(args):
    url, token, instance, start = args
    global writer
    if writer is None:  # one writer per worker, never closed by the task
        config = HttpClientConfig(api_url=url, api_token=token)
        writer = SyncSpanWriter(SyncPrefactorHttpClient(config), flush_interval=3600.0)
    for n in range(start, start + 50):
        writer.write(BulkItem(
            _type="agent_spans/create", idempotency_key=f"pool-item-{n:06d}",
            agent_instance_id=instance, schema_name="agent:llm", status="complete",
            payload={"n": n},
        ))

if __name__ == "__main__":
    url, token, instance, method, ending = sys.argv[1:6]
    pool = multiprocessing.get_context(method).Pool(2)
    pool.map(work, [(url, token, instance, start) for start in range(0, 250, 50)], chunksize=1)
    if ending == "close":
        pool.close()
        pool.join()
    else:  # `with Pool()` ends this way: SIGTERM to each worker
        pool.terminate()
        pool.join()
"""


@pytest.mark.parametrize("ending", ["close", "terminate"])
@pytest.mark.parametrize("method", ["fork", "spawn", "forkserver"])
def test_a_pool_workers_unclosed_writer_delivers_when_the_worker_ends(
    live, tmp_path, method, ending
):
    script = tmp_path / "pool_script.py"
    script.write_text(textwrap.dedent(POOL))
    done = run_child(str(script), live.url, live.token, live.instance, method, ending)

    assert done.returncode == 0, done.stderr
    assert stored(live) == Counter(range(250)), done.stderr


def test_a_process_stopped_and_continued_loses_nothing_and_sends_nothing_twice(live, tmp_path):
    """A serverless freeze: SIGSTOP while batches go out, SIGCONT, then a normal close."""
    ending = "print(writer.close(timeout=30), flush=True)"
    child = start_child(live, tmp_path, "batch", 400, ending, pace=0.002)
    try:
        for line in child.stdout:
            if int(line.split()[0]) == 150:
                break
        child.send_signal(signal.SIGSTOP)
        time.sleep(1.5)  # the freeze itself, not a wait for something to happen
        child.send_signal(signal.SIGCONT)
        out, err = child.communicate(timeout=60)
    finally:
        child.kill()
        child.wait(10)

    assert child.returncode == 0, err
    assert stored(live) == Counter(range(400))
    assert "delivered=400" in out


def test_a_second_ctrl_c_at_exit_leaves_the_rest_in_the_spool(live, tmp_path):
    """Abandoned at once, as without a spool; but nothing becomes a failure: it waits on disk."""
    ending = textwrap.dedent(
        """
        import logging, signal
        logging.basicConfig(level=logging.INFO)
        signal.signal(signal.SIGINT, signal.default_int_handler)  # as a terminal gives it
        print("ready", flush=True)
        time.sleep(60)
        """
    )
    child = start_child(live, tmp_path, "batch", 5, ending, url=refused_url())  # API down
    try:
        lines = iter(child.stdout)
        while next(lines).strip() != "ready":
            pass
        child.send_signal(signal.SIGINT)
        for line in child.stderr:
            if "sending 5 accepted item(s)" in line:
                break
        child.send_signal(signal.SIGINT)
        _, err = child.communicate(timeout=30)
    finally:
        child.kill()
        child.wait(10)

    assert "5 accepted, 0 delivered, 0 failed, 5 pending, kept in the spool" in err, err
    stats = recover(live, tmp_path)
    assert (stats.taken_over, stats.delivered) == (5, 5)
    assert stored(live) == Counter(range(5))


ASYNC_EXIT = """
import asyncio, logging, sys
logging.basicConfig()  # the package logger prints nothing until the application configures logging
from prefactor_http import BulkItem, HttpClientConfig, PrefactorHttpClient, SpanWriter
url, token, instance, spool, exit_timeout = sys.argv[1:6]
spool = spool or None

async def main():
    client = PrefactorHttpClient(HttpClientConfig(api_url=url, api_token=token, max_retries=0))
    writer = SpanWriter(
        client, spool_dir=spool, flush_interval=3600.0, exit_timeout=float(exit_timeout)
    )
    for n in range(30):
        await writer.write(BulkItem(
            _type="agent_spans/create", idempotency_key=f"async-exit-{n:06d}",
            agent_instance_id=instance, schema_name="agent:llm", status="complete",
            payload={"n": n},
        ))

asyncio.run(main())  # returns with the writer never closed, its items unsent
"""


def test_an_unclosed_async_writer_leaves_its_items_in_the_spool_at_exit(live, tmp_path):
    done = run_child("-c", ASYNC_EXIT, refused_url(), live.token, live.instance, tmp_path, "0.5")

    assert done.returncode == 0, done.stderr
    assert "30 accepted item(s) not delivered are kept in" in done.stderr
    assert recover(live, tmp_path).delivered == 30
    assert stored(live) == Counter(range(30))


def test_an_unclosed_async_writer_sends_what_it_holds_at_exit(live):
    """Before, it only logged an error: every item it held was lost."""
    # A bound, not a wait: the child ends once its items are stored. 0.5 s was too short for a
    # fresh interpreter's first connection on a loaded machine (it stored nothing, then).
    done = run_child("-c", ASYNC_EXIT, live.url, live.token, live.instance, "", "10")

    assert done.returncode == 0, done.stderr
    assert stored(live) == Counter(range(30))


def test_sigterm_while_exit_closes_the_writers_lets_it_finish_then_ends_by_sigterm(live, tmp_path):
    """The handler must not wait inside exit's close: it may hold a lock the sender needs.

    Before, a pool worker that got SIGTERM while ending (Pool.terminate)
    logged its close from inside logging's lock; the sender's first request
    imported urllib3, which needs that lock, and stalled until exit_timeout,
    failing every item.
    """
    live.inject(Fault.delay(1.0), method="POST", path="/api/v1/bulk")
    ending = "import logging; logging.basicConfig(level=logging.INFO)"
    child = start_child(live, tmp_path, "batch", 20, ending)
    try:
        for line in child.stderr:
            if "at interpreter exit: sending 20 accepted item(s)" in line:
                break
        child.send_signal(signal.SIGTERM)
        _, err = child.communicate(timeout=30)
    finally:
        child.kill()
        child.wait(10)

    assert child.returncode == -signal.SIGTERM, err
    assert "at interpreter exit: 20 accepted, 20 delivered, 0 failed, 0 pending" in err
    assert "on SIGTERM" not in err  # no second close inside the first
    assert stored(live) == Counter(range(20))


def test_a_full_disk_holds_what_memory_may_warns_and_recovers(live, tmp_path, caplog):
    """SQLITE_FULL (a page limit standing in for a full disk): nothing accepted is lost silently.

    Items accepted while the disk refused commits live in memory only, within
    its bounds; if the writer closes before delivering them, they are
    reported as failures, not claimed to be kept.
    """
    caplog.set_level(logging.WARNING, logger="prefactor_http")
    with client_for(live, refused_url()) as down:
        writer = SyncSpanWriter(
            down, spool_dir=tmp_path, max_items=5, max_buffered=20, when_full="raise"
        )
        spool = writer._buffer.spool
        pages = spool._db.execute("PRAGMA page_count").fetchone()[0]
        spool._db.execute(f"PRAGMA max_page_count={pages}")  # the disk is full
        writer.write(span(live, 0, pad=20_000))  # more pages than there are
        spool.commit()  # as the committer does within 100 ms: it fails
        assert any("cannot commit" in r.getMessage() for r in caplog.records)
        accepted = 1
        while accepted < 1000:
            try:
                writer.write(span(live, accepted))
            except PrefactorBufferFullError:
                break
            accepted += 1
        assert accepted == 20  # memory's bound, not the spool's

        spool._db.execute("PRAGMA max_page_count=1000000")  # room again
        spool.commit()
        for n in range(accepted, accepted + 100):  # past memory, into the spool
            writer.write(span(live, n))
        with pytest.raises(PrefactorDeliveryError) as caught:
            writer.close(timeout=0.5)

    failed = [f.item.idempotency_key for f in caught.value.failures]
    assert failed == [f"spool-test-{n:06d}" for n in range(1, 20)]
    assert "not in its spool" in str(caught.value.failures[0].error)
    assert caught.value.stats == WriterStats(accepted=120, delivered=0, failed=19, pending=101)
    assert recover(live, tmp_path).delivered == 101
    assert stored(live) == Counter([0, *range(20, 120)])


def dead_file(directory: Path, rows: list[tuple[str, bytes]]) -> Path:
    """A spool file as a killed writer leaves it, holding `rows` (key, body)."""
    from prefactor_http._spool import APPLICATION_ID, SCHEMA, SUFFIX

    path = directory / f"deadbeefdeadbeef{SUFFIX}"
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute(f"PRAGMA application_id={APPLICATION_ID}")
    db.execute(SCHEMA)
    db.executemany(
        "INSERT INTO items(key, body, accepted_at) VALUES (?, ?, ?)",
        [(key, body, time.time()) for key, body in rows],
    )
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    return path


def body_of(item: BulkItem) -> bytes:
    return json.dumps(item.to_dict()).encode()


def test_a_damaged_row_of_a_dead_writers_file_fails_alone(live, tmp_path):
    """Before, one damaged row made its whole batch's request unreadable: all of it failed."""
    good = [span(live, n) for n in range(10)]
    rows = [(item.idempotency_key, body_of(item)) for item in good]
    rows[3] = (rows[3][0], rows[3][1][:-9])  # cut short
    rows[6] = (rows[6][0], body_of(span(live, 99)))  # another item's body
    dead_file(tmp_path, rows)

    with client_for(live) as up:
        stats = SyncSpanWriter(up, spool_dir=tmp_path).close(timeout=30)

    assert (stats.taken_over, stats.delivered, stats.failed) == (10, 8, 2)
    assert stored(live) == Counter(n for n in range(10) if n not in (3, 6))


def test_a_dead_writers_file_unreadable_part_way_is_set_aside_and_the_writer_goes_on(
    live, tmp_path
):
    """Before, settling rows of a file set aside part-way raised KeyError in every commit."""
    items = [span(live, n, pad=40_000 if n == 25 else 0) for n in range(30)]
    path = dead_file(tmp_path, [(i.idempotency_key, body_of(i)) for i in items])
    db = sqlite3.connect(path)
    [victim] = [p for (p,) in db.execute("SELECT pageno FROM dbstat WHERE pagetype='overflow'")][
        4:5
    ]
    page_size = db.execute("PRAGMA page_size").fetchone()[0]
    db.close()
    with open(path, "r+b") as file:  # an overflow page pointing at a page that does not exist
        file.seek((victim - 1) * page_size)
        file.write((999_999).to_bytes(4, "big"))

    with client_for(live) as up:
        writer = SyncSpanWriter(up, spool_dir=tmp_path, max_items=10, flush_interval=0.01)
        for n in range(100, 105):
            writer.write(span(live, n))
        stats = writer.close(timeout=30)

    assert stats.accepted == stats.delivered + stats.failed
    assert stats.failed == 30 - len(stored(live) - Counter(range(100, 105)))
    assert Counter(range(100, 105)) <= stored(live)
    assert len(os.listdir(tmp_path / "set-aside")) >= 1


def test_flush_with_a_deadline_keeps_the_rest_in_the_spool(live, tmp_path):
    """The serverless pattern: flush(timeout=) returns what is pending; nothing is failed."""
    with client_for(live, refused_url()) as down:
        writer = SyncSpanWriter(down, spool_dir=tmp_path)
        for n in range(4):
            writer.write(span(live, n))
        stats = writer.flush(timeout=0.3)
        assert (stats.delivered, stats.failed, stats.pending) == (0, 0, 4)
        writer.close(timeout=0.1)

    assert recover(live, tmp_path).delivered == 4


def test_an_unused_async_writer_still_sends_what_a_dead_writer_left(live, tmp_path):
    dead_file(
        tmp_path, [(i.idempotency_key, body_of(i)) for i in map(partial(span, live), range(5))]
    )

    async def main() -> Any:
        config = HttpClientConfig(api_url=live.url, api_token=live.token)
        async with PrefactorHttpClient(config) as client:
            return await SpanWriter(client, spool_dir=tmp_path).close(timeout=30)

    stats = asyncio.run(main())
    assert (stats.taken_over, stats.delivered) == (5, 5)
    assert stored(live) == Counter(range(5))


SIGTERM_ALWAYS = """
import sys
from prefactor_http import BulkItem, HttpClientConfig, SyncPrefactorHttpClient, SyncSpanWriter
url, token, instance, spool = sys.argv[1:5]
client = SyncPrefactorHttpClient(HttpClientConfig(api_url=url, api_token=token))
writer = SyncSpanWriter(client, spool_dir=spool, spool_sync="always", exit_timeout=2.0)
n = 0
while True:
    writer.write(BulkItem(
        _type="agent_spans/create", idempotency_key=f"always-{n:08d}",
        agent_instance_id=instance, schema_name="agent:llm", status="complete", payload={"n": n},
    ))
    n += 1
    if n == 50:
        print("writing", flush=True)
"""


@pytest.mark.parametrize("trial", range(3))
def test_sigterm_in_the_middle_of_an_always_commit_ends_the_process(live, tmp_path, trial):
    """Before, the handler's close waited for a lock its own thread held: 5 runs in 6 hung."""
    child = subprocess.Popen(
        [sys.executable, "-c", SIGTERM_ALWAYS, live.url, live.token, live.instance, tmp_path],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout.readline() == "writing\n"
        child.send_signal(signal.SIGTERM)
        _, err = child.communicate(timeout=20)
    finally:
        child.kill()
        child.wait(10)

    assert child.returncode == -signal.SIGTERM, err


def test_fork_waits_for_a_commit_in_progress(live, tmp_path):
    """A child must not inherit SQLite's mutexes held: before, 3-7 forks in 300 hung the child.

    The committer's lock stands for a commit in progress; fork waits for it.
    """
    with client_for(live, refused_url()) as down:
        writer = SyncSpanWriter(down, spool_dir=tmp_path)
        spool = writer._buffer.spool
        holding, release = threading.Event(), threading.Event()

        def commit_in_progress() -> None:
            with spool._lock:
                holding.set()
                release.wait(10)

        def fork() -> None:
            pid = os.fork()
            if pid == 0:
                os._exit(0)
            forked.append(pid)

        forked: list[int] = []
        committing = threading.Thread(target=commit_in_progress)
        committing.start()
        holding.wait(10)
        forking = threading.Thread(target=fork)
        forking.start()
        forking.join(0.5)
        waited = forking.is_alive()
        release.set()
        forking.join(10)
        committing.join(10)
        writer.close(timeout=0.1)

    assert waited
    assert len(forked) == 1
    assert os.waitpid(forked[0], 0)[1] == 0


NESTED_POOL = """
import multiprocessing, sys
from prefactor_http import BulkItem, HttpClientConfig, SyncPrefactorHttpClient, SyncSpanWriter

def work(args):
    url, token, instance, start = args
    config = HttpClientConfig(api_url=url, api_token=token)
    writer = SyncSpanWriter(SyncPrefactorHttpClient(config), flush_interval=3600.0)
    for n in range(start, start + 50):
        writer.write(BulkItem(
            _type="agent_spans/create", idempotency_key=f"nested-pool-{n:06d}",
            agent_instance_id=instance, schema_name="agent:llm", status="complete",
            payload={"n": n},
        ))  # never closed

def run(url, token, instance):
    with multiprocessing.get_context("fork").Pool(2) as pool:
        pool.map(work, [(url, token, instance, start) for start in range(0, 200, 50)])
        pool.close()
        pool.join()

if __name__ == "__main__":
    process = multiprocessing.get_context("fork").Process(target=run, args=sys.argv[1:4])
    process.start()
    process.join()
    sys.exit(process.exitcode)
"""


def test_a_pool_inside_a_forked_process_still_closes_its_workers_writers(live, tmp_path):
    """Before, the grandchildren inherited the 'registered' mark but not the finalizer: 0 of 200."""
    script = tmp_path / "nested_pool.py"
    script.write_text(NESTED_POOL)
    done = run_child(str(script), live.url, live.token, live.instance)

    assert done.returncode == 0, done.stderr
    assert stored(live) == Counter(range(200)), done.stderr


def test_a_spool_dir_that_cannot_hold_a_file_refuses_the_writer_clearly(live, tmp_path):
    """Before, a raw sqlite3.OperationalError, and an empty file left behind."""
    (tmp_path / "not-a-dir").write_text("a file where the directory should be")
    with client_for(live) as up, pytest.raises(PrefactorClientError, match="cannot make its spool"):
        SyncSpanWriter(up, spool_dir=tmp_path / "not-a-dir" / "spool")


INTERRUPTED_COMMIT = """
import os, signal, sys
from prefactor_http import BulkItem, HttpClientConfig, SyncPrefactorHttpClient, SyncSpanWriter
from prefactor_http import _spool
url, token, instance, spool, interruption = sys.argv[1:6]
client = SyncPrefactorHttpClient(HttpClientConfig(api_url=url, api_token=token))
writer = SyncSpanWriter(client, spool_dir=spool, spool_sync="always", max_buffered=5,
                        max_items=5, exit_timeout=3.0, flush_interval=0.05)
write_rows = _spool.Spool._write
calls = 0

def interrupted(self, rows, gone):  # the failure lands inside a commit, as a real one may
    global calls
    calls += 1
    if calls == 30:
        if interruption == "sigterm":
            os.kill(os.getpid(), signal.SIGTERM)
        else:
            raise KeyboardInterrupt
    return write_rows(self, rows, gone)

_spool.Spool._write = interrupted
for n in range(60):
    try:
        writer.write(BulkItem(
            _type="agent_spans/create", idempotency_key=f"interrupted-{n:06d}",
            agent_instance_id=instance, schema_name="agent:llm", status="complete",
            payload={"n": n},
        ))
        print(n, flush=True)
    except KeyboardInterrupt:
        pass  # the application goes on; that item was not accepted
print(writer.close(timeout=20), flush=True)
"""


@pytest.mark.parametrize("interruption", ["sigterm", "ctrl-c"])
def test_an_always_commit_interrupted_keeps_exactly_what_was_accepted(live, tmp_path, interruption):
    """SIGTERM inside a commit used to hang for good; Ctrl-C broke every later write."""
    done = run_child(
        "-c", INTERRUPTED_COMMIT, live.url, live.token, live.instance, tmp_path, interruption
    )

    accepted = [int(line) for line in done.stdout.split() if line.isdigit()]
    counts = stored(live)
    if interruption == "sigterm":
        assert done.returncode == -signal.SIGTERM, done.stderr
        recover(live, tmp_path)
        counts = stored(live)
        # The write under way when SIGTERM ended the process may be stored unprinted.
        assert set(counts) - set(accepted) <= {max(accepted) + 1}
    else:
        assert done.returncode == 0, done.stderr
        assert len(accepted) == 59  # the interrupted write alone was refused
        assert "delivered=59" in done.stdout
        assert set(counts) == set(accepted)
    assert set(accepted) <= set(counts)
    assert set(counts.values()) == {1}
    assert os.listdir(tmp_path) == []


ASYNC_POOL = """
import asyncio, multiprocessing, sys
from prefactor_http import BulkItem, HttpClientConfig, PrefactorHttpClient, SpanWriter

writer = None

async def write(url, token, instance, start):
    global writer
    if writer is None:  # one writer per worker, never closed
        config = HttpClientConfig(api_url=url, api_token=token)
        writer = SpanWriter(PrefactorHttpClient(config), flush_interval=3600.0)
    for n in range(start, start + 50):
        await writer.write(BulkItem(
            _type="agent_spans/create", idempotency_key=f"async-pool-{n:06d}",
            agent_instance_id=instance, schema_name="agent:llm", status="complete",
            payload={"n": n},
        ))

def work(args):
    asyncio.run(write(*args))

if __name__ == "__main__":
    url, token, instance, method = sys.argv[1:5]
    pool = multiprocessing.get_context(method).Pool(2)
    pool.map(work, [(url, token, instance, start) for start in range(0, 200, 50)], chunksize=1)
    pool.close()
    pool.join()
"""


@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_a_pool_workers_unclosed_async_writer_delivers_when_the_worker_ends(live, tmp_path, method):
    script = tmp_path / "async_pool.py"
    script.write_text(ASYNC_POOL)
    done = run_child(str(script), live.url, live.token, live.instance, method)

    assert done.returncode == 0, done.stderr
    assert stored(live) == Counter(range(200)), done.stderr
