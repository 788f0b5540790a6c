from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.agent_list_envelope import AgentListEnvelope
from ...models.agent_sorting import AgentSorting
from ...models.error_envelope import ErrorEnvelope
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    risk_profile_id: str | Unset = UNSET,
    team_id: str | Unset = UNSET,
    owner_person_id: str | Unset = UNSET,
    sorting: AgentSorting | Unset = UNSET,
    paginationoffset: int | Unset = UNSET,
    paginationpage_size: int | Unset = UNSET,
) -> dict[str, Any]:

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


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> AgentListEnvelope | ErrorEnvelope | None:
    if response.status_code == 200:
        response_200 = AgentListEnvelope.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = ErrorEnvelope.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = ErrorEnvelope.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = ErrorEnvelope.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = ErrorEnvelope.from_dict(response.json())

        return response_404

    if response.status_code == 422:
        response_422 = ErrorEnvelope.from_dict(response.json())

        return response_422

    if response.status_code == 429:
        response_429 = ErrorEnvelope.from_dict(response.json())

        return response_429

    if response.status_code == 500:
        response_500 = ErrorEnvelope.from_dict(response.json())

        return response_500

    if response.status_code == 501:
        response_501 = ErrorEnvelope.from_dict(response.json())

        return response_501

    if response.status_code == 502:
        response_502 = ErrorEnvelope.from_dict(response.json())

        return response_502

    if response.status_code == 503:
        response_503 = ErrorEnvelope.from_dict(response.json())

        return response_503

    if response.status_code == 504:
        response_504 = ErrorEnvelope.from_dict(response.json())

        return response_504

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[AgentListEnvelope | ErrorEnvelope]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    risk_profile_id: str | Unset = UNSET,
    team_id: str | Unset = UNSET,
    owner_person_id: str | Unset = UNSET,
    sorting: AgentSorting | Unset = UNSET,
    paginationoffset: int | Unset = UNSET,
    paginationpage_size: int | Unset = UNSET,
) -> Response[AgentListEnvelope | ErrorEnvelope]:
    """List agents, a page at a time, filtered and sorted.

     Assumed: retired agents are listed too; without `sorting` agents
    come in creation order and `sorting` is null in the answer; without
    either paging parameter every agent comes in one answer with
    `pagination` null, and with one of them a page holds
    `pagination[page_size]` agents (20 when only the offset is given).
    The existing client (0.4.3) fails on an answer without `pagination`,
    `sorting` or any pagination field, so the hosted API evidently sends
    them all, null where there is no value; this client does not need them.

    Args:
        risk_profile_id (str | Unset):
        team_id (str | Unset):
        owner_person_id (str | Unset):
        sorting (AgentSorting | Unset): How `listAgents` sorts: a field, with `-` in front for
            descending.
            Assumed: these five fields are the sortable ones.
        paginationoffset (int | Unset):
        paginationpage_size (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AgentListEnvelope | ErrorEnvelope]
    """

    kwargs = _get_kwargs(
        risk_profile_id=risk_profile_id,
        team_id=team_id,
        owner_person_id=owner_person_id,
        sorting=sorting,
        paginationoffset=paginationoffset,
        paginationpage_size=paginationpage_size,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    risk_profile_id: str | Unset = UNSET,
    team_id: str | Unset = UNSET,
    owner_person_id: str | Unset = UNSET,
    sorting: AgentSorting | Unset = UNSET,
    paginationoffset: int | Unset = UNSET,
    paginationpage_size: int | Unset = UNSET,
) -> AgentListEnvelope | ErrorEnvelope | None:
    """List agents, a page at a time, filtered and sorted.

     Assumed: retired agents are listed too; without `sorting` agents
    come in creation order and `sorting` is null in the answer; without
    either paging parameter every agent comes in one answer with
    `pagination` null, and with one of them a page holds
    `pagination[page_size]` agents (20 when only the offset is given).
    The existing client (0.4.3) fails on an answer without `pagination`,
    `sorting` or any pagination field, so the hosted API evidently sends
    them all, null where there is no value; this client does not need them.

    Args:
        risk_profile_id (str | Unset):
        team_id (str | Unset):
        owner_person_id (str | Unset):
        sorting (AgentSorting | Unset): How `listAgents` sorts: a field, with `-` in front for
            descending.
            Assumed: these five fields are the sortable ones.
        paginationoffset (int | Unset):
        paginationpage_size (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AgentListEnvelope | ErrorEnvelope
    """

    return sync_detailed(
        client=client,
        risk_profile_id=risk_profile_id,
        team_id=team_id,
        owner_person_id=owner_person_id,
        sorting=sorting,
        paginationoffset=paginationoffset,
        paginationpage_size=paginationpage_size,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    risk_profile_id: str | Unset = UNSET,
    team_id: str | Unset = UNSET,
    owner_person_id: str | Unset = UNSET,
    sorting: AgentSorting | Unset = UNSET,
    paginationoffset: int | Unset = UNSET,
    paginationpage_size: int | Unset = UNSET,
) -> Response[AgentListEnvelope | ErrorEnvelope]:
    """List agents, a page at a time, filtered and sorted.

     Assumed: retired agents are listed too; without `sorting` agents
    come in creation order and `sorting` is null in the answer; without
    either paging parameter every agent comes in one answer with
    `pagination` null, and with one of them a page holds
    `pagination[page_size]` agents (20 when only the offset is given).
    The existing client (0.4.3) fails on an answer without `pagination`,
    `sorting` or any pagination field, so the hosted API evidently sends
    them all, null where there is no value; this client does not need them.

    Args:
        risk_profile_id (str | Unset):
        team_id (str | Unset):
        owner_person_id (str | Unset):
        sorting (AgentSorting | Unset): How `listAgents` sorts: a field, with `-` in front for
            descending.
            Assumed: these five fields are the sortable ones.
        paginationoffset (int | Unset):
        paginationpage_size (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AgentListEnvelope | ErrorEnvelope]
    """

    kwargs = _get_kwargs(
        risk_profile_id=risk_profile_id,
        team_id=team_id,
        owner_person_id=owner_person_id,
        sorting=sorting,
        paginationoffset=paginationoffset,
        paginationpage_size=paginationpage_size,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    risk_profile_id: str | Unset = UNSET,
    team_id: str | Unset = UNSET,
    owner_person_id: str | Unset = UNSET,
    sorting: AgentSorting | Unset = UNSET,
    paginationoffset: int | Unset = UNSET,
    paginationpage_size: int | Unset = UNSET,
) -> AgentListEnvelope | ErrorEnvelope | None:
    """List agents, a page at a time, filtered and sorted.

     Assumed: retired agents are listed too; without `sorting` agents
    come in creation order and `sorting` is null in the answer; without
    either paging parameter every agent comes in one answer with
    `pagination` null, and with one of them a page holds
    `pagination[page_size]` agents (20 when only the offset is given).
    The existing client (0.4.3) fails on an answer without `pagination`,
    `sorting` or any pagination field, so the hosted API evidently sends
    them all, null where there is no value; this client does not need them.

    Args:
        risk_profile_id (str | Unset):
        team_id (str | Unset):
        owner_person_id (str | Unset):
        sorting (AgentSorting | Unset): How `listAgents` sorts: a field, with `-` in front for
            descending.
            Assumed: these five fields are the sortable ones.
        paginationoffset (int | Unset):
        paginationpage_size (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AgentListEnvelope | ErrorEnvelope
    """

    return (
        await asyncio_detailed(
            client=client,
            risk_profile_id=risk_profile_id,
            team_id=team_id,
            owner_person_id=owner_person_id,
            sorting=sorting,
            paginationoffset=paginationoffset,
            paginationpage_size=paginationpage_size,
        )
    ).parsed
