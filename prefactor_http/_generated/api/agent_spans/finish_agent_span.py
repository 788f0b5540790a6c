from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.agent_span_envelope import AgentSpanEnvelope
from ...models.error_envelope import ErrorEnvelope
from ...models.finish_agent_span_request import FinishAgentSpanRequest
from ...types import Response


def _get_kwargs(
    agent_span_id: str,
    *,
    body: FinishAgentSpanRequest,
) -> dict[str, Any]:
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


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> AgentSpanEnvelope | ErrorEnvelope | None:
    if response.status_code == 200:
        response_200 = AgentSpanEnvelope.from_dict(response.json())

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

    if response.status_code == 409:
        response_409 = ErrorEnvelope.from_dict(response.json())

        return response_409

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
) -> Response[AgentSpanEnvelope | ErrorEnvelope]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    agent_span_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: FinishAgentSpanRequest,
) -> Response[AgentSpanEnvelope | ErrorEnvelope]:
    """Mark a span as finished.

    Args:
        agent_span_id (str):
        body (FinishAgentSpanRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AgentSpanEnvelope | ErrorEnvelope]
    """

    kwargs = _get_kwargs(
        agent_span_id=agent_span_id,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    agent_span_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: FinishAgentSpanRequest,
) -> AgentSpanEnvelope | ErrorEnvelope | None:
    """Mark a span as finished.

    Args:
        agent_span_id (str):
        body (FinishAgentSpanRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AgentSpanEnvelope | ErrorEnvelope
    """

    return sync_detailed(
        agent_span_id=agent_span_id,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    agent_span_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: FinishAgentSpanRequest,
) -> Response[AgentSpanEnvelope | ErrorEnvelope]:
    """Mark a span as finished.

    Args:
        agent_span_id (str):
        body (FinishAgentSpanRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AgentSpanEnvelope | ErrorEnvelope]
    """

    kwargs = _get_kwargs(
        agent_span_id=agent_span_id,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    agent_span_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: FinishAgentSpanRequest,
) -> AgentSpanEnvelope | ErrorEnvelope | None:
    """Mark a span as finished.

    Args:
        agent_span_id (str):
        body (FinishAgentSpanRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AgentSpanEnvelope | ErrorEnvelope
    """

    return (
        await asyncio_detailed(
            agent_span_id=agent_span_id,
            client=client,
            body=body,
        )
    ).parsed
