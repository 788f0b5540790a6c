"""The public client's `agent_instances` and `agent_spans`, as a black box, against our server.

Imported by `public_client_run.py` (in the compat venv, beside it): one
step that registers, starts, records quality on, reads, and finishes
instances, creates and finishes spans, and follows a control signal from
the platform; each answer is checked against what the server stored.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from public_checks import (
    AGENT_ID,
    ENVIRONMENT_ID,
    SPAN_TYPES,
    Run,
    check_instance,
    check_span,
    newest,
    stamp,
)

from prefactor_http import PrefactorHttpClient

QUALITY = "helpfulness"


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
    stored = newest(run.state(), "instances", external_identifier=external)
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
    root_stored = newest(run.state(), "spans", agent_instance_id=instance_id, parent_span_id=None)
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
        run.equal("create child: stored started_at", stamp(child_stored["started_at"]), started_at)

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
            "finish child: stored finished_at", stamp(child_stored["finished_at"]), finished_at
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
        stamp(run.state()["instances"][other_id]["started_at"]),
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
    run.equal("finish: stored finished_at", stamp(stored["finished_at"]), end)
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
