"""`prefactor_http.retry.RetryHandler` behaves as 0.4.3's did, with our policy's waits.

The same script runs under 0.4.3 (compat venv) and under this package (our
venv), each in a child process: what each scenario returns or raises, and
how many times the operation ran, must agree.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile

import pytest

from prefactor_http import HttpClientConfig, PrefactorRateLimitError
from prefactor_http.retry import RetryHandler
from tests.support.public_client import run_public

# The script's start under this package (run_public adds 0.4.3's own).
OURS = """\
import json, sys
import prefactor_http
assert prefactor_http.__version__ != "0.4.3", prefactor_http.__file__
"""

SCENARIOS = """
import asyncio
from prefactor_http import HttpClientConfig
from prefactor_http.retry import RetryHandler

def handler(retries):
    return RetryHandler(HttpClientConfig(
        api_url="http://127.0.0.1:9", api_token="t", max_retries=retries,
        initial_retry_delay=0.001, max_retry_delay=0.002))

def failing(times, error):
    calls = []
    async def operation(*args, **kwargs):
        calls.append([list(args), kwargs])
        if len(calls) <= times:
            raise error
        return {"args": list(args), "kwargs": kwargs}
    return operation, calls

async def scenario(retries, times, retryable):
    operation, calls = failing(times, KeyError("boom"))
    try:
        result = await handler(retries).execute(operation, lambda e: retryable, 1, b=2)
        outcome = {"returned": result}
    except Exception as exc:
        last = getattr(exc, "last_error", None)
        outcome = {"raised": type(exc).__name__, "message": str(exc),
                   "last_error": repr(last), "cause": repr(exc.__cause__)}
    return {**outcome, "calls": calls}

cases = [(2, 0, True), (2, 2, True), (2, 5, True), (2, 5, False), (0, 1, True)]
print(json.dumps([asyncio.run(scenario(*case)) for case in cases]))
"""


@pytest.mark.slow
def test_every_scenario_ends_as_it_did_in_0_4_3():
    """Success, success after retries, exhaustion, a non-retryable error, no retries at all."""
    theirs = run_public(SCENARIOS)
    ours = subprocess.run(
        [sys.executable, "-c", OURS + SCENARIOS],
        capture_output=True,
        text=True,
        cwd=tempfile.gettempdir(),
        check=True,
        timeout=60,
    )
    mine = json.loads(ours.stdout)
    assert len(mine) == len(theirs) == 5
    for our, their in zip(mine, theirs, strict=True):
        if "raised" in their:  # 0.4.3 chains an exhaustion implicitly; we do with `from`
            assert their.pop("cause") in ("None", their["last_error"])
            assert our.pop("cause") in ("None", our["last_error"])
        assert our == their


def test_a_retry_after_is_obeyed_up_to_max_retry_delay():
    """An API error with Retry-After waits what the server asked, capped; 0.4.3 ignored it."""
    config = HttpClientConfig(
        api_url="http://127.0.0.1:9", api_token="t", initial_retry_delay=0.001, max_retry_delay=2
    )
    handler = RetryHandler(config)
    limited = PrefactorRateLimitError("slow down", "rate_limited", 429)
    limited.retry_after = 1.5
    assert handler._wait(0, limited) == 1.5
    limited.retry_after = 30
    assert handler._wait(0, limited) == 2


def test_other_waits_are_our_full_jitter_backoff():
    """Each wait lies in [0, min(max_retry_delay, initial * multiplier ** attempt)]."""
    config = HttpClientConfig(
        api_url="http://127.0.0.1:9",
        api_token="t",
        initial_retry_delay=0.5,
        max_retry_delay=3,
        retry_multiplier=2,
    )
    handler = RetryHandler(config)
    for attempt, ceiling in enumerate([0.5, 1, 2, 3, 3]):
        waits = [handler._wait(attempt, KeyError("x")) for _ in range(200)]
        assert all(0 <= wait <= ceiling for wait in waits)
        assert max(waits) > ceiling / 2
