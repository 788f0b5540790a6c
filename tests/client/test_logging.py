"""The package logger: silent by default, `PREFACTOR_LOG` shows it on stderr, never the token."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import textwrap

import pytest
from conftest import TOKEN, error

from prefactor_http import PrefactorRetryExhaustedError
from prefactor_http._logs import setup_logging

pytestmark = pytest.mark.slow

# A user's script: a call that gives up after retries (the package logs a WARNING), caught.
SCRIPT = textwrap.dedent(
    """
    import asyncio, sys
    from prefactor_http import (
        HttpClientConfig, PrefactorHttpClient, PrefactorRetryExhaustedError,
        SyncPrefactorHttpClient,
    )

    url, token, kind = sys.argv[1:]
    config = HttpClientConfig(
        api_url=url, api_token=token, max_retries=1, initial_retry_delay=0.001,
        max_retry_delay=0.002, async_transport="httpx" if kind == "async-httpx" else "aiohttp",
    )

    async def run_async():
        async with PrefactorHttpClient(config) as client:
            await client.agent_instances.get("inst-1")

    def run():
        if kind == "sync":
            with SyncPrefactorHttpClient(config) as client:
                client.agent_instances.get("inst-1")
        else:
            asyncio.run(run_async())

    try:
        run()
    except PrefactorRetryExhaustedError:
        print("caught")
    """
)


def run_script(server, kind: str, log: str | None) -> subprocess.CompletedProcess[str]:
    server.expect_request("/api/v1/agent_instance/inst-1").respond_with_json(
        error("unavailable", "try later"), status=503
    )
    env = {k: v for k, v in os.environ.items() if k != "PREFACTOR_LOG"}
    if log is not None:
        env["PREFACTOR_LOG"] = log
    url = server.url_for("/").rstrip("/")
    return subprocess.run(
        [sys.executable, "-c", SCRIPT, url, TOKEN, kind],
        capture_output=True,
        text=True,
        env=env,
        timeout=30,
        check=True,
    )


@pytest.mark.parametrize("kind", ["async", "async-httpx", "sync"])
def test_a_caught_error_prints_nothing_on_stderr(server, kind):
    """Without PREFACTOR_LOG, the give-up WARNING of a caught error stays off stderr."""
    done = run_script(server, kind, None)
    assert done.stdout == "caught\n"
    assert done.stderr == ""


@pytest.mark.parametrize("kind", ["async", "async-httpx", "sync"])
def test_prefactor_log_debug_prints_each_attempt_without_the_token(server, kind):
    """PREFACTOR_LOG=debug prints every attempt and the give-up on stderr, never the token."""
    done = run_script(server, kind, "debug")
    assert done.stdout == "caught\n"
    lines = done.stderr.splitlines()
    assert len(lines) == 2, done.stderr
    assert "DEBUG] GET /api/v1/agent_instance/inst-1 -> 503 (attempt 1): retrying in" in lines[0]
    assert "WARNING] GET /api/v1/agent_instance/inst-1: gave up after 2 attempts" in lines[1]
    assert all(line.startswith("[") and "prefactor_http:" in line for line in lines)
    assert TOKEN not in done.stderr


def test_prefactor_log_info_leaves_the_debug_lines_out(server):
    """PREFACTOR_LOG=INFO (any case) shows the WARNING but not the per-attempt DEBUG lines."""
    done = run_script(server, "sync", "INFO")
    lines = done.stderr.splitlines()
    assert len(lines) == 1, done.stderr
    assert "WARNING] GET /api/v1/agent_instance/inst-1: gave up after 2 attempts" in lines[0]


def test_a_bad_prefactor_log_is_ignored_with_one_warning(server):
    """An unknown level is named once in a RuntimeWarning, and logging stays silent."""
    done = run_script(server, "sync", "verbose")
    assert done.stdout == "caught\n"
    assert done.stderr.count("RuntimeWarning") == 1, done.stderr
    assert "PREFACTOR_LOG='verbose' is ignored: use one of debug, info" in done.stderr
    assert "gave up" not in done.stderr


def test_setup_logging_attaches_its_handler_once():
    """Called again (a re-import), the setup adds no second handler: each line prints once."""
    logger = logging.getLogger("prefactor_http")
    before, level = list(logger.handlers), logger.level
    try:
        setup_logging("debug")
        setup_logging("debug")
        added = [h for h in logger.handlers if h not in before]
        assert [type(h).__name__ for h in added] == ["_EnvHandler"]
        assert sum(isinstance(h, logging.NullHandler) for h in logger.handlers) == 1
        assert logger.level == logging.DEBUG
    finally:
        logger.handlers[:] = before
        logger.setLevel(level)


def test_a_path_holding_the_token_is_logged_with_the_token_hidden(twin, server, caplog):
    """A token passed where an id goes reaches no log line: each attempt's and the give-up's."""
    path = f"/api/v1/agent_instance/{TOKEN}"
    server.expect_request(path).respond_with_json(error("unavailable", "try later"), status=503)
    client = twin.new_client(max_retries=1)
    with (
        caplog.at_level(logging.DEBUG, logger="prefactor_http"),
        pytest.raises(PrefactorRetryExhaustedError, match=r"\[redacted\]"),
    ):
        twin(lambda c: c.request("GET", path), client)
    ours = [r for r in caplog.records if r.name.startswith("prefactor_http")]
    lines = [record.getMessage() for record in ours]
    assert len(lines) == 2, lines
    assert lines[0].startswith("GET /api/v1/agent_instance/[redacted] -> 503 (attempt 1): retrying")
    assert lines[1] == (
        "GET /api/v1/agent_instance/[redacted]: gave up after 2 attempts; last error: 503"
    )
    assert not any(TOKEN in line for line in lines)
