"""The public client's `bulk.execute`, as a black box, against our local server.

Imported by `public_client_run.py` (in the compat venv, beside it): one
request of four items, the third of which fails and stops the fourth;
the outputs and what the server stored are checked.
"""

from __future__ import annotations

from public_checks import AGENT_ID, ENVIRONMENT_ID, SPAN_TYPES, Run, describe

from prefactor_http import (
    AgentInstance,
    BulkItem,
    BulkRequest,
    BulkResponse,
    PrefactorHttpClient,
)


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
                describe(exc),
            )
        else:
            run.check("bulk: register output details read as the public AgentInstance", True)
