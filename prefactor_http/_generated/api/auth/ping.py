from typing import Any


def build_request() -> dict[str, Any]:
    """The httpx request arguments (method, url, params, headers, json) of `ping`.

    Check that the API token is accepted.
    """

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/ping",
    }

    return _kwargs
