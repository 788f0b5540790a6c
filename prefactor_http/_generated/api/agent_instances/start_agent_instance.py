from typing import Any
from urllib.parse import quote

from ...models.start_agent_instance_request import StartAgentInstanceRequest


def build_request(
    agent_instance_id: str,
    *,
    body: StartAgentInstanceRequest,
) -> dict[str, Any]:
    """The httpx request arguments (method, url, params, headers, json) of `start_agent_instance`.

    Mark an agent instance as started.
    """
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/agent_instance/{agent_instance_id}/start".format(
            agent_instance_id=quote(str(agent_instance_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs
