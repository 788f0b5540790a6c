"""What every step of the compat run shares: the run's checks and the server's state.

Imported by `public_client_run.py` and its steps (in the compat venv, beside
them, where `prefactor_http` is the public package). `Run` records each
check and reads the server's loopback-only `/_control` endpoints; the
helpers describe an exception, find a stored resource, read a timestamp,
and check an instance or span answer against what the server stored.
"""

from __future__ import annotations

import json
import secrets
import urllib.request
from collections.abc import Awaitable
from datetime import datetime
from typing import Any, TypeVar

from prefactor_http import AgentInstance, AgentSpan, PrefactorApiError

T = TypeVar("T")
Json = dict[str, Any]

AGENT_ID = "agent_compat"
ENVIRONMENT_ID = "env_compat"
SPAN_TYPES = [
    {
        "name": "agent:llm",
        "title": "LLM call",
        "description": "One model call",
        "template": "{{model}}: {{prompt}} → {{response}}",
        "params_schema": {
            "type": "object",
            "properties": {"model": {"type": "string"}, "prompt": {"type": "string"}},
            "required": ["model", "prompt"],
        },
        "result_schema": {"type": "object", "properties": {"response": {"type": "string"}}},
    },
    {
        "name": "agent:tool",
        "params_schema": {"type": "object", "properties": {"tool": {"type": "string"}}},
    },
]


class Run:
    """The checks of one run, their outcomes, and the server's control endpoints."""

    def __init__(self, url: str, mode: str) -> None:
        self.url = url
        self.mode = mode
        self.passed = 0
        self.failed: list[str] = []
        self.suffix = secrets.token_hex(4)

    # The server's side, over HTTP (loopback only, no token)

    def _control(self, path: str, body: Json | None = None) -> Any:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(
            f"{self.url}/_control/{path}",
            data=data,
            method="POST" if data is not None else "GET",
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=10) as answer:
            return json.loads(answer.read())

    def state(self) -> Json:
        """Everything the server holds: agents, instances, spans, quality."""
        result: Json = self._control("state")
        return result

    def requests(self) -> list[Json]:
        """Every API request the server received, oldest first."""
        result: list[Json] = self._control("requests")
        return result

    def terminate(self, instance_id: str, reason: str) -> None:
        """End an instance from the platform's side."""
        self._control("terminate", {"agent_instance_id": instance_id, "reason": reason})

    # Checks

    def check(self, name: str, ok: bool, detail: object = "") -> bool:
        """Record one check."""
        if ok:
            self.passed += 1
            print(f"  ok    {name}")
        else:
            self.failed.append(name)
            print(f"  FAIL  {name}: {detail}")
        return ok

    def equal(self, name: str, got: object, expected: object) -> bool:
        """Record that `got == expected`."""
        return self.check(name, got == expected, f"got {got!r}, expected {expected!r}")

    async def call(self, name: str, awaitable: Awaitable[T]) -> T | None:
        """Await one client call; on an exception, fail `name` and show what was sent."""
        before = len(self.requests())
        try:
            result = await awaitable
        except Exception as exc:
            sent = self.requests()[before:]
            detail = describe(exc)
            for request in sent:
                detail += f"\n          sent {request['method']} {request['path']} "
                detail += json.dumps(request["json"], sort_keys=True)
            self.check(f"{name} succeeds", False, detail)
            return None
        self.check(f"{name} succeeds", True)
        return result

    async def refused(
        self, name: str, awaitable: Awaitable[object], status: int
    ) -> PrefactorApiError | None:
        """Await a call that must fail with a PrefactorApiError of `status`."""
        try:
            await awaitable
        except PrefactorApiError as exc:
            self.equal(f"{name}: status code", exc.status_code, status)
            return exc
        except Exception as exc:
            self.check(f"{name}: PrefactorApiError {status}", False, describe(exc))
            return None
        self.check(f"{name}: PrefactorApiError {status}", False, "the call succeeded")
        return None


def describe(exc: BaseException) -> str:
    """The exception in a line: its type, first lines, cause, and the API error's fields."""
    lines = [line for line in str(exc).splitlines() if line.strip()][:6]
    text = f"{type(exc).__name__}: " + " | ".join(lines)
    cause = exc.__cause__ or getattr(exc, "cause", None)
    if cause is not None and cause is not exc:
        text += f" <- {describe(cause)}"
    for attr in ("status_code", "body_snippet"):
        if not isinstance(exc, PrefactorApiError) and getattr(exc, attr, None) is not None:
            text += f" [{attr}={getattr(exc, attr)!r:.300}]"
    if isinstance(exc, PrefactorApiError):
        text += f" [status_code={exc.status_code}, code={exc.code!r}]"
        errors = getattr(exc, "errors", None)
        if errors:
            text += f" errors={errors!r}"
    return text


def newest(state: Json, kind: str, **match: Any) -> Json | None:
    """The newest stored resource of `kind` whose fields equal `match`."""
    found = [r for r in state[kind].values() if all(r.get(k) == v for k, v in match.items())]
    return found[-1] if found else None


def stamp(value: object) -> datetime | None:
    """A timestamp as the public models hold it, from an answer or from stored state."""
    if isinstance(value, datetime):
        return value
    if isinstance(value, str):
        return datetime.fromisoformat(value)
    return None


def check_instance(run: Run, name: str, got: AgentInstance | None, stored: Json | None) -> None:
    """An AgentInstance answer as the public model holds it, against what the server stored."""
    if got is None or stored is None:
        run.check(f"{name}: answer and stored instance", False, f"answer={got!r}")
        return
    run.equal(f"{name}: type", got.type, "agent_instance")
    for field in ("id", "account_id", "agent_id", "agent_version_id", "environment_id"):
        run.equal(f"{name}: {field}", getattr(got, field), stored[field])
    run.equal(f"{name}: status", got.status, stored["status"])
    run.equal(f"{name}: purpose", got.purpose, stored.get("purpose"))
    run.equal(
        f"{name}: external_identifier", got.external_identifier, stored.get("external_identifier")
    )
    run.equal(f"{name}: started_at", got.started_at, stamp(stored.get("started_at")))
    run.equal(f"{name}: finished_at", got.finished_at, stamp(stored.get("finished_at")))
    counts = got.span_counts
    stored_counts = stored.get("span_counts") or {}
    run.check(f"{name}: span_counts present", counts is not None, "span_counts is None")
    if counts is not None:
        for field in ("total", "active", "complete", "failed", "cancelled", "finished"):
            run.equal(
                f"{name}: span_counts.{field}", getattr(counts, field), stored_counts.get(field, 0)
            )


def check_span(run: Run, name: str, got: AgentSpan | None, stored: Json | None) -> None:
    """An AgentSpan answer as the public model holds it, against what the server stored."""
    if got is None or stored is None:
        run.check(f"{name}: answer and stored span", False, f"answer={got!r}, stored={stored!r}")
        return
    run.equal(f"{name}: type", got.type, "agent_span")
    for field in ("id", "agent_instance_id", "schema_name", "status", "parent_span_id"):
        run.equal(f"{name}: {field}", getattr(got, field), stored.get(field))
    run.equal(f"{name}: payload", got.payload, stored.get("payload") or {})
    run.equal(f"{name}: result_payload", got.result_payload, stored.get("result_payload"))
    run.equal(f"{name}: schema_title", got.schema_title, stored.get("schema_title"))
    run.equal(f"{name}: finished_at", got.finished_at, stamp(stored.get("finished_at")))
