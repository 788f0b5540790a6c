from typing import Any
from urllib.parse import quote

from ...models.update_agent_request import UpdateAgentRequest


def build_request(
    agent_id: str,
    *,
    body: UpdateAgentRequest,
) -> dict[str, Any]:
    """The httpx request arguments (method, url, params, headers, json) of `update_agent`.

    Change some of an agent's fields.
    """
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "put",
        "url": "/api/v1/agent/{agent_id}".format(
            agent_id=quote(str(agent_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs
