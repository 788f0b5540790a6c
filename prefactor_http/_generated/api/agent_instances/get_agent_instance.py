from typing import Any
from urllib.parse import quote


def build_request(
    agent_instance_id: str,
) -> dict[str, Any]:
    """The httpx request arguments (method, url, params, headers, json) of `get_agent_instance`.

    Fetch one agent instance.
    """

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/agent_instance/{agent_instance_id}".format(
            agent_instance_id=quote(str(agent_instance_id), safe=""),
        ),
    }

    return _kwargs
