from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.agent_envelope import AgentEnvelope
from ...models.error_envelope import ErrorEnvelope
from ...models.show_agent_include_counts import (
    ShowAgentIncludeCounts,
)
from ...models.show_agent_include_risk_rollup import (
    ShowAgentIncludeRiskRollup,
)
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    agent_id: str | Unset = UNSET,
    external_identifier: str | Unset = UNSET,
    environment_id: str | Unset = UNSET,
    include_counts: ShowAgentIncludeCounts | Unset = UNSET,
    include_risk_rollup: ShowAgentIncludeRiskRollup | Unset = UNSET,
) -> dict[str, Any]:

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


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> AgentEnvelope | ErrorEnvelope | None:
    if response.status_code == 200:
        response_200 = AgentEnvelope.from_dict(response.json())

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
) -> Response[AgentEnvelope | ErrorEnvelope]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    agent_id: str | Unset = UNSET,
    external_identifier: str | Unset = UNSET,
    environment_id: str | Unset = UNSET,
    include_counts: ShowAgentIncludeCounts | Unset = UNSET,
    include_risk_rollup: ShowAgentIncludeRiskRollup | Unset = UNSET,
) -> Response[AgentEnvelope | ErrorEnvelope]:
    """Fetch one agent by id or by external identifier, with optional extras.

     Exactly one of `agent_id` and `external_identifier` names the agent.
    `include_counts=true` adds `instance_counts` (Assumed: counted in
    `environment_id` when given, else in every environment; and left
    out, as on every other agent answer, without it).
    `include_risk_rollup=true` adds `risk_rollup` (Assumed: an object
    whose shape is not described here; it is kept as an unknown field).

    Args:
        agent_id (str | Unset):
        external_identifier (str | Unset):
        environment_id (str | Unset):
        include_counts (ShowAgentIncludeCounts | Unset):
        include_risk_rollup (ShowAgentIncludeRiskRollup | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AgentEnvelope | ErrorEnvelope]
    """

    kwargs = _get_kwargs(
        agent_id=agent_id,
        external_identifier=external_identifier,
        environment_id=environment_id,
        include_counts=include_counts,
        include_risk_rollup=include_risk_rollup,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    agent_id: str | Unset = UNSET,
    external_identifier: str | Unset = UNSET,
    environment_id: str | Unset = UNSET,
    include_counts: ShowAgentIncludeCounts | Unset = UNSET,
    include_risk_rollup: ShowAgentIncludeRiskRollup | Unset = UNSET,
) -> AgentEnvelope | ErrorEnvelope | None:
    """Fetch one agent by id or by external identifier, with optional extras.

     Exactly one of `agent_id` and `external_identifier` names the agent.
    `include_counts=true` adds `instance_counts` (Assumed: counted in
    `environment_id` when given, else in every environment; and left
    out, as on every other agent answer, without it).
    `include_risk_rollup=true` adds `risk_rollup` (Assumed: an object
    whose shape is not described here; it is kept as an unknown field).

    Args:
        agent_id (str | Unset):
        external_identifier (str | Unset):
        environment_id (str | Unset):
        include_counts (ShowAgentIncludeCounts | Unset):
        include_risk_rollup (ShowAgentIncludeRiskRollup | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AgentEnvelope | ErrorEnvelope
    """

    return sync_detailed(
        client=client,
        agent_id=agent_id,
        external_identifier=external_identifier,
        environment_id=environment_id,
        include_counts=include_counts,
        include_risk_rollup=include_risk_rollup,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    agent_id: str | Unset = UNSET,
    external_identifier: str | Unset = UNSET,
    environment_id: str | Unset = UNSET,
    include_counts: ShowAgentIncludeCounts | Unset = UNSET,
    include_risk_rollup: ShowAgentIncludeRiskRollup | Unset = UNSET,
) -> Response[AgentEnvelope | ErrorEnvelope]:
    """Fetch one agent by id or by external identifier, with optional extras.

     Exactly one of `agent_id` and `external_identifier` names the agent.
    `include_counts=true` adds `instance_counts` (Assumed: counted in
    `environment_id` when given, else in every environment; and left
    out, as on every other agent answer, without it).
    `include_risk_rollup=true` adds `risk_rollup` (Assumed: an object
    whose shape is not described here; it is kept as an unknown field).

    Args:
        agent_id (str | Unset):
        external_identifier (str | Unset):
        environment_id (str | Unset):
        include_counts (ShowAgentIncludeCounts | Unset):
        include_risk_rollup (ShowAgentIncludeRiskRollup | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AgentEnvelope | ErrorEnvelope]
    """

    kwargs = _get_kwargs(
        agent_id=agent_id,
        external_identifier=external_identifier,
        environment_id=environment_id,
        include_counts=include_counts,
        include_risk_rollup=include_risk_rollup,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    agent_id: str | Unset = UNSET,
    external_identifier: str | Unset = UNSET,
    environment_id: str | Unset = UNSET,
    include_counts: ShowAgentIncludeCounts | Unset = UNSET,
    include_risk_rollup: ShowAgentIncludeRiskRollup | Unset = UNSET,
) -> AgentEnvelope | ErrorEnvelope | None:
    """Fetch one agent by id or by external identifier, with optional extras.

     Exactly one of `agent_id` and `external_identifier` names the agent.
    `include_counts=true` adds `instance_counts` (Assumed: counted in
    `environment_id` when given, else in every environment; and left
    out, as on every other agent answer, without it).
    `include_risk_rollup=true` adds `risk_rollup` (Assumed: an object
    whose shape is not described here; it is kept as an unknown field).

    Args:
        agent_id (str | Unset):
        external_identifier (str | Unset):
        environment_id (str | Unset):
        include_counts (ShowAgentIncludeCounts | Unset):
        include_risk_rollup (ShowAgentIncludeRiskRollup | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AgentEnvelope | ErrorEnvelope
    """

    return (
        await asyncio_detailed(
            client=client,
            agent_id=agent_id,
            external_identifier=external_identifier,
            environment_id=environment_id,
            include_counts=include_counts,
            include_risk_rollup=include_risk_rollup,
        )
    ).parsed
