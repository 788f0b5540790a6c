from typing import Any

from ...models.register_agent_instance_request import RegisterAgentInstanceRequest


def build_request(
    *,
    body: RegisterAgentInstanceRequest,
) -> dict[str, Any]:
    """The httpx request arguments (method, url, params, headers, json) of `register_agent_instance`.

    Register a new agent instance, with its agent version and span schemas.
    """
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/agent_instance/register",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs
