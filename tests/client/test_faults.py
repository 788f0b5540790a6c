"""Exactly once under faults: every fault against every operation, on both clients.

Each case runs against the local server (which honours idempotency keys as
the API does), arms one fault for the operation's first request, makes the
call, and checks what the caller got and what the server stored: one effect
per logical write (one per item for bulk), never two, never none; none for a
read. The operations come from the shared table in tests/support/operations.py. The matrix
runs against a full server and a sparse one (null fields left out of answers).
"""

from __future__ import annotations

import logging
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from conftest import AUTO_KEY, Twin

from prefactor_http import (
    HttpClientConfig,
    PrefactorResponseContractError,
    SyncPrefactorHttpClient,
)
from prefactor_http.server import Fault, LocalServer
from tests.support.operations import OPERATIONS, Operation

# 884 cases, a few of them waiting out stalls: `make test-fast` leaves the matrix out.
pytestmark = pytest.mark.slow

# The stall case's read timeout, well below its stall, so that the stalled first attempt always
# times out (the case checks it did); every other case has room to spare, so that a machine
# under load never turns its first attempt into a timeout and a retry. Each stall case waits
# out the whole stall (the stalled write must land, as a replay, before effects are counted).
READ_TIMEOUT = 0.05
STALL = 0.25
SPARE_TIMEOUT = 5.0
# How long the server stays down at most, should the client never log a refused attempt.
DOWN_AT_MOST = 10.0


STALLED = "stall-past-read-timeout"


@dataclass(frozen=True)
class FaultCase:
    """A fault armed on the operation's first request, and what the caller should get."""

    name: str
    fault: Fault | None  # None: the server is down (connection refused) at first
    raises: type[Exception] | None = None


FAULTS = [
    FaultCase("500", Fault.status(500)),
    FaultCase("502", Fault.status(502)),
    FaultCase("503", Fault.status(503)),
    FaultCase("504", Fault.status(504)),
    FaultCase("429", Fault.status(429)),
    FaultCase("429+Retry-After", Fault.status(429, retry_after="1")),
    FaultCase("commit-then-503", Fault.status(503, commit=True)),
    FaultCase("commit-then-reset", Fault.drop(commit=True)),
    FaultCase("connection-refused", None),
    FaultCase(STALLED, Fault.delay(STALL)),
    FaultCase("html-502", Fault.status(502, html=True)),
    FaultCase(
        "empty-200", Fault.body(200, b"", commit=True), raises=PrefactorResponseContractError
    ),
    FaultCase(
        "json-array-200", Fault.body(200, b"[]", commit=True), raises=PrefactorResponseContractError
    ),
]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module", params=["full", "sparse"])
def local(request: pytest.FixtureRequest) -> Iterator[LocalServer]:
    """One server per answer mode, on a fixed port so it can stop and start at the same URL."""
    with LocalServer(port=_free_port(), sparse=request.param == "sparse") as server:
        yield server


@pytest.fixture(params=["async", "sync"])
def driver(request: pytest.FixtureRequest, local: LocalServer) -> Iterator[Twin]:
    def make_config(**overrides: Any) -> HttpClientConfig:
        settings: dict[str, Any] = {
            "api_url": local.url,
            "api_token": local.token,
            "request_timeout": SPARE_TIMEOUT,
            "connect_timeout": SPARE_TIMEOUT,
            "max_retries": 30,
            "initial_retry_delay": 0.02,
            "max_retry_delay": 0.05,
        }
        return HttpClientConfig(**{**settings, **overrides})

    local.reset()
    twin = Twin(request.param, make_config)
    yield twin
    twin.close()


@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda op: op.name)
@pytest.mark.parametrize("case", FAULTS, ids=lambda case: case.name)
def test_each_call_acts_exactly_once_under_each_fault(local, driver, case, operation):
    """The caller gets the result (or the typed error) and the server holds one effect."""
    config = HttpClientConfig(api_url=local.url, api_token=local.token, max_retries=0)
    with SyncPrefactorHttpClient(config) as setup:
        ids = operation.prepare(setup)
    before = len(local.effects)
    seen = len(local.requests)

    client = driver.new_client(request_timeout=READ_TIMEOUT) if case.name == STALLED else None
    restart = _arm(local, case, operation)
    try:
        if case.raises is None:
            result = driver(lambda c: operation.call(c, ids), client)
        else:
            with pytest.raises(case.raises):
                driver(lambda c: operation.call(c, ids), client)
            result = None
    finally:
        if restart is not None:
            restart.join()
    local.wait_idle()  # a stalled first attempt must finish before effects are counted

    if restart is not None:
        assert restart.refused, "the server came back before the client saw it refuse"

    effects = local.effects[before:]
    assert len(effects) == operation.effects, effects
    assert len({effect.idempotency_key for effect in effects}) == operation.effects
    operation.check(local.state(), ids, result)
    attempts = local.requests[seen:]
    assert attempts, "the call never reached the server"
    if case.name == STALLED:
        assert len(attempts) >= 2, "the stalled attempt did not time out into a retry"
    header_keys = {request.headers.get("idempotency-key") for request in attempts}
    assert len(header_keys) == 1, header_keys
    if operation.method == "GET":
        assert header_keys == {None}
    else:
        assert AUTO_KEY.match(header_keys.pop() or "")
    assert local.pending_faults == []


class _RetryLogged(logging.Handler):
    """Sets `seen` when the client logs an attempt that failed and is to be retried."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.seen = threading.Event()

    def emit(self, record: logging.LogRecord) -> None:
        if "retrying in" in record.getMessage():
            self.seen.set()


class _Restart(threading.Thread):
    """Brings the stopped server back as soon as the client has logged a refused attempt.

    Until then the port stays bound by a socket that does not listen, so a
    connection to it is refused and no other server (another xdist worker's)
    can take the port meanwhile.
    """

    def __init__(self, local: LocalServer) -> None:
        super().__init__(name="fault-matrix-restart")
        self.local = local
        self.refused = False
        port = int(local.url.rsplit(":", 1)[1])
        local.stop()
        self._held = socket.socket()
        self._held.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._held.bind(("127.0.0.1", port))
        self._logged = _RetryLogged()
        self._logger = logging.getLogger("prefactor_http")
        self._level = self._logger.level
        self._logger.addHandler(self._logged)
        self._logger.setLevel(logging.DEBUG)

    def run(self) -> None:
        try:
            self.refused = self._logged.seen.wait(DOWN_AT_MOST)
        finally:
            self._logger.removeHandler(self._logged)
            self._logger.setLevel(self._level)
            self._held.close()
            self.local.start()


def _arm(local: LocalServer, case: FaultCase, operation: Operation) -> _Restart | None:
    """Queue the fault; for a refused connection, stop the server until the client is refused."""
    if case.fault is not None:
        local.inject(case.fault, method=operation.method, path=operation.path)
        return None
    restart = _Restart(local)
    restart.start()
    return restart
