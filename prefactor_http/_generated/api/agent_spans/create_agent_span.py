from typing import Any

from ...models.create_agent_span_request import CreateAgentSpanRequest


def build_request(
    *,
    body: CreateAgentSpanRequest,
) -> dict[str, Any]:
    """The httpx request arguments (method, url, params, headers, json) of `create_agent_span`.

    Create a span inside an agent instance.
    """
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/agent_spans",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs
