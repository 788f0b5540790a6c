from typing import Any
from urllib.parse import quote


def build_request(
    agent_id: str,
) -> dict[str, Any]:
    """The httpx request arguments (method, url, params, headers, json) of `get_agent`.

    Fetch one agent.
    """

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/agent/{agent_id}".format(
            agent_id=quote(str(agent_id), safe=""),
        ),
    }

    return _kwargs
