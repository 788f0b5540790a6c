"""The documentation's Python examples run, as a user would run them, against a loopback stand-in.

Every ```python block of README.md, CONTRIBUTING.md, docs/*.md and
benchmarks/README.md runs here. Blocks that use `prefactor_http.server` bring
their own local server (a block defining a test runs under pytest); the others
talk to the stand-in below, once with full answers and once with sparse ones.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from functools import partial
from itertools import count
from pathlib import Path

import pytest
from conftest import ROOT, TOKEN, error, instance_json, span_json, success
from werkzeug import Request, Response

SPAN_IDS = count(1)
TOP_LEVEL = [ROOT / "README.md", ROOT / "CONTRIBUTING.md", ROOT / "benchmarks" / "README.md"]
MARKDOWN = sorted([*TOP_LEVEL, *(ROOT / "docs").glob("*.md")])
FENCED = re.compile(r"^```.*?^```", re.S | re.M)
LOCAL_SERVER_TREE = (
    "4 requests, 3 writes\n"
    "agent instance readme-run [pending] spans: 1 total, 1 finished\n"
    '└── agent:llm [complete] {"prompt": "Hi"} → {"text": "Hello!"}'
)
# What each file's ```python blocks print, in order. Adding or removing an example
# means updating its file's list too.
EXPECTED_OUTPUT = {
    "README.md": [
        "inst-1 complete",
        "the platform asked the agent to stop: budget\nactive 2",
        "recorded on inst-1",
        "Helpdesk None True\nAlpha active\nHelpdesk pending\nZulu dormant\nretired",
        "already finished: POST /api/v1/agent_instance/instance_123/finish: HTTP 409 "
        "[conflict] Instance already finished",
    ],
    "docs/bulk-and-writers.md": [
        "['create-span-001']\nfinish-span-001\n[]\ncreate-span-001 success None None\n"
        "finish-span-001 error not_found No such span",
        "['start-run-0001', 'span-run-0001']\nactive",
        "False 700 run-42-finish-0700\nnot_found\n499 200",
        "all 1000 spans delivered",
        "WriterStats(accepted=100, delivered=100, failed=0, pending=0, taken_over=0)",
        "{'delivered': 2, 'pending': 0}\n{'delivered': 3, 'pending': 0}",
    ],
    "docs/compatibility.md": ["reported inst-1"],
    "docs/local-server.md": [LOCAL_SERVER_TREE, "1 passed"],
    "docs/reliability.md": ["active"],
    "docs/transports.md": [
        "200 spans created and finished",
        "agent:llm active\nstill open: True\n2 requests seen by the hook: POST, POST",
        "True",
    ],
}


def python_blocks(path: Path) -> list[str]:
    return re.findall(r"^```python\n(.*?)^```", path.read_text(), re.S | re.M)


def name(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


EXAMPLES = [
    (f"{file}#{number}", code, expected)
    for file, outputs in EXPECTED_OUTPUT.items()
    for number, (code, expected) in enumerate(
        zip(python_blocks(ROOT / file), outputs, strict=False), start=1
    )
]
# Examples of the local server bring their own; the others talk to the stand-in below.
STAND_IN = [e for e in EXAMPLES if "prefactor_http.server" not in e[1]]
OWN_SERVER = [e for e in EXAMPLES if "prefactor_http.server" in e[1] and "def test_" not in e[1]]
UNDER_PYTEST = [e for e in EXAMPLES if "prefactor_http.server" in e[1] and "def test_" in e[1]]


def without_nulls(value: object) -> object:
    """An answer as a sparse API sends it: null fields left out (payloads kept as they are)."""
    if isinstance(value, dict):
        return {
            key: item if key in ("payload", "result_payload") else without_nulls(item)
            for key, item in value.items()
            if item is not None
        }
    if isinstance(value, list):
        return [without_nulls(item) for item in value]
    return value


def stand_in(request: Request, sparse: bool = False) -> Response:
    """Answers each operation as the API would, from what the request says."""
    path, body = request.path, request.get_json(silent=True) or {}

    def reply(payload: object, status: int = 200) -> Response:
        payload = without_nulls(payload) if sparse else payload
        return Response(json.dumps(payload), status, content_type="application/json")

    if path == "/api/v1/ping":
        return reply({"status": "success"})
    if path.startswith("/api/v1/agent") and not path.startswith("/api/v1/agent_"):
        return reply(agents_stand_in(request, body))
    if path == "/api/v1/agent_instance/register":
        return reply(success(instance_json()))
    if path == "/api/v1/agent_instance/instance_123/finish":
        return reply(error("conflict", "Instance already finished"), 409)
    if path.endswith("/finish") and "agent_instance" in path:
        return reply(success(instance_json(status=body.get("status", "complete"))))
    if path.endswith("/record_quality"):
        if body.get("name") != "helpfulness" or not isinstance(body.get("payload"), dict):
            return reply(error("validation_error", "unknown quality"), 422)
        return reply(success(instance_json(status="complete")))
    if path.endswith("/start"):
        return reply(success(instance_json(status="active")))
    if path.startswith("/api/v1/agent_instance/"):
        counts = {**instance_json()["span_counts"], "total": 2, "complete": 2, "finished": 2}
        return reply(success(instance_json(status="active", span_counts=counts)))
    if path == "/api/v1/agent_spans":
        details = body["details"]
        control = (
            {"terminate": True, "reason": "budget"}
            if details["schema_name"] == "agent:tool"
            else None
        )
        extra = {"control": control} if control else {}
        span = span_json(id=f"span-{next(SPAN_IDS)}", schema_name=details["schema_name"])
        return reply(success(span, **extra))
    if path.endswith("/finish"):
        return reply(success(span_json(status=body.get("status", "complete"))))
    if path == "/api/v1/bulk":
        outputs = {}
        for item in body["items"]:
            key = item["idempotency_key"]
            if item["_type"] == "agent_spans/finish" and item["agent_span_id"] == "span_123":
                outputs[key] = error("not_found", "No such span")
                break  # the API stops at the first failed item
            outputs[key] = success(span_json())
        return reply({"status": "success", "outputs": outputs})
    return reply(error("not_found", "unknown path"), 404)


def agents_stand_in(request: Request, body: dict[str, object]) -> object:
    """The agents endpoints: one agent, and a list of three served two to a page."""
    agent = {"type": "agent", "id": "agent-1", "name": "Support bot", "status": "pending"}
    actions = {"update": True, "retire": True, "reinstate": False, "delete": True}
    if request.method == "GET":
        names = [("Alpha", "active"), ("Helpdesk", "pending"), ("Zulu", "dormant")]
        offset = int(request.args.get("pagination[offset]", "0"))
        size = int(request.args.get("pagination[page_size]", "100"))
        page = names[offset : offset + size]
        following = offset + size if offset + size < len(names) else None
        return {
            "status": "success",
            "summaries": [{**agent, "name": n, "status": st} for n, st in page],
            "pagination": {"next_page_offset": following},
            "sorting": {"field": "name", "direction": "asc"},
        }
    if request.path.endswith("/retire"):
        return success({**agent, "status": "retired"})
    details = body.get("details")
    fields = details if isinstance(details, dict) else {}
    return success({**agent, **fields, "available_actions": actions})


def test_every_file_with_examples_lists_their_output():
    """Each Markdown file's python blocks match its EXPECTED_OUTPUT list, one for one."""
    found = {name(path): len(python_blocks(path)) for path in MARKDOWN if python_blocks(path)}
    listed = {file: len(outputs) for file, outputs in EXPECTED_OUTPUT.items()}
    assert found == listed


@pytest.mark.slow  # each example in a child process
@pytest.mark.parametrize("sparse", [False, True], ids=["full", "sparse"])
@pytest.mark.parametrize(
    ("code", "expected"), [e[1:] for e in STAND_IN], ids=[e[0] for e in STAND_IN]
)
def test_example_runs(server, code, expected, sparse):
    """Each example exits 0 and prints what its text implies, with full or sparse answers."""
    server.expect_request(re.compile("^/api/v1/.*")).respond_with_handler(
        partial(stand_in, sparse=sparse)
    )
    env = {
        **os.environ,
        "PREFACTOR_API_URL": server.url_for("/").rstrip("/"),
        "PREFACTOR_API_TOKEN": TOKEN,
    }

    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == expected
    assert len(server.log) > 0


@pytest.mark.slow  # each example in a child process
@pytest.mark.parametrize(
    ("code", "expected"), [e[1:] for e in OWN_SERVER], ids=[e[0] for e in OWN_SERVER]
)
def test_local_server_example_prints_what_it_says(tmp_path, code, expected):
    """An in-process example runs its own server and prints what the text shows."""
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=tmp_path
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == expected


@pytest.mark.slow  # pytest in a child process
@pytest.mark.parametrize(
    ("code", "expected"), [e[1:] for e in UNDER_PYTEST], ids=[e[0] for e in UNDER_PYTEST]
)
def test_fixture_example_passes_under_pytest(tmp_path, code, expected):
    """A fixture example is a test file: pytest finds `prefactor_server` and it passes."""
    test_file = tmp_path / "test_docs_fixture.py"
    test_file.write_text(code)

    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(test_file)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert expected in result.stdout


def anchors(path: Path) -> set[str]:
    """The heading anchors GitHub makes for `path` (code blocks left out)."""
    text = FENCED.sub("", path.read_text())
    headings = re.findall(r"^#+ (.+)$", text, re.M)
    return {re.sub(r"[^\w\- ]", "", h.strip().lower()).replace(" ", "-") for h in headings}


def relative_links(path: Path) -> list[str]:
    text = re.sub(r"`[^`\n]*`", "", FENCED.sub("", path.read_text()))
    targets = re.findall(r"\]\(([^)\s]+)\)", text)
    return [t for t in targets if not re.match(r"[a-z]+:", t)]


@pytest.mark.parametrize("path", MARKDOWN, ids=name)
def test_relative_links_point_at_what_exists(path):
    """Every relative link names a file that exists, and a heading of it when it has an anchor."""
    broken = []
    for link in relative_links(path):
        target, _, anchor = link.partition("#")
        file = (path.parent / target).resolve() if target else path
        if not file.exists() or (file.suffix == ".md" and anchor and anchor not in anchors(file)):
            broken.append(link)

    assert broken == []
