"""Bulk items and a bulk handler that answers like the API, for the bulk and writer tests."""

from __future__ import annotations

import json

from conftest import error, sent, span_json, success
from werkzeug import Request, Response

from prefactor_http import BulkItem


def span_items(count: int, prefix: str = "span-key") -> list[BulkItem]:
    return [
        BulkItem(
            _type="agent_spans/create",
            idempotency_key=f"{prefix}-{index:04d}",
            agent_instance_id="inst-1",
            schema_name="agent:llm",
            status="active",
            payload={"n": index},
        )
        for index in range(count)
    ]


def keys_of(items: list[BulkItem]) -> list[str]:
    return [item.idempotency_key for item in items]


def echo_bulk(refuse: frozenset[str] = frozenset(), fail_request: int | None = None):
    """A bulk handler that runs items in order like the API: success, or stop at a refused key.

    `fail_request` (0-based) answers that request with a 500 instead.
    """
    seen = []

    def handle(request: Request) -> Response:
        seen.append(request)
        if fail_request is not None and len(seen) == fail_request + 1:
            return Response(
                json.dumps(error("internal", "boom")), 500, content_type="application/json"
            )
        outputs = {}
        for item in json.loads(request.get_data())["items"]:
            key = item["idempotency_key"]
            if key in refuse:
                outputs[key] = error("validation_error", f"{key} is bad")
                break
            outputs[key] = success(span_json(id=key))
        body = {"status": "success", "outputs": outputs}
        return Response(json.dumps(body), 200, content_type="application/json")

    return handle


def sent_keys(server) -> list[list[str]]:
    return [[item["idempotency_key"] for item in body["items"]] for *_, body in sent(server)]


def span_item(key: str, **payload: object) -> BulkItem:
    return BulkItem(
        _type="agent_spans/create",
        idempotency_key=key,
        agent_instance_id="inst-1",
        schema_name="agent:llm",
        status="active",
        payload=payload,
    )
