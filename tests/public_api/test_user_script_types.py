"""A user's script, checked by mypy --strict and pyright strict as a user would run them.

Both checkers must pass the correct script and report, in the broken ones,
exactly the line with the misspelt or missing parameter (or key): what the
typed signatures, the overloads of `register` and the TypedDicts buy.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

BIN = Path(sys.executable).parent

HEADER = """\
from __future__ import annotations

import asyncio

from prefactor_http import (
    AgentInstance,
    AgentSchemaVersionForRegister,
    AgentSpan,
    AgentVersionForRegister,
    HttpClientConfig,
    PrefactorHttpClient,
    SyncPrefactorHttpClient,
)
from prefactor_http.models.params import AgentSchemaVersionParam, AgentVersionParam
from prefactor_http.models.types import JsonObject

CONFIG = HttpClientConfig(api_url="http://127.0.0.1:8484", api_token="token")
VERSION: AgentVersionParam = {"name": "bot", "external_identifier": "v1"}
SCHEMA: AgentSchemaVersionParam = {
    "external_identifier": "s1",
    "span_type_schemas": [{"name": "agent:llm", "params_schema": {"type": "object"}}],
}
"""

CORRECT = """\
def blocking() -> None:
    with SyncPrefactorHttpClient(CONFIG) as client:
        seeds: AgentInstance = client.agent_instances.register("agent-1", VERSION, SCHEMA)
        legacy = client.agent_instances.register(VERSION, SCHEMA, "agent-1")
        by_key = client.agent_instances.register(
            agent_version={"name": "bot", "external_identifier": "v1"},
            agent_schema_version=SCHEMA,
            purpose="eval",
        )
        span: AgentSpan = client.agent_spans.create(
            seeds.id, "agent:llm", "active", payload={"prompt": "hi", "n": [1, 2]}
        )
        payload: JsonObject = span.payload
        # 0.4.3's classes, in 0.4.3's positional order.
        old = client.agent_instances.register(
            AgentVersionForRegister(name="bot", external_identifier="v1"),
            AgentSchemaVersionForRegister(external_identifier="s1"),
        )
        print(legacy.id, by_key.id, old.id, payload.get("prompt"))


async def concurrent() -> None:
    async with PrefactorHttpClient(CONFIG) as client:
        instance = await client.agent_instances.register(
            agent_id=None, agent_version=VERSION, agent_schema_version=SCHEMA
        )
        await client.agent_instances.finish(instance.id, status="complete")


asyncio.run(concurrent())
"""

BROKEN_HEADER = """\
import prefactor_http
from prefactor_http.models.params import AgentSchemaVersionParam, AgentVersionParam

VERSION: AgentVersionParam = {"name": "bot", "external_identifier": "v1"}
SCHEMA: AgentSchemaVersionParam = {"external_identifier": "s1"}
"""

# Each broken call on one line (marked), where both checkers report it.
BROKEN = {
    # A misspelt keyword of a generated method.
    "misspelt_parameter": """\
def run(client: prefactor_http.SyncPrefactorHttpClient) -> None:
    client.agent_instances.register(agent_version=VERSION, agent_schema_verison=SCHEMA)  # LINE
""",
    # register without agent_schema_version, which the runtime signature defaults to None.
    "missing_parameter": """\
async def run(client: prefactor_http.PrefactorHttpClient) -> None:
    await client.agent_instances.register("agent-1", VERSION)  # LINE
""",
    # The same on a method without overloads: the checkers name the parameter.
    "misspelt_span_parameter": """\
def run(client: prefactor_http.SyncPrefactorHttpClient) -> None:
    client.agent_spans.create("i", "agent:llm", "active", paylod={"a": 1})  # LINE
""",
    "missing_span_parameter": """\
async def run(client: prefactor_http.PrefactorHttpClient) -> None:
    await client.agent_spans.create("i", "agent:llm")  # LINE
""",
    # A dict literal whose key is misspelt, checked against its TypedDict.
    "misspelt_key": """\
def run(client: prefactor_http.SyncPrefactorHttpClient) -> None:
    client.agent_instances.register("a", {"name": "b", "external_identifer": "v"}, SCHEMA)  # LINE
""",
}


@pytest.fixture(scope="module")
def scripts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("user")
    (folder / "correct.py").write_text(HEADER + "\n\n" + CORRECT)
    for name, body in BROKEN.items():
        (folder / f"{name}.py").write_text(BROKEN_HEADER + "\n\n" + body)
    (folder / "pyrightconfig.json").write_text(
        json.dumps({"typeCheckingMode": "strict", "pythonVersion": "3.11"})
    )
    return folder


def marked_line(folder: Path, name: str) -> int:
    lines = (folder / f"{name}.py").read_text().splitlines()
    return next(i for i, line in enumerate(lines, 1) if line.endswith("# LINE"))


def errors_by_file(pattern: str, output: str) -> dict[str, set[int]]:
    found: dict[str, set[int]] = {}
    for match in re.finditer(pattern, output, re.MULTILINE):
        found.setdefault(Path(match["file"]).stem, set()).add(int(match["line"]))
    return found


def expected(folder: Path) -> dict[str, set[int]]:
    return {name: {marked_line(folder, name)} for name in BROKEN}


def test_mypy_strict_passes_the_script_and_flags_each_broken_call(scripts):
    """mypy --strict: no error in the correct script, one on each broken call's line."""
    done = subprocess.run(
        [BIN / "mypy", "--strict", "--no-incremental", "--python-version", "3.11", "."],
        cwd=scripts,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    found = errors_by_file(r"^(?P<file>[\w./]+\.py):(?P<line>\d+): error:", done.stdout)
    assert found == expected(scripts), done.stdout
    assert 'Unexpected keyword argument "agent_schema_verison"' in done.stdout
    assert 'did you mean "agent_schema_version"?' in done.stdout
    assert 'Unexpected keyword argument "paylod" for "create"' in done.stdout
    assert 'Missing positional argument "status" in call to "create"' in done.stdout


def test_pyright_strict_passes_the_script_and_flags_each_broken_call(scripts):
    """pyright (basedpyright, strict mode): the same errors, on the same lines."""
    done = subprocess.run(
        [BIN / "basedpyright", "--pythonpath", sys.executable, "."],
        cwd=scripts,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    found = errors_by_file(r"^\s*(?P<file>/\S+\.py):(?P<line>\d+):\d+ - error:", done.stdout)
    assert found == expected(scripts), done.stdout
    assert 'No parameter named "paylod"' in done.stdout
    assert 'Argument missing for parameter "status"' in done.stdout
    assert 'cannot be assigned to parameter "agent_schema_version"' in done.stdout
