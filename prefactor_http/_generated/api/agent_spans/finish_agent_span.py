from typing import Any
from urllib.parse import quote

from ...models.finish_agent_span_request import FinishAgentSpanRequest


def build_request(
    agent_span_id: str,
    *,
    body: FinishAgentSpanRequest,
) -> dict[str, Any]:
    """The httpx request arguments (method, url, params, headers, json) of `finish_agent_span`.

    Mark a span as finished.
    """
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/agent_spans/{agent_span_id}/finish".format(
            agent_span_id=quote(str(agent_span_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs
