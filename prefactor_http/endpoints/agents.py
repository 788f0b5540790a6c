"""Agents: create, change, list, retire, reinstate and delete the agents themselves."""

from __future__ import annotations

from collections import deque
from collections.abc import AsyncIterator, Callable, Collection, Mapping
from typing import TYPE_CHECKING, Any, Literal

from prefactor_http._operations import agents as operations
from prefactor_http.models.agent import (
    Agent,
    AgentForCreate,
    AgentForUpdate,
    AgentPage,
    AgentSorting,
    AgentSummary,
)

if TYPE_CHECKING:
    from prefactor_http._operations._core import Call
    from prefactor_http.client import PrefactorHttpClient

__all__ = ["AgentClient", "AgentPages"]

Clearable = Literal["owner_person_id", "risk_profile_id", "team_id"]


class AgentClient:
    """Create, fetch, change, list, retire, reinstate and delete agents.

    `details` is an AgentForCreate / AgentForUpdate (or a dict of its
    fields); None in it means "not given". Every method also takes `timeout`
    (seconds for the whole call, retries included) and `max_retries`, which
    override the config for that one call.
    """

    def __init__(self, http_client: PrefactorHttpClient) -> None:
        self._http = http_client

    async def create(
        self,
        details: AgentForCreate | Mapping[str, Any],
        idempotency_key: str | None = None,
        *,
        timeout: float | None = None,
        max_retries: int | None = None,
    ) -> Agent:
        """Create an agent: `POST /api/v1/agent`."""
        return await self._http._execute(
            operations.create(details=details, idempotency_key=idempotency_key),
            timeout,
            max_retries,
        )

    async def get(
        self, agent_id: str, *, timeout: float | None = None, max_retries: int | None = None
    ) -> Agent:
        """Fetch an agent: `GET /api/v1/agent/{agent_id}`."""
        return await self._http._execute(operations.get(agent_id=agent_id), timeout, max_retries)

    async def update(
        self,
        agent_id: str,
        details: AgentForUpdate | Mapping[str, Any],
        idempotency_key: str | None = None,
        *,
        clear: Collection[Clearable] | None = None,
        timeout: float | None = None,
        max_retries: int | None = None,
    ) -> Agent:
        """Change the fields `details` gives: `PUT /api/v1/agent/{agent_id}`.

        Fields left None keep their value. `clear` names fields to empty
        (`owner_person_id`, `risk_profile_id`, `team_id`): they are sent as null.
        """
        return await self._http._execute(
            operations.update(
                agent_id=agent_id, details=details, idempotency_key=idempotency_key, clear=clear
            ),
            timeout,
            max_retries,
        )

    async def list_agents(
        self,
        risk_profile_id: str | None = None,
        team_id: str | None = None,
        owner_person_id: str | None = None,
        sorting: AgentSorting | None = None,
        offset: int | None = None,
        page_size: int | None = None,
        *,
        timeout: float | None = None,
        max_retries: int | None = None,
    ) -> list[AgentSummary]:
        """One page of agents: `GET /api/v1/agent` (`iter_agents` walks every page).

        `sorting` is a field, `-` in front for descending (`"name"`, `"-id"`);
        `offset` is zero-based and `page_size` 1 to 100.
        """
        page = await self.list_page(
            risk_profile_id,
            team_id,
            owner_person_id,
            sorting,
            offset,
            page_size,
            timeout=timeout,
            max_retries=max_retries,
        )
        return list(page.summaries)

    async def list_page(
        self,
        risk_profile_id: str | None = None,
        team_id: str | None = None,
        owner_person_id: str | None = None,
        sorting: AgentSorting | None = None,
        offset: int | None = None,
        page_size: int | None = None,
        *,
        timeout: float | None = None,
        max_retries: int | None = None,
    ) -> AgentPage:
        """As `list_agents`, with the whole answer: `summaries`, `pagination`, `sorting`."""
        call = operations.list_page(
            risk_profile_id=risk_profile_id,
            team_id=team_id,
            owner_person_id=owner_person_id,
            sorting=sorting,
            offset=offset,
            page_size=page_size,
        )
        return await self._http._execute(call, timeout, max_retries)

    def iter_agents(
        self,
        risk_profile_id: str | None = None,
        team_id: str | None = None,
        owner_person_id: str | None = None,
        sorting: AgentSorting | None = None,
        *,
        page_size: int = operations.ITERATION_PAGE_SIZE,
        timeout: float | None = None,
        max_retries: int | None = None,
    ) -> AsyncIterator[AgentSummary]:
        """Every agent, page after page (`async for agent in client.agents.iter_agents():`).

        Arguments are checked now; each page is fetched when iteration
        reaches it, following `next_page_offset`. `timeout` and
        `max_retries` apply to each page's request.
        """

        def page_at(offset: int | None) -> Call[AgentPage]:
            return operations.list_page(
                risk_profile_id=risk_profile_id,
                team_id=team_id,
                owner_person_id=owner_person_id,
                sorting=sorting,
                offset=offset,
                page_size=page_size,
                moving=True,
            )

        first = page_at(None)  # checks the arguments now, before any iteration
        return AgentPages(self._http, first, page_at, timeout, max_retries)

    async def show(
        self,
        *,
        agent_id: str | None = None,
        external_identifier: str | None = None,
        environment_id: str | None = None,
        include_counts: bool = False,
        include_risk_rollup: bool = False,
        timeout: float | None = None,
        max_retries: int | None = None,
    ) -> Agent:
        """Fetch an agent by id or external identifier: `GET /api/v1/agent/show`.

        Give exactly one of `agent_id` and `external_identifier`.
        `include_counts` adds `instance_counts` (in `environment_id` when
        given); `include_risk_rollup` adds `risk_rollup`, kept in the
        agent's `additional_properties`.
        """
        call = operations.show(
            agent_id=agent_id,
            external_identifier=external_identifier,
            environment_id=environment_id,
            include_counts=include_counts,
            include_risk_rollup=include_risk_rollup,
        )
        return await self._http._execute(call, timeout, max_retries)

    async def retire(
        self,
        agent_id: str,
        idempotency_key: str | None = None,
        *,
        timeout: float | None = None,
        max_retries: int | None = None,
    ) -> Agent:
        """Retire an agent: `POST /api/v1/agent/{agent_id}/retire` (409 if already retired)."""
        return await self._http._execute(
            operations.retire(agent_id=agent_id, idempotency_key=idempotency_key),
            timeout,
            max_retries,
        )

    async def reinstate(
        self,
        agent_id: str,
        idempotency_key: str | None = None,
        *,
        timeout: float | None = None,
        max_retries: int | None = None,
    ) -> Agent:
        """Bring a retired agent back: `POST /api/v1/agent/{agent_id}/reinstate` (409 if not)."""
        return await self._http._execute(
            operations.reinstate(agent_id=agent_id, idempotency_key=idempotency_key),
            timeout,
            max_retries,
        )

    async def delete(
        self,
        agent_id: str,
        idempotency_key: str | None = None,
        *,
        timeout: float | None = None,
        max_retries: int | None = None,
    ) -> Agent:
        """Delete an agent: `DELETE /api/v1/agent/{agent_id}`; returns it as it was.

        The agent's `available_actions.delete` says whether the API allows it
        (409 otherwise).
        """
        return await self._http._execute(
            operations.delete(agent_id=agent_id, idempotency_key=idempotency_key),
            timeout,
            max_retries,
        )


class AgentPages:
    """The agents of every page, fetched one page at a time as iteration reaches it."""

    def __init__(
        self,
        http_client: PrefactorHttpClient,
        first: Call[AgentPage],
        page_at: Callable[[int], Call[AgentPage]],
        timeout: float | None,
        max_retries: int | None,
    ) -> None:
        self._http = http_client
        self._next: Call[AgentPage] | None = first
        self._page_at = page_at
        self._timeout = timeout
        self._max_retries = max_retries
        self._buffer: deque[AgentSummary] = deque()

    def __aiter__(self) -> AgentPages:
        return self

    async def __anext__(self) -> AgentSummary:
        while not self._buffer:
            call = self._next
            if call is None:
                raise StopAsyncIteration
            page = await self._http._execute(call, self._timeout, self._max_retries)
            following = operations.next_offset(page)
            self._next = None if following is None else self._page_at(following)
            self._buffer.extend(page.summaries)
        return self._buffer.popleft()
