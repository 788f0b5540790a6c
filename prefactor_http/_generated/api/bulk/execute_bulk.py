from typing import Any

from ...models.bulk_request import BulkRequest


def build_request(
    *,
    body: BulkRequest,
) -> dict[str, Any]:
    """The httpx request arguments (method, url, params, headers, json) of `execute_bulk`.

    Run many actions in one request.
    """
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/bulk",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs
