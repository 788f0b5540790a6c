"""The public client (prefactor-http 0.4.3), as a black box, against our local server.

Runs in the compat venv, where `prefactor_http` is the public package. Every
method of its seed groups is called the way users' code calls it; each
answer is checked field by field, and what the server stored is read back
over HTTP from the loopback-only `/_control` endpoints.

The checks state what the hosted API does (see shared/wire-format.md), so
they fail where our server differs from it. Each step runs even when an
earlier one failed (ids are then read from the server's state), so one run
lists every difference; a failure prints the request the client sent.
Exit status: 0 if every check passed, 1 otherwise.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import secrets
import sys
import traceback
import urllib.request
from collections.abc import Awaitable
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from public_agents import agents

from prefactor_http import (
    AgentInstance,
    AgentSpan,
    BulkItem,
    BulkRequest,
    BulkResponse,
    HttpClientConfig,
    PrefactorApiError,
    PrefactorHttpClient,
)
from prefactor_http import __version__ as public_version

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
QUALITY = "helpfulness"


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
            detail = _describe(exc)
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
            self.check(f"{name}: PrefactorApiError {status}", False, _describe(exc))
            return None
        self.check(f"{name}: PrefactorApiError {status}", False, "the call succeeded")
        return None


def _describe(exc: BaseException) -> str:
    lines = [line for line in str(exc).splitlines() if line.strip()][:6]
    text = f"{type(exc).__name__}: " + " | ".join(lines)
    cause = exc.__cause__ or getattr(exc, "cause", None)
    if cause is not None and cause is not exc:
        text += f" <- {_describe(cause)}"
    for attr in ("status_code", "body_snippet"):
        if not isinstance(exc, PrefactorApiError) and getattr(exc, attr, None) is not None:
            text += f" [{attr}={getattr(exc, attr)!r:.300}]"
    if isinstance(exc, PrefactorApiError):
        text += f" [status_code={exc.status_code}, code={exc.code!r}]"
        errors = getattr(exc, "errors", None)
        if errors:
            text += f" errors={errors!r}"
    return text


def _newest(state: Json, kind: str, **match: Any) -> Json | None:
    """The newest stored resource of `kind` whose fields equal `match`."""
    found = [r for r in state[kind].values() if all(r.get(k) == v for k, v in match.items())]
    return found[-1] if found else None


def _stamp(value: object) -> datetime | None:
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
    run.equal(f"{name}: started_at", got.started_at, _stamp(stored.get("started_at")))
    run.equal(f"{name}: finished_at", got.finished_at, _stamp(stored.get("finished_at")))
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
    run.equal(f"{name}: finished_at", got.finished_at, _stamp(stored.get("finished_at")))


async def instances_and_spans(run: Run, client: PrefactorHttpClient) -> None:
    """agent_instances.register/start/record_quality/get/finish and agent_spans.create/finish."""
    print("-- agent_instances.register (account-scoped: agent_id, environment_id)")
    external = f"compat-run-{run.suffix}"
    agent_version = {
        "name": "Compat agent",
        "external_identifier": f"compat-v1-{run.suffix}",
        "description": "The public client against our local server",
        "runtime_environment": {
            "runtime": "python",
            "os": "linux",
            "prefactor_sdk": ["prefactor-http@0.4.3"],
        },
    }
    schema_version = {
        "external_identifier": f"compat-schema-{run.suffix}",
        "span_type_schemas": SPAN_TYPES,
    }
    registered = await run.call(
        "register(agent_id, environment_id, purpose, external_identifier, idempotency_key)",
        client.agent_instances.register(
            agent_version=agent_version,
            agent_schema_version=schema_version,
            agent_id=AGENT_ID,
            environment_id=ENVIRONMENT_ID,
            idempotency_key=f"compat-register-{run.suffix}",
            purpose="smoke_test",
            external_identifier=external,
        ),
    )
    stored = _newest(run.state(), "instances", external_identifier=external)
    if not run.check(
        "register: the server stored the instance", stored is not None, "not in /_control/state"
    ):
        return
    assert stored is not None
    instance_id = stored["id"]
    run.equal("register: stored agent_id", stored["agent_id"], AGENT_ID)
    run.equal("register: stored environment_id", stored["environment_id"], ENVIRONMENT_ID)
    run.equal("register: stored purpose", stored["purpose"], "smoke_test")
    run.equal("register: stored status", stored["status"], "pending")
    check_instance(run, "register answer", registered, stored)

    print("-- agent_instances.register (deployment-scoped: no agent_id, environment_id)")
    plain = await run.call(
        "register(agent_version, agent_schema_version)",
        client.agent_instances.register(agent_version, schema_version),
    )
    plain_stored = run.state()["instances"].get(plain.id) if plain is not None else None
    check_instance(run, "register (deployment-scoped) answer", plain, plain_stored)
    if plain is not None:
        run.check(
            "register (deployment-scoped): agent_deployment_id is a non-empty string",
            isinstance(plain.agent_deployment_id, str) and bool(plain.agent_deployment_id),
            repr(plain.agent_deployment_id),
        )

    print("-- agent_instances.start (no timestamp: the client sends an explicit null)")
    started = await run.call("start(agent_instance_id)", client.agent_instances.start(instance_id))
    stored = run.state()["instances"][instance_id]
    run.equal("start: stored status", stored["status"], "active")
    run.check(
        "start: stored started_at set",
        stored.get("started_at") is not None,
        stored.get("started_at"),
    )
    check_instance(run, "start answer", started, stored)
    if stored["status"] == "pending":
        print("   (the instance is still pending: starting it with a timestamp to go on)")
        at = datetime.now(UTC) - timedelta(seconds=5)
        restarted = await run.call(
            "start(agent_instance_id, timestamp)",
            client.agent_instances.start(instance_id, timestamp=at),
        )
        stored = run.state()["instances"][instance_id]
        run.equal("start with timestamp: stored status", stored["status"], "active")
        check_instance(run, "start with timestamp answer", restarted, stored)

    print("-- agent_spans.create: a root span, then a child with parent_span_id and result_payload")
    root = await run.call(
        "create(root span, payload, idempotency_key)",
        client.agent_spans.create(
            instance_id,
            "agent:llm",
            "active",
            payload={"model": "m-1", "prompt": "hello"},
            idempotency_key=f"compat-root-{run.suffix}",
        ),
    )
    root_stored = _newest(run.state(), "spans", agent_instance_id=instance_id, parent_span_id=None)
    check_span(run, "create root answer", root, root_stored)
    if root_stored is not None:
        run.equal(
            "create root: stored payload",
            root_stored["payload"],
            {"model": "m-1", "prompt": "hello"},
        )
        run.equal("create root: stored status", root_stored["status"], "active")
    root_id = root_stored["id"] if root_stored is not None else None
    child_id = f"span_compat_child_{run.suffix}"
    started_at = datetime.now(UTC) - timedelta(seconds=2)
    child = await run.call(
        "create(child span, id, parent_span_id, result_payload, started_at)",
        client.agent_spans.create(
            instance_id,
            "agent:tool",
            "active",
            payload={"tool": "search"},
            result_payload={"partial": True},
            id=child_id,
            parent_span_id=root_id,
            started_at=started_at,
        ),
    )
    child_stored = run.state()["spans"].get(child_id)
    check_span(run, "create child answer", child, child_stored)
    if child_stored is not None:
        run.equal("create child: stored parent_span_id", child_stored["parent_span_id"], root_id)
        run.equal(
            "create child: stored result_payload", child_stored["result_payload"], {"partial": True}
        )
        run.equal("create child: stored started_at", _stamp(child_stored["started_at"]), started_at)

    print("-- agent_spans.finish: the child, with status, result_payload and timestamp")
    finished_at = datetime.now(UTC)
    done = await run.call(
        "finish(child span, status, result_payload, timestamp, idempotency_key)",
        client.agent_spans.finish(
            child_id,
            status="complete",
            result_payload={"hits": 3},
            timestamp=finished_at,
            idempotency_key=f"compat-finish-child-{run.suffix}",
        ),
    )
    child_stored = run.state()["spans"].get(child_id)
    check_span(run, "finish child answer", done, child_stored)
    if child_stored is not None:
        run.equal("finish child: stored status", child_stored["status"], "complete")
        run.equal(
            "finish child: stored result_payload", child_stored["result_payload"], {"hits": 3}
        )
        run.equal(
            "finish child: stored finished_at", _stamp(child_stored["finished_at"]), finished_at
        )

    print("-- agent_instances.record_quality: record, then remove (payload None)")
    recorded = await run.call(
        "record_quality(name, payload)",
        client.agent_instances.record_quality(
            instance_id, QUALITY, {"score": 4, "comment": "fine"}
        ),
    )
    quality = run.state()["quality"].get(instance_id, {})
    run.equal(
        "record_quality: stored payload", quality.get(QUALITY), {"score": 4, "comment": "fine"}
    )
    check_instance(run, "record_quality answer", recorded, run.state()["instances"][instance_id])
    removed = await run.call(
        "record_quality(name, payload=None) removes",
        client.agent_instances.record_quality(instance_id, QUALITY, None),
    )
    quality = run.state()["quality"].get(instance_id, {})
    run.check("record_quality(None): stored payload removed", QUALITY not in quality, repr(quality))
    check_instance(
        run, "record_quality(None) answer", removed, run.state()["instances"][instance_id]
    )

    print("-- agent_instances.get")
    got = await run.call("get(agent_instance_id)", client.agent_instances.get(instance_id))
    check_instance(run, "get answer", got, run.state()["instances"][instance_id])

    print("-- control signal: the platform terminates the instance, span answers carry it")
    reason = "stopped by the compat run"
    run.terminate(instance_id, reason)
    run.equal(
        "terminate: stored status", run.state()["instances"][instance_id]["status"], "terminated"
    )
    heard: list[str | None] = []
    late = await run.call(
        "create(span on a terminated instance, control_signal_callback)",
        client.agent_spans.create(
            instance_id,
            "agent:tool",
            "active",
            payload={"tool": "late"},
            control_signal_callback=heard.append,
        ),
    )
    run.equal("create: control_signal_callback called with the reason", heard, [reason])
    if late is not None:
        check_span(run, "create (terminated) answer", late, run.state()["spans"].get(late.id))
    heard.clear()
    if root_id is not None:
        closed = await run.call(
            "finish(root span, control_signal_callback)",
            client.agent_spans.finish(
                root_id, status="cancelled", control_signal_callback=heard.append
            ),
        )
        run.equal("finish: control_signal_callback called with the reason", heard, [reason])
        check_span(run, "finish root answer", closed, run.state()["spans"].get(root_id))
    conflict = await run.refused(
        "finish(terminated instance)",
        client.agent_instances.finish(instance_id, status="complete"),
        409,
    )
    if conflict is not None:
        run.check(
            "finish(terminated instance): code given", bool(conflict.code), repr(conflict.code)
        )

    print("-- agent_instances.finish: a second instance, started with a timestamp")
    other_id = f"inst_compat_{run.suffix}"
    other = await run.call(
        "register(id=...)",
        client.agent_instances.register(
            agent_version,
            schema_version,
            agent_id=AGENT_ID,
            environment_id=ENVIRONMENT_ID,
            id=other_id,
        ),
    )
    run.check(
        "register(id=...): stored under the id given",
        other_id in run.state()["instances"],
        other_id,
    )
    if other is not None:
        run.equal("register(id=...): answer id", other.id, other_id)
    at = datetime.now(UTC) - timedelta(minutes=1)
    await run.call("start(timestamp)", client.agent_instances.start(other_id, timestamp=at))
    run.equal(
        "start(timestamp): stored started_at",
        _stamp(run.state()["instances"][other_id]["started_at"]),
        at,
    )
    end = datetime.now(UTC)
    finished = await run.call(
        "finish(status, timestamp, idempotency_key)",
        client.agent_instances.finish(
            other_id, status="failed", timestamp=end, idempotency_key=f"compat-fin-{run.suffix}"
        ),
    )
    stored = run.state()["instances"][other_id]
    run.equal("finish: stored status", stored["status"], "failed")
    run.equal("finish: stored finished_at", _stamp(stored["finished_at"]), end)
    check_instance(run, "finish answer", finished, stored)
    again = await run.call(
        "finish(same idempotency_key) replays",
        client.agent_instances.finish(
            other_id, status="failed", timestamp=end, idempotency_key=f"compat-fin-{run.suffix}"
        ),
    )
    if again is not None and finished is not None:
        run.equal("finish replay: same answer", again.model_dump(), finished.model_dump())
    effects = [
        e
        for e in run._control("effects")
        if e["resource_id"] == other_id and e["operation"] == "finishAgentInstance"
    ]
    run.equal("finish replay: one effect", len(effects), 1)


async def bulk(run: Run, client: PrefactorHttpClient) -> None:
    """bulk.execute: register and span create items, then an error item that stops processing."""
    print("-- bulk.execute")
    instance_id = f"inst_bulk_{run.suffix}"
    span_id = f"span_bulk_{run.suffix}"
    never_id = f"span_never_{run.suffix}"
    keys = [f"bulk-{step}-{run.suffix}" for step in ("register", "span", "bad", "after")]
    request = BulkRequest(
        items=[
            BulkItem(  # type: ignore[call-arg]
                _type="agent_instances/register",
                idempotency_key=keys[0],
                agent_id=AGENT_ID,
                environment_id=ENVIRONMENT_ID,
                id=instance_id,
                agent_version={
                    "name": "Bulk agent",
                    "external_identifier": f"bulk-v1-{run.suffix}",
                },
                agent_schema_version={
                    "external_identifier": f"bulk-schema-{run.suffix}",
                    "span_type_schemas": SPAN_TYPES,
                },
            ),
            BulkItem(  # type: ignore[call-arg]
                _type="agent_spans/create",
                idempotency_key=keys[1],
                agent_instance_id=instance_id,
                schema_name="agent:llm",
                status="active",
                id=span_id,
                payload={"model": "m-1", "prompt": "bulk"},
            ),
            BulkItem(  # type: ignore[call-arg]
                _type="agent_spans/finish",
                idempotency_key=keys[2],
                agent_span_id=f"span_missing_{run.suffix}",
                status="complete",
            ),
            BulkItem(  # type: ignore[call-arg]
                _type="agent_spans/create",
                idempotency_key=keys[3],
                agent_instance_id=instance_id,
                schema_name="agent:llm",
                status="active",
                id=never_id,
                payload={"model": "m-1", "prompt": "never"},
            ),
        ]
    )
    answer: BulkResponse | None = await run.call(
        "bulk.execute(4 items)", client.bulk.execute(request)
    )
    state = run.state()
    run.check(
        "bulk: stored the registered instance", instance_id in state["instances"], instance_id
    )
    run.check("bulk: stored the created span", span_id in state["spans"], span_id)
    run.check("bulk: nothing after the error item ran", never_id not in state["spans"], never_id)
    if answer is None:
        return
    run.equal("bulk: status", answer.status, "success")
    run.equal("bulk: output keys up to the error", sorted(answer.outputs), sorted(keys[:3]))
    statuses = {key: answer.outputs[key].status for key in keys[:3] if key in answer.outputs}
    run.equal(
        "bulk: output statuses",
        statuses,
        {keys[0]: "success", keys[1]: "success", keys[2]: "error"},
    )
    bad = answer.outputs.get(keys[2])
    extra = (bad.model_extra or {}) if bad is not None else {}
    run.check(
        "bulk: the error output has a code and message",
        bool(extra.get("code")) and bool(extra.get("message")),
        repr(extra),
    )
    registered = answer.outputs.get(keys[0])
    details = (
        ((registered.model_extra or {}).get("details") or {}) if registered is not None else {}
    )
    run.equal("bulk: register output details.id", details.get("id"), instance_id)
    if details:
        try:
            AgentInstance.model_validate(details)
        except Exception as exc:
            run.check(
                "bulk: register output details read as the public AgentInstance",
                False,
                _describe(exc),
            )
        else:
            run.check("bulk: register output details read as the public AgentInstance", True)


async def raw_requests(run: Run, client: PrefactorHttpClient) -> None:
    """request(): a GET, and a POST with idempotency_key sent twice (one effect)."""
    print("-- request() and validate_token()")
    ping = await run.call("validate_token()", client.validate_token())
    if ping is not None:
        run.equal("validate_token: status", ping.get("status"), "success")
    instance_id = f"inst_raw_{run.suffix}"
    body = {
        "agent_id": AGENT_ID,
        "environment_id": ENVIRONMENT_ID,
        "id": instance_id,
        "agent_version": {"name": "Raw agent", "external_identifier": f"raw-v1-{run.suffix}"},
        "agent_schema_version": {
            "external_identifier": f"raw-schema-{run.suffix}",
            "span_type_schemas": SPAN_TYPES,
        },
    }
    key = f"compat-raw-{run.suffix}"
    first = await run.call(
        "request(POST register, idempotency_key)",
        client.request(
            "POST", "/api/v1/agent_instance/register", json_data=body, idempotency_key=key
        ),
    )
    second = await run.call(
        "request(POST register, same idempotency_key) replays",
        client.request(
            "POST", "/api/v1/agent_instance/register", json_data=body, idempotency_key=key
        ),
    )
    if first is not None:
        run.equal("request(POST): status", first.get("status"), "success")
        run.equal("request(POST): details.id", (first.get("details") or {}).get("id"), instance_id)
    if first is not None and second is not None:
        run.equal("request(POST) replay: same answer", second, first)
    effects = [e for e in run._control("effects") if e["resource_id"] == instance_id]
    run.equal("request(POST): one effect for two sends", len(effects), 1)
    sent = [
        r
        for r in run.requests()
        if r["path"] == "/api/v1/agent_instance/register"
        and isinstance(r["json"], dict)
        and r["json"].get("id") == instance_id
    ]
    run.check(
        "request(POST): the key travels in the body or the Idempotency-Key header",
        bool(sent)
        and all(
            r["json"].get("idempotency_key") == key or r["headers"].get("idempotency-key") == key
            for r in sent
        ),
        repr(sent[:1]),
    )
    got = await run.call(
        "request(GET instance)", client.request("GET", f"/api/v1/agent_instance/{instance_id}")
    )
    if got is not None:
        run.equal("request(GET): status", got.get("status"), "success")
        stored = run.state()["instances"].get(instance_id)
        # A sparse server leaves null fields out; /_control/state keeps them.
        answered = {k: v for k, v in (got.get("details") or {}).items() if v is not None}
        expected = {k: v for k, v in (stored or {}).items() if v is not None}
        run.equal("request(GET): details are the stored instance", answered, expected)
    missing = await run.refused(
        "request(GET missing instance)",
        client.request("GET", f"/api/v1/agent_instance/inst_missing_{run.suffix}"),
        404,
    )
    if missing is not None:
        run.equal("request(GET missing): code", missing.code, "not_found")
    sdk = [r["headers"].get("x-prefactor-sdk", "") for r in run.requests()]
    run.check(
        "every request names the SDK in X-Prefactor-SDK",
        all("prefactor-http@" in s for s in sdk),
        repr(sorted(set(sdk))),
    )


async def main_async(url: str, token: str, mode: str) -> int:
    """Every step against the server at `url`; 0 when every check passed."""
    run = Run(url, mode)
    print(f"public client {public_version} against {url} (server mode {mode})")
    config = HttpClientConfig(
        api_url=url, api_token=token, max_retries=0, initial_retry_delay=0.01, max_retry_delay=0.05
    )
    async with PrefactorHttpClient(config) as client:
        for step in (instances_and_spans, bulk, raw_requests, agents):
            try:
                await step(run, client)
            except Exception:
                run.check(f"{step.__name__} ran to its end", False, traceback.format_exc(limit=3))
    print(f"\n{run.passed} checks passed, {len(run.failed)} failed (server mode {mode})")
    for name in run.failed:
        print(f"  failed: {name}")
    return 1 if run.failed else 0


def main() -> int:
    """Parse `--url`, `--token`, `--mode` and run."""
    parser = argparse.ArgumentParser(description="The public client against a local server.")
    parser.add_argument("--url", required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--mode", default="default")
    args = parser.parse_args()
    return asyncio.run(main_async(args.url, args.token, args.mode))


if __name__ == "__main__":
    sys.exit(main())
