from typing import Any

from ...models.show_agent_include_counts import (
    ShowAgentIncludeCounts,
)
from ...models.show_agent_include_risk_rollup import (
    ShowAgentIncludeRiskRollup,
)
from ...types import UNSET, Unset


def build_request(
    *,
    agent_id: str | Unset = UNSET,
    external_identifier: str | Unset = UNSET,
    environment_id: str | Unset = UNSET,
    include_counts: ShowAgentIncludeCounts | Unset = UNSET,
    include_risk_rollup: ShowAgentIncludeRiskRollup | Unset = UNSET,
) -> dict[str, Any]:
    """The httpx request arguments (method, url, params, headers, json) of `show_agent`.

    Fetch one agent by id or by external identifier, with optional extras.
    """

    params: dict[str, Any] = {}

    params["agent_id"] = agent_id

    params["external_identifier"] = external_identifier

    params["environment_id"] = environment_id

    json_include_counts: str | Unset = UNSET
    if not isinstance(include_counts, Unset):
        json_include_counts = include_counts

    params["include_counts"] = json_include_counts

    json_include_risk_rollup: str | Unset = UNSET
    if not isinstance(include_risk_rollup, Unset):
        json_include_risk_rollup = include_risk_rollup

    params["include_risk_rollup"] = json_include_risk_rollup

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/agent/show",
        "params": params,
    }

    return _kwargs
