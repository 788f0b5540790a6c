from typing import Any
from urllib.parse import quote

from ...models.record_quality_request import RecordQualityRequest


def build_request(
    agent_instance_id: str,
    *,
    body: RecordQualityRequest,
) -> dict[str, Any]:
    """The httpx request arguments (method, url, params, headers, json) of `record_agent_instance_quality`.

    Record a named quality payload (an evaluation) on an agent instance.
    """
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/agent_instance/{agent_instance_id}/record_quality".format(
            agent_instance_id=quote(str(agent_instance_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs
