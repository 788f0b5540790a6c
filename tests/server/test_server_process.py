"""The server as users start it: command line, demo, pytest fixture, context manager."""

from __future__ import annotations

import os
import shlex
import signal
import subprocess
import sys

import httpx
import pytest
from conftest import ROOT

from prefactor_http.server import DEFAULT_TOKEN, LocalServer

# The command, the demo and pytest in child processes: `make test-fast` leaves them out.
pytestmark = pytest.mark.slow


def start_cli(*args: str, env: dict[str, str] | None = None) -> tuple[subprocess.Popen[str], str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "prefactor_http.server", "--port", "0", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert process.stdout is not None
    return process, process.stdout.readline().strip()


@pytest.mark.parametrize(
    ("args", "env_token", "accepted"),
    [
        ((), None, DEFAULT_TOKEN),
        ((), "from-env", "from-env"),
        (("--token", "from-flag"), "from-env", "from-flag"),
    ],
)
def test_the_command_prints_its_url_and_serves_with_the_chosen_token(args, env_token, accepted):
    """First stdout line is the loopback URL; the token is --token, else $PREFACTOR_API_TOKEN."""
    env = {k: v for k, v in os.environ.items() if k != "PREFACTOR_API_TOKEN"}
    if env_token is not None:
        env["PREFACTOR_API_TOKEN"] = env_token
    process, url = start_cli(*args, env=env)
    try:
        assert url.startswith("http://127.0.0.1:")
        ok = httpx.get(f"{url}/api/v1/ping", headers={"Authorization": f"Bearer {accepted}"})
        refused = httpx.get(f"{url}/api/v1/ping", headers={"Authorization": "Bearer other"})
        assert (ok.status_code, refused.status_code) == (200, 401)
    finally:
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=10)
    assert process.returncode == 0
    assert accepted not in stderr or accepted == DEFAULT_TOKEN


def test_the_line_the_command_prints_for_clients_points_an_example_at_it():
    """The `export` line on stderr, pasted into a shell as it is, is all an example needs."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFACTOR_")}
    process, url = start_cli(env=env)
    try:
        assert process.stderr is not None
        exports = next(line.strip() for line in process.stderr if "export " in line)
        script = f"{exports}\n{shlex.quote(sys.executable)} examples/agent_run_sync.py"
        run = subprocess.run(
            ["sh", "-c", script], env=env, cwd=ROOT, capture_output=True, text=True, timeout=60
        )
    finally:
        process.send_signal(signal.SIGINT)
        process.communicate(timeout=10)

    assert exports == f"export PREFACTOR_API_URL={url} PREFACTOR_API_TOKEN={DEFAULT_TOKEN}"
    assert run.returncode == 0, run.stderr
    assert "agent instance sync-run [complete] spans: 2 total, 2 finished" in run.stdout


def test_the_command_with_sparse_leaves_null_fields_out():
    """`--sparse`: a new instance's answer has no `started_at`; without it, `started_at` is null."""
    body = {
        "agent_version": {"name": "bot", "external_identifier": "v1"},
        "agent_schema_version": {"external_identifier": "s1"},
    }
    auth = {"Authorization": f"Bearer {DEFAULT_TOKEN}"}
    env = {k: v for k, v in os.environ.items() if k != "PREFACTOR_API_TOKEN"}
    answers = {}
    for args in ((), ("--sparse",)):
        process, url = start_cli(*args, env=env)
        try:
            answer = httpx.post(f"{url}/api/v1/agent_instance/register", json=body, headers=auth)
            answers[args] = answer.json()["details"]
        finally:
            process.send_signal(signal.SIGINT)
            process.communicate(timeout=10)

    assert answers[()]["started_at"] is None
    assert "started_at" not in answers[("--sparse",)]


def test_the_command_stops_cleanly_on_sigterm():
    """A supervisor's SIGTERM ends the server with status 0."""
    process, url = start_cli()
    assert httpx.get(f"{url}/api/v1/ping").status_code == 401

    process.terminate()
    process.communicate(timeout=10)

    assert process.returncode == 0


@pytest.mark.parametrize("mode", [[], ["--sparse"]], ids=["full", "sparse"])
def test_make_demo_prints_both_runs_as_trees(mode):
    """examples/run_demo.py (what `make demo` runs) starts a server and prints the stored trees."""
    result = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "run_demo.py"), *mode],
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stderr
    tree = (
        " [complete] spans: 2 total, 2 finished\n"
        '└── agent:tool [complete] {"tool": "search", "query": "weather in Paris"} → {"hits": 1}\n'
        '    └── agent:llm [complete] {"model": "gpt-x", "prompt": "Summarise: sunny, 21°C"}'
        ' → {"response": "Sunny and 21°C in Paris."}\n'
    )
    for run in ("sync", "async"):
        assert f"== examples/agent_run_{run}.py" in result.stdout
        assert f"agent instance {run}-run{tree}" in result.stdout
        assert f"agent instance {run}-bulk{tree}" in result.stdout
    assert result.stdout.count("bulk: 7 of 7 items succeeded") == 2


def test_an_example_run_twice_against_one_server_succeeds_both_times():
    """Bulk ids and keys are new per run, so a second run records a second trace."""
    process, url = start_cli("--token", "twice-token")
    env = {**os.environ, "PREFACTOR_API_URL": url, "PREFACTOR_API_TOKEN": "twice-token"}
    example = str(ROOT / "examples" / "agent_run_sync.py")
    try:
        runs = [
            subprocess.run(
                [sys.executable, example], env=env, capture_output=True, text=True, timeout=60
            )
            for _ in range(2)
        ]
        state = httpx.get(f"{url}/_control/state").json()
    finally:
        process.terminate()
        process.communicate(timeout=10)

    for run in runs:
        assert run.returncode == 0, run.stderr
        assert "bulk: 7 of 7 items succeeded" in run.stdout
        assert "agent instance sync-bulk [complete] spans: 2 total, 2 finished" in run.stdout
    bulk_runs = [i for i in state["instances"].values() if i["external_identifier"] == "sync-bulk"]
    assert len(bulk_runs) == 2


FRESH_STATE_TESTS = """
import httpx
from prefactor_http.server import Fault

BODY = {
    "agent_version": {"name": "bot", "external_identifier": "v1"},
    "agent_schema_version": {"external_identifier": "s1"},
}


def test_leaves_state_behind(prefactor_server):
    auth = {"Authorization": f"Bearer {prefactor_server.token}"}
    url = f"{prefactor_server.url}/api/v1/agent_instance/register"
    assert httpx.post(url, json=BODY, headers=auth).status_code == 200
    prefactor_server.inject(Fault.status(500))
    assert len(prefactor_server.state()["instances"]) == 1


def test_sees_none_of_it(prefactor_server):
    assert prefactor_server.state() == {"agents": {}, "instances": {}, "spans": {}, "quality": {}}
    assert prefactor_server.effects == []
    assert prefactor_server.pending_faults == []
    assert prefactor_server.requests == []
"""


def test_the_fixture_gives_each_test_fresh_state(pytester):
    """Two tests in one session share the server; the second sees nothing of the first."""
    pytester.makepyfile(test_fresh_state=FRESH_STATE_TESTS)

    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")

    result.assert_outcomes(passed=2)


def test_the_context_manager_starts_and_stops_a_server():
    """Inside `with` the URL answers; after it the port is closed; repr hides the token."""
    with LocalServer(token="secret-token-123") as server:
        url = server.url
        assert httpx.get(f"{url}/api/v1/ping").status_code == 401
        assert "secret-token-123" not in repr(server)

    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{url}/api/v1/ping")
    with pytest.raises(RuntimeError, match="not running"):
        _ = server.url


def test_start_and_stop_can_be_called_directly():
    """start() returns the server; stop() twice is harmless; starting twice is refused."""
    server = LocalServer().start()
    try:
        with pytest.raises(RuntimeError, match="already running"):
            server.start()
        assert httpx.get(f"{server.url}/_control/state").status_code == 200
    finally:
        server.stop()
        server.stop()


def test_the_pytest_plugin_loads_without_the_server_extra():
    """Importing the plugin (as pytest does for every user of the package) needs no aiohttp."""
    code = "import sys, prefactor_http.pytest_plugin; print('aiohttp' in sys.modules)"

    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)

    assert (result.returncode, result.stdout.strip()) == (0, "False"), result.stderr
