"""The public client's `client.agents`, as a black box, against our local server.

Imported by `public_client_run.py` (in the compat venv, beside it). Every
method is called as users' code calls it, with the models from
`prefactor_http.models.agent`; answers are checked field by field and what
the server stored is read back from `/_control/state`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from prefactor_http.models.agent import AgentForCreate, AgentForUpdate

if TYPE_CHECKING:
    from public_checks import Run

ACTIONS = ("update", "retire", "reinstate", "delete")


def _actions(agent: Any) -> dict[str, bool] | None:
    found = getattr(agent, "available_actions", None)
    if found is None:
        return None
    return {name: bool(getattr(found, name, False)) for name in ACTIONS}


def _allowed(*names: str) -> dict[str, bool]:
    return {name: name in names for name in ACTIONS}


def check_agent(run: Run, name: str, got: Any, stored: dict[str, Any] | None) -> None:
    """The answer agrees with what the server stored, field by field."""
    if got is None or stored is None:
        run.check(f"{name}: answer and stored agent", False, f"got {got!r}, stored {stored!r}")
        return
    for field in ("id", "name", "status", "description", "external_identifier", "team_id"):
        run.equal(f"{name}: {field}", getattr(got, field, None), stored.get(field))
    run.equal(f"{name}: owner_person_id", got.owner_person_id, stored.get("owner_person_id"))
    run.equal(f"{name}: available_actions", _actions(got), stored.get("available_actions"))


async def agents(run: Run, client: Any) -> None:
    """create, get, update, list_agents (paging, sorting), show, retire, reinstate, delete."""
    print("-- agents.create")
    team = f"team-{run.suffix}"
    external = f"compat-agent-{run.suffix}"
    created = await run.call(
        "agents.create",
        client.agents.create(
            AgentForCreate(
                name="Compat agent",
                description="Runs the compat checks",
                external_identifier=external,
                owner_person_id="person-1",
                risk_profile_id="risk-1",
                team_id=team,
            ),
            idempotency_key=f"compat-agent-create-{run.suffix}",
        ),
    )
    stored_agents = run.state().get("agents", {})
    found = [a for a in stored_agents.values() if a.get("external_identifier") == external]
    run.equal("agents.create: one agent stored", len(found), 1)
    agent_id = found[0]["id"] if found else ""
    check_agent(run, "create answer", created, found[0] if found else None)
    if created is not None:
        run.equal("create: status", created.status, "pending")
        run.equal("create: actions", _actions(created), _allowed("update", "retire", "delete"))
    sent = [r for r in run.requests() if r["method"] == "POST" and r["path"] == "/api/v1/agent"]
    run.check(
        "agents.create: details wrapped, key beside them",
        bool(sent)
        and sent[-1]["json"]["details"]["name"] == "Compat agent"
        and sent[-1]["json"].get("idempotency_key") == f"compat-agent-create-{run.suffix}",
        repr(sent[-1:]),
    )

    print("-- agents.get")
    got = await run.call("agents.get", client.agents.get(agent_id))
    check_agent(run, "get answer", got, run.state()["agents"].get(agent_id))

    print("-- agents.update: name and description only; the other fields keep their values")
    updated = await run.call(
        "agents.update",
        client.agents.update(agent_id, AgentForUpdate(name="Renamed", description="Changed")),
    )
    stored = run.state()["agents"].get(agent_id)
    check_agent(run, "update answer", updated, stored)
    if stored is not None:
        run.equal("update: stored name", stored["name"], "Renamed")
        run.equal("update: team_id kept", stored["team_id"], team)
        run.equal("update: owner_person_id kept", stored["owner_person_id"], "person-1")
    puts = [r for r in run.requests() if r["method"] == "PUT"]
    if puts:
        print(f"        (0.4.3 sent {puts[-1]['json']})")

    print("-- agents.list_agents: a team of three, two pages, sorted")
    for name in ("Alpha", "Zulu"):
        await run.call(
            f"agents.create {name}", client.agents.create(AgentForCreate(name=name, team_id=team))
        )
    first = await run.call(
        "agents.list_agents(page 1)",
        client.agents.list_agents(team_id=team, sorting="name", offset=0, page_size=2),
    )
    second = await run.call(
        "agents.list_agents(page 2)",
        client.agents.list_agents(team_id=team, sorting="name", offset=2, page_size=2),
    )
    descending = await run.call(
        "agents.list_agents(-name)", client.agents.list_agents(team_id=team, sorting="-name")
    )
    if first is not None and second is not None:
        run.equal("list: page 1 names", [a.name for a in first], ["Alpha", "Renamed"])
        run.equal("list: page 2 names", [a.name for a in second], ["Zulu"])
    if descending is not None:
        run.equal("list: -name", [a.name for a in descending], ["Zulu", "Renamed", "Alpha"])
    lists = [
        r["path"]
        for r in run.requests()
        if r["method"] == "GET" and r["path"].startswith("/api/v1/agent?")
    ]
    run.check(
        "list: paging travels as pagination[offset] and pagination[page_size]",
        any("pagination%5Boffset%5D=2" in p or "pagination[offset]=2" in p for p in lists),
        repr(lists[-3:]),
    )

    print("-- agents.show: by id with counts, by external identifier")
    shown = await run.call(
        "agents.show(agent_id, include_counts)",
        client.agents.show(agent_id=agent_id, include_counts=True, include_risk_rollup=True),
    )
    if shown is not None:
        run.equal("show: id", shown.id, agent_id)
        counts = getattr(shown, "instance_counts", None)
        run.equal("show: instance_counts.total", getattr(counts, "total", None), 0)
    by_name = await run.call(
        "agents.show(external_identifier)", client.agents.show(external_identifier=external)
    )
    if by_name is not None:
        run.equal("show by external identifier: id", by_name.id, agent_id)

    print("-- agents.retire, reinstate, delete")
    retired = await run.call("agents.retire", client.agents.retire(agent_id))
    check_agent(run, "retire answer", retired, run.state()["agents"].get(agent_id))
    if retired is not None:
        run.equal("retire: status", retired.status, "retired")
        run.equal("retire: actions", _actions(retired), _allowed("reinstate", "delete"))
    again = await run.refused("agents.retire twice", client.agents.retire(agent_id), 409)
    if again is not None:
        run.equal("retire twice: code", again.code, "conflict")
    back = await run.call("agents.reinstate", client.agents.reinstate(agent_id))
    check_agent(run, "reinstate answer", back, run.state()["agents"].get(agent_id))
    if back is not None:
        run.equal("reinstate: status", back.status, "pending")
    deleted = await run.call(
        "agents.delete",
        client.agents.delete(agent_id, idempotency_key=f"compat-agent-delete-{run.suffix}"),
    )
    if deleted is not None:
        run.equal("delete: id", deleted.id, agent_id)
        run.equal("delete: no action left", _actions(deleted), _allowed())
    run.equal("delete: gone from the server", agent_id in run.state()["agents"], False)
    await run.refused("agents.get after delete", client.agents.get(agent_id), 404)
