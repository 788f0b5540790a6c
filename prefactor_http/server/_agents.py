"""The local server's agents: their fields, their lifecycle, and the list's paging and sorting.

The rules the spec marks as assumed (openapi.yaml, schema `Agent`):
`retired` from retire until reinstate; otherwise `pending` with no instance,
`active` while an instance is pending or active, `dormant` once all have
finished. `available_actions` follows from the status, and a call it does
not allow answers 409. Handlers run under the `Store`'s lock.
"""

from __future__ import annotations

import copy
import math
from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any

from prefactor_http.server._handler import ApiError, Handler, Json, Outcome, new_id, now, success

INSTANCE_STATUSES = ("pending", "active", "complete", "failed", "cancelled", "terminated")
FINISHED = ("complete", "failed", "cancelled", "terminated")
RUNNING = frozenset({"pending", "active"})
DEFAULT_PAGE_SIZE = 20
# Fields an AgentSummary leaves out of an Agent.
NOT_IN_SUMMARY = ("risk_profile_id", "instance_counts")
UPDATABLE = ("name", "description", "owner_person_id", "risk_profile_id", "team_id")

Result = tuple[Outcome, str | None]


class AgentBook:
    """The agents of one local API; `instances` gives the store's agent instances."""

    def __init__(self, instances: Callable[[], Iterable[Json]]) -> None:
        self._all_instances = instances
        self._agents: dict[str, Json] = {}

    def reset(self) -> None:
        self._agents = {}

    def handlers(self) -> dict[str, Handler]:
        return {
            "createAgent": self._create,
            "getAgent": self._get,
            "updateAgent": self._update,
            "listAgents": self._list,
            "showAgent": self._show,
            "retireAgent": self._retire,
            "reinstateAgent": self._reinstate,
            "deleteAgent": self._delete,
        }

    def snapshot(self) -> dict[str, Json]:
        """Every agent by id, in creation order, with its instance counts."""
        return {key: self._json(agent, counts=True) for key, agent in self._agents.items()}

    # What an agent looks like

    def _instances(self, agent_id: str, environment_id: str | None = None) -> list[Json]:
        return [
            instance
            for instance in self._all_instances()
            if instance["agent_id"] == agent_id
            and (environment_id is None or instance["environment_id"] == environment_id)
        ]

    def _status(self, agent: Json) -> str:
        if agent["retired"]:
            return "retired"
        statuses = {instance["status"] for instance in self._instances(agent["id"])}
        if not statuses:
            return "pending"
        return "active" if statuses & RUNNING else "dormant"

    def _counts(self, agent_id: str, environment_id: str | None) -> Json:
        counts = Counter(i["status"] for i in self._instances(agent_id, environment_id))
        return {
            "total": counts.total(),
            **{status: counts[status] for status in INSTANCE_STATUSES},
            "finished": sum(counts[status] for status in FINISHED),
        }

    def _json(
        self,
        agent: Json,
        *,
        counts: bool = False,
        environment_id: str | None = None,
        deleted: bool = False,
    ) -> Json:
        status = self._status(agent)
        retired = status == "retired"
        body = {name: value for name, value in agent.items() if name != "retired"}
        body["status"] = status
        body["instance_counts"] = self._counts(agent["id"], environment_id) if counts else None
        body["available_actions"] = {
            "update": not retired and not deleted,
            "retire": not retired and not deleted,
            "reinstate": retired and not deleted,
            "delete": status in ("pending", "retired") and not deleted,
        }
        return copy.deepcopy(body)

    def _summary(self, agent: Json) -> Json:
        body = self._json(agent)
        for name in NOT_IN_SUMMARY:
            body.pop(name)
        return body

    def _agent(self, agent_id: str) -> Json:
        agent = self._agents.get(agent_id)
        if agent is None:
            raise ApiError(404, "not_found", f"agent {agent_id!r} does not exist")
        return agent

    def _allowed(self, agent: Json, action: str) -> None:
        if not self._json(agent)["available_actions"][action]:
            status = self._status(agent)
            raise ApiError(409, "conflict", f"agent {agent['id']!r} is {status}: cannot {action}")

    # Handlers

    def _create(self, params: dict[str, Any], body: Json) -> Result:
        details = body["details"]
        agent_id = details.get("id") or new_id("agent")
        if agent_id in self._agents:
            raise ApiError(409, "conflict", f"agent {agent_id!r} already exists")
        external = details.get("external_identifier")
        if external is not None and self._by_external(external) is not None:
            message = f"an agent with external_identifier {external!r} already exists"
            raise ApiError(409, "conflict", message, {"external_identifier": ["is taken"]})
        stamp = now()
        self._agents[agent_id] = {
            "type": "agent",
            "id": agent_id,
            "name": details["name"],
            "description": details.get("description"),
            "external_identifier": external,
            "owner_person_id": details.get("owner_person_id"),
            "risk_profile_id": details.get("risk_profile_id"),
            "team_id": details.get("team_id"),
            "inserted_at": stamp,
            "updated_at": stamp,
            "retired": False,
        }
        return success(self._json(self._agents[agent_id])), agent_id

    def _by_external(self, external: str) -> Json | None:
        found = (a for a in self._agents.values() if a["external_identifier"] == external)
        return next(found, None)

    def _get(self, params: dict[str, Any], body: Any) -> Result:
        return success(self._json(self._agent(params["agent_id"]))), None

    def _update(self, params: dict[str, Any], body: Json) -> Result:
        agent = self._agent(params["agent_id"])
        self._allowed(agent, "update")
        # Null reaches here only for the fields it clears (x-null-clears).
        agent.update({name: body["details"][name] for name in UPDATABLE if name in body["details"]})
        agent["updated_at"] = now()
        return success(self._json(agent)), agent["id"]

    def _list(self, params: dict[str, Any], body: Any) -> Result:
        agents = [
            agent
            for agent in self._agents.values()
            if all(
                agent[name] == params[name]
                for name in ("risk_profile_id", "team_id", "owner_person_id")
                if name in params
            )
        ]
        summaries = [self._summary(agent) for agent in agents]
        sorting = None
        if "sorting" in params:
            field = params["sorting"].lstrip("-")
            descending = params["sorting"].startswith("-")
            summaries.sort(key=lambda summary: summary[field], reverse=descending)
            sorting = {"field": field, "direction": "desc" if descending else "asc"}
        offset = params.get("pagination[offset]")
        size = params.get("pagination[page_size]")
        pagination = None
        if offset is not None or size is not None:
            summaries, pagination = _page(summaries, offset or 0, size or DEFAULT_PAGE_SIZE)
        answer = {
            "status": "success",
            "summaries": summaries,
            "pagination": pagination,
            "sorting": sorting,
        }
        return Outcome(200, answer), None

    def _show(self, params: dict[str, Any], body: Any) -> Result:
        by_id: str | None = params.get("agent_id")
        external: str | None = params.get("external_identifier")
        if (by_id is None) == (external is None):
            message = "give exactly one of agent_id and external_identifier"
            raise ApiError(422, "validation_error", message, {"agent_id": [message]})
        if by_id is not None:
            agent = self._agent(by_id)
        else:
            assert external is not None
            found = self._by_external(external)
            if found is None:
                message = f"no agent has external_identifier {external!r}"
                raise ApiError(404, "not_found", message)
            agent = found
        details = self._json(
            agent,
            counts=params.get("include_counts") == "true",
            environment_id=params.get("environment_id"),
        )
        if params.get("include_risk_rollup") == "true":
            details["risk_rollup"] = {"risk_profile_id": agent["risk_profile_id"]}
        return success(details), None

    def _retire(self, params: dict[str, Any], body: Any) -> Result:
        agent = self._agent(params["agent_id"])
        self._allowed(agent, "retire")
        agent.update(retired=True, updated_at=now())
        return success(self._json(agent)), agent["id"]

    def _reinstate(self, params: dict[str, Any], body: Any) -> Result:
        agent = self._agent(params["agent_id"])
        self._allowed(agent, "reinstate")
        agent.update(retired=False, updated_at=now())
        return success(self._json(agent)), agent["id"]

    def _delete(self, params: dict[str, Any], body: Any) -> Result:
        agent = self._agent(params["agent_id"])
        self._allowed(agent, "delete")
        del self._agents[agent["id"]]
        return success(self._json(agent, deleted=True)), agent["id"]


def _page(items: list[Json], offset: int, size: int) -> tuple[list[Json], Json]:
    """The page of `items` at `offset`, and where it sits (indexes one-based, offsets 0-based)."""
    page = items[offset : offset + size]
    count = len(items)
    return page, {
        "item_count": count,
        "item_start": offset + 1 if page else 0,
        "item_end": offset + len(page) if page else 0,
        "page_count": math.ceil(count / size),
        "page_index": offset // size + 1,
        "page_offset": offset,
        "page_size": size,
        "next_page_offset": offset + size if offset + size < count else None,
        "previous_page_offset": max(offset - size, 0) if offset > 0 else None,
    }
