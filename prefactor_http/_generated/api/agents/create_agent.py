from typing import Any

from ...models.create_agent_request import CreateAgentRequest


def build_request(
    *,
    body: CreateAgentRequest,
) -> dict[str, Any]:
    """The httpx request arguments (method, url, params, headers, json) of `create_agent`.

    Create an agent.
    """
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/agent",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs
