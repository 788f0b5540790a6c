"""The public client's `request()` and `validate_token()`, as a black box, against our server.

Imported by `public_client_run.py` (in the compat venv, beside it): a raw
POST sent twice with one idempotency key (one effect), raw GETs of a
stored and a missing instance, and the SDK header on every request.
"""

from __future__ import annotations

from public_checks import AGENT_ID, ENVIRONMENT_ID, SPAN_TYPES, Run

from prefactor_http import PrefactorHttpClient


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
