"""What the agents calls send (`endpoints/agents.py`) and how answers are read.

Input is checked here before anything is sent, bodies are made with the
generated models, requests with each endpoint's generated `build_request`,
and answers read with the generated models. Every mutating call carries an
idempotency key (the caller's or a new one) in the body and in the
Idempotency-Key header.

Clearing a field: the generated models send None as "not given", so
`update` adds an explicit `null` to `details` for each field named in
`clear` (only `owner_person_id`, `risk_profile_id` and `team_id`, the fields
openapi.yaml marks `x-null-clears`).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from typing import Any, TypeVar

import attrs

from prefactor_http import _validate
from prefactor_http._bodies import Answer
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
from prefactor_http._responses import contract_error
from prefactor_http.models.agent import (
    AGENT_SORTING_VALUES,
    Agent,
    AgentForCreate,
    AgentForUpdate,
    AgentPage,
)

T = TypeVar("T")
M = TypeVar("M", AgentForCreate, AgentForUpdate)

# The AgentForUpdate fields whose null clears them (`x-null-clears` in openapi.yaml).
CLEARABLE = ("owner_person_id", "risk_profile_id", "team_id")
PAGE_SIZE_MAX = 100
# What iteration asks for per page: the most the API allows, so the fewest requests.
ITERATION_PAGE_SIZE = PAGE_SIZE_MAX
# Fields that may be None but, when given, not empty (`minLength: 1` in openapi.yaml).
_NON_EMPTY = frozenset({"name", "external_identifier", "id", *CLEARABLE})


def _agent(envelope: AgentEnvelope) -> Agent:
    return envelope.details


def _details(cls: type[M], value: object) -> M:
    """`value` (the model itself or a dict of its fields) as a checked model."""
    names = [field.name for field in attrs.fields(cls)]
    if isinstance(value, Mapping):
        unknown = [str(name) for name in value if name not in names]
        if unknown:
            hint = " (it cannot change)" if unknown[0] == "external_identifier" else ""
            _validate.refuse(
                f"details.{unknown[0]}",
                f"is not a field of {cls.__name__}{hint}; known: {', '.join(names)}",
            )
        value = cls(**value)
    if not isinstance(value, cls):
        _validate.refuse("details", f"must be a {cls.__name__} or a dict, got {value!r}")
    checked: dict[str, str | None] = {}
    for name in names:
        field = f"details.{name}"
        given = getattr(value, name)
        if name == "name" and cls is AgentForCreate:
            checked[name] = _validate.required_text(field, given)
        elif name in _NON_EMPTY:
            checked[name] = _validate.optional_text(field, given)
        else:
            checked[name] = None if given is None else _validate.text(field, given)
    return cls(**checked)  # type: ignore[arg-type]  # name: checked non-empty above


def _clear(clear: object, details: AgentForUpdate) -> list[str]:
    if clear is None:
        return []
    if isinstance(clear, str) or not isinstance(clear, Collection):
        _validate.refuse("clear", f"must be a list of field names, got {clear!r}")
    names: list[str] = []
    for name in clear:
        if name not in CLEARABLE:
            _validate.refuse("clear", f"may only name {', '.join(CLEARABLE)}, got {name!r}")
        if getattr(details, name) is not None:
            _validate.refuse("clear", f"names {name!r}, which details also sets")
        if name not in names:
            names.append(name)
    return names


def _given(**values: object) -> dict[str, Any]:
    return {name: value for name, value in values.items() if value is not None}


def create(*, details: object, idempotency_key: object) -> Call[Agent]:
    key = call_key(idempotency_key)
    body = CreateAgentRequest(details=_details(AgentForCreate, details), idempotency_key=key)
    return generated_call(create_agent.build_request, AgentEnvelope, _agent, key=key, body=body)


def get(*, agent_id: object) -> Call[Agent]:
    return generated_call(
        get_agent.build_request, AgentEnvelope, _agent, _validate.identifier("agent_id", agent_id)
    )


def update(
    *, agent_id: object, details: object, idempotency_key: object, clear: object
) -> Call[Agent]:
    key = call_key(idempotency_key)
    target = _validate.identifier("agent_id", agent_id)
    fields = _details(AgentForUpdate, details)
    nulls = _clear(clear, fields)
    body = UpdateAgentRequest(details=fields, idempotency_key=key)
    return generated_call(
        update_agent.build_request, AgentEnvelope, _agent, target, key=key, nulls=nulls, body=body
    )


def _action(
    build_request: Callable[..., dict[str, Any]], agent_id: object, idempotency_key: object
) -> Call[Agent]:
    key = call_key(idempotency_key)
    target = _validate.identifier("agent_id", agent_id)
    body = AgentActionRequest(idempotency_key=key)
    return generated_call(build_request, AgentEnvelope, _agent, target, key=key, body=body)


def retire(*, agent_id: object, idempotency_key: object) -> Call[Agent]:
    return _action(retire_agent.build_request, agent_id, idempotency_key)


def reinstate(*, agent_id: object, idempotency_key: object) -> Call[Agent]:
    return _action(reinstate_agent.build_request, agent_id, idempotency_key)


def delete(*, agent_id: object, idempotency_key: object) -> Call[Agent]:
    return _action(delete_agent.build_request, agent_id, idempotency_key)


def show(
    *,
    agent_id: object,
    external_identifier: object,
    environment_id: object,
    include_counts: object,
    include_risk_rollup: object,
) -> Call[Agent]:
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
    return generated_call(show_agent.build_request, AgentEnvelope, _agent, **query, **flags)


def list_page(
    *,
    risk_profile_id: object,
    team_id: object,
    owner_person_id: object,
    sorting: object,
    offset: object,
    page_size: object,
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
        if page_size > PAGE_SIZE_MAX:
            _validate.refuse("page_size", f"must be at most {PAGE_SIZE_MAX}, got {page_size!r}")
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

    def read(response: Answer) -> AgentPage:
        page = call.read(response)
        following = next_offset(page)
        if following is not None and following <= start:
            problem = f"pagination.next_page_offset {following} does not move past offset {start}"
            raise contract_error(call.method, call.path, response, problem)
        return page

    return Call(call.method, call.path, call.request, read)


def _page(page: AgentPage) -> AgentPage:
    return page


def next_offset(page: AgentPage) -> int | None:
    """Where the next page starts, or None after the last page (or an unpaged answer)."""
    pagination = page.pagination
    return pagination.next_page_offset if pagination is not None else None
