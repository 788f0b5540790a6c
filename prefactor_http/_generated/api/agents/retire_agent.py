from typing import Any
from urllib.parse import quote

from ...models.agent_action_request import AgentActionRequest
from ...types import UNSET, Unset


def build_request(
    agent_id: str,
    *,
    body: AgentActionRequest | Unset = UNSET,
) -> dict[str, Any]:
    """The httpx request arguments (method, url, params, headers, json) of `retire_agent`.

    Retire an agent.
    """
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/agent/{agent_id}/retire".format(
            agent_id=quote(str(agent_id), safe=""),
        ),
    }

    if not isinstance(body, Unset):
        _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs
