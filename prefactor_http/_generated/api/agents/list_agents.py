from typing import Any

from ...models.agent_sorting import AgentSorting
from ...types import UNSET, Unset


def build_request(
    *,
    risk_profile_id: str | Unset = UNSET,
    team_id: str | Unset = UNSET,
    owner_person_id: str | Unset = UNSET,
    sorting: AgentSorting | Unset = UNSET,
    paginationoffset: int | Unset = UNSET,
    paginationpage_size: int | Unset = UNSET,
) -> dict[str, Any]:
    """The httpx request arguments (method, url, params, headers, json) of `list_agents`.

    List agents, a page at a time, filtered and sorted.
    """

    params: dict[str, Any] = {}

    params["risk_profile_id"] = risk_profile_id

    params["team_id"] = team_id

    params["owner_person_id"] = owner_person_id

    json_sorting: str | Unset = UNSET
    if not isinstance(sorting, Unset):
        json_sorting = sorting

    params["sorting"] = json_sorting

    params["pagination[offset]"] = paginationoffset

    params["pagination[page_size]"] = paginationpage_size

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/agent",
        "params": params,
    }

    return _kwargs
