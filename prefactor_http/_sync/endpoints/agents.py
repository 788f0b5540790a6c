# Generated from prefactor_http/endpoints/agents.py by scripts/unasync.py.
# Do not edit: change the async source, then run `make generate`.
"""Agents: create, change, list, retire, reinstate and delete the agents themselves.

Each method is its operation in full: it checks its arguments (before
anything is sent), fills the generated request model and hands the `Call`
to the client's retry loop; `_list_call` is the one page both `list_page`
and `iter_agents` ask for. The checks of `details` and `clear` (create,
update) are in `_operations/agent_details.py`.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Collection, Iterator, Mapping
from typing import TYPE_CHECKING, Any

from prefactor_http import _validate
from prefactor_http._bodies import Answer
from prefactor_http._generated import limits
from prefactor_http._generated.api.agents import (
    create_agent,
    delete_agent,
    get_agent,
    list_agents,
    reinstate_agent,
    retire_agent,
    show_agent,
    update_agent,
)
from prefactor_http._generated.models.agent_action_request import AgentActionRequest
from prefactor_http._generated.models.agent_envelope import AgentEnvelope
from prefactor_http._generated.models.create_agent_request import CreateAgentRequest
from prefactor_http._generated.models.update_agent_request import UpdateAgentRequest
from prefactor_http._operations._core import Call, call_key, generated_call
from prefactor_http._operations.agent_details import checked_clear, checked_details
from prefactor_http._responses import contract_error
from prefactor_http.models.agent import (
    AGENT_SORTING_VALUES,
    Agent,
    AgentForCreate,
    AgentForUpdate,
    AgentPage,
    AgentSorting,
    AgentSummary,
)

if TYPE_CHECKING:
    from prefactor_http._sync.client import SyncPrefactorHttpClient

__all__ = ["SyncAgentClient", "SyncAgentPages"]

# What iteration asks for per page: the most the API allows, so the fewest requests.
ITERATION_PAGE_SIZE = limits.AGENT_PAGE_SIZE_MAX


class SyncAgentClient:
    """Create, fetch, change, list, retire, reinstate and delete agents.

    `details` is an AgentForCreate / AgentForUpdate (or a dict of its
    fields); None in it means "not given". Every method also takes `timeout`
    (seconds for the whole call, retries included) and `max_retries`, which
    override the config for that one call.
    """

    def __init__(self, http_client: SyncPrefactorHttpClient) -> None:
        self._http = http_client

    def create(
        self,
        details: AgentForCreate | Mapping[str, Any],
        idempotency_key: str | None = None,
        *,
        timeout: float | None = None,
        max_retries: int | None = None,
    ) -> Agent:
        """Create an agent: `POST /api/v1/agent`."""
        key = call_key(idempotency_key)
        body = CreateAgentRequest(
            details=checked_details(AgentForCreate, details), idempotency_key=key
        )
        call = generated_call(create_agent.build_request, AgentEnvelope, _agent, key=key, body=body)
        return self._http._execute(call, timeout, max_retries)

    def get(
        self, agent_id: str, *, timeout: float | None = None, max_retries: int | None = None
    ) -> Agent:
        """Fetch an agent: `GET /api/v1/agent/{agent_id}`."""
        target = _validate.identifier("agent_id", agent_id)
        call = generated_call(get_agent.build_request, AgentEnvelope, _agent, target)
        return self._http._execute(call, timeout, max_retries)

    def update(
        self,
        agent_id: str,
        details: AgentForUpdate | Mapping[str, Any],
        idempotency_key: str | None = None,
        *,
        clear: Collection[limits.AgentClearable] | None = None,
        timeout: float | None = None,
        max_retries: int | None = None,
    ) -> Agent:
        """Change the fields `details` gives: `PUT /api/v1/agent/{agent_id}`.

        Fields left None keep their value. `clear` names fields to empty
        (`owner_person_id`, `risk_profile_id`, `team_id`): they are sent as null.
        """
        key = call_key(idempotency_key)
        target = _validate.identifier("agent_id", agent_id)
        fields = checked_details(AgentForUpdate, details)
        nulls = checked_clear(clear, fields)
        body = UpdateAgentRequest(details=fields, idempotency_key=key)
        call = generated_call(
            update_agent.build_request,
            AgentEnvelope,
            _agent,
            target,
            key=key,
            nulls=nulls,
            body=body,
        )
        return self._http._execute(call, timeout, max_retries)

    def list_agents(
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
        page = self.list_page(
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

    def list_page(
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
        call = _list_call(risk_profile_id, team_id, owner_person_id, sorting, offset, page_size)
        return self._http._execute(call, timeout, max_retries)

    def iter_agents(
        self,
        risk_profile_id: str | None = None,
        team_id: str | None = None,
        owner_person_id: str | None = None,
        sorting: AgentSorting | None = None,
        *,
        page_size: int = ITERATION_PAGE_SIZE,
        timeout: float | None = None,
        max_retries: int | None = None,
    ) -> Iterator[AgentSummary]:
        """Every agent, page after page (`for agent in client.agents.iter_agents():`).

        Arguments are checked now; each page is fetched when iteration
        reaches it, following `next_page_offset`. `timeout` and
        `max_retries` apply to each page's request.
        """

        def page_at(offset: int | None) -> Call[AgentPage]:
            return _list_call(
                risk_profile_id, team_id, owner_person_id, sorting, offset, page_size, moving=True
            )

        first = page_at(None)  # checks the arguments now, before any iteration
        return SyncAgentPages(self._http, first, page_at, timeout, max_retries)

    def show(
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
        by_id = _validate.optional_text("agent_id", agent_id)
        by_name = _validate.optional_text("external_identifier", external_identifier)
        if (by_id is None) == (by_name is None):
            _validate.refuse("agent_id", "give exactly one of agent_id and external_identifier")
        # Flags travel as the string "true" when wanted and are left out otherwise.
        flags = {
            name: "true"
            for name, value in (
                ("include_counts", include_counts),
                ("include_risk_rollup", include_risk_rollup),
            )
            if _validate.flag(name, value)
        }
        query = _given(
            agent_id=by_id,
            external_identifier=by_name,
            environment_id=_validate.optional_text("environment_id", environment_id),
        )
        call = generated_call(show_agent.build_request, AgentEnvelope, _agent, **query, **flags)
        return self._http._execute(call, timeout, max_retries)

    def retire(
        self,
        agent_id: str,
        idempotency_key: str | None = None,
        *,
        timeout: float | None = None,
        max_retries: int | None = None,
    ) -> Agent:
        """Retire an agent: `POST /api/v1/agent/{agent_id}/retire` (409 if already retired)."""
        call = _action_call(retire_agent.build_request, agent_id, idempotency_key)
        return self._http._execute(call, timeout, max_retries)

    def reinstate(
        self,
        agent_id: str,
        idempotency_key: str | None = None,
        *,
        timeout: float | None = None,
        max_retries: int | None = None,
    ) -> Agent:
        """Bring a retired agent back: `POST /api/v1/agent/{agent_id}/reinstate` (409 if not)."""
        call = _action_call(reinstate_agent.build_request, agent_id, idempotency_key)
        return self._http._execute(call, timeout, max_retries)

    def delete(
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
        call = _action_call(delete_agent.build_request, agent_id, idempotency_key)
        return self._http._execute(call, timeout, max_retries)


class SyncAgentPages:
    """The agents of every page, fetched one page at a time as iteration reaches it."""

    def __init__(
        self,
        http_client: SyncPrefactorHttpClient,
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

    def __iter__(self) -> SyncAgentPages:
        return self

    def __next__(self) -> AgentSummary:
        while not self._buffer:
            call = self._next
            if call is None:
                raise StopIteration
            page = self._http._execute(call, self._timeout, self._max_retries)
            following = _next_offset(page)
            self._next = None if following is None else self._page_at(following)
            self._buffer.extend(page.summaries)
        return self._buffer.popleft()


def _agent(envelope: AgentEnvelope) -> Agent:
    return envelope.details


def _page(page: AgentPage) -> AgentPage:
    return page


def _action_call(
    build_request: Callable[..., dict[str, Any]], agent_id: str, idempotency_key: str | None
) -> Call[Agent]:
    """Retire, reinstate and delete: the agent's id in the path, only the key in the body."""
    key = call_key(idempotency_key)
    target = _validate.identifier("agent_id", agent_id)
    body = AgentActionRequest(idempotency_key=key)
    return generated_call(build_request, AgentEnvelope, _agent, target, key=key, body=body)


def _list_call(
    risk_profile_id: str | None,
    team_id: str | None,
    owner_person_id: str | None,
    sorting: AgentSorting | None,
    offset: int | None,
    page_size: int | None,
    *,
    moving: bool = False,
) -> Call[AgentPage]:
    """One page of `GET /api/v1/agent`; with `moving`, a next page that goes nowhere is refused.

    `moving` is for iteration, which follows `next_page_offset`: an answer
    whose next offset does not lie past this page's would loop forever.
    """
    if offset is not None:
        offset = _validate.count("offset", offset, minimum=0)
    if page_size is not None:
        page_size = _validate.count("page_size", page_size)
        if page_size > limits.AGENT_PAGE_SIZE_MAX:
            _validate.refuse(
                "page_size", f"must be at most {limits.AGENT_PAGE_SIZE_MAX}, got {page_size!r}"
            )
    query = _given(
        risk_profile_id=_validate.optional_text("risk_profile_id", risk_profile_id),
        team_id=_validate.optional_text("team_id", team_id),
        owner_person_id=_validate.optional_text("owner_person_id", owner_person_id),
        sorting=_validate.choice("sorting", sorting, AGENT_SORTING_VALUES, optional=True),
        paginationoffset=offset,
        paginationpage_size=page_size,
    )
    call: Call[AgentPage] = generated_call(list_agents.build_request, AgentPage, _page, **query)
    if not moving:
        return call
    start = offset or 0

    def read(method: str, path: str, response: Answer) -> AgentPage:
        page = call.read(response)
        following = _next_offset(page)
        if following is not None and following <= start:
            problem = f"pagination.next_page_offset {following} does not move past offset {start}"
            raise contract_error(call.method, call.path, response, problem)
        return page

    return Call(call.method, call.path, call.request, read)


def _next_offset(page: AgentPage) -> int | None:
    """Where the next page starts, or None after the last page (or an unpaged answer)."""
    pagination = page.pagination
    return pagination.next_page_offset if pagination is not None else None


def _given(**values: object) -> dict[str, Any]:
    return {name: value for name, value in values.items() if value is not None}
