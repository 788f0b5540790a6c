"""The local server's memory: instances, spans, agents, and the outcome of every idempotency key.

Requests reach this module already routed and checked against the spec, with
null optional fields left out (null means "not given"), so a handler reads its
fields without checking their types and treats a missing field as not given. Each handler either
answers or raises `ApiError`; `Store.perform` records the outcome under the
call's idempotency key and replays it, unchanged and without acting, when the
key comes again for the same request; the key with a different request is refused.
"""

from __future__ import annotations

import copy
import hashlib
import json
import threading
from collections import Counter
from typing import Any, NamedTuple

from prefactor_http.server._agents import AgentBook
from prefactor_http.server._handler import ApiError, Handler, Json, Outcome, new_id, now, success

TERMINAL = frozenset({"complete", "failed", "cancelled", "terminated"})
COUNTED = ("active", "complete", "failed", "cancelled")
LOCAL_ACCOUNT = "acc_local"
LOCAL_AGENT = "agent_local"
LOCAL_ENVIRONMENT = "env_local"
LOCAL_DEPLOYMENT = "dep_local"


class Effect(NamedTuple):
    """One state change an API call committed; a replayed key adds none.

    Changes made through `Store.terminate` (the platform's side) are not calls
    and record none.
    """

    operation: str
    idempotency_key: str | None
    resource_id: str


def deployment_id(agent_id: str, environment_id: str) -> str:
    """The deployment of an agent in an environment: the same pair always gets the same id.

    The local agent in the local environment (what a deployment-scoped token
    implies) is `dep_local`; any other pair, named with an account-scoped
    token, gets an id made from the pair, stable across resets and servers.
    """
    if (agent_id, environment_id) == (LOCAL_AGENT, LOCAL_ENVIRONMENT):
        return LOCAL_DEPLOYMENT
    digest = hashlib.sha256(f"{agent_id}\n{environment_id}".encode()).hexdigest()
    return f"dep_{digest[:20]}"


def key_holder(operation_id: str, body: Any) -> Json | None:
    """Where the API reads `idempotency_key`: `details` for span create, else the body."""
    if not isinstance(body, dict):
        return None
    holder = body.get("details") if operation_id == "createAgentSpan" else body
    return holder if isinstance(holder, dict) else None


def fingerprint(operation_id: str, params: dict[str, Any], body: Any) -> str:
    """What makes two calls the same request: path parameters and body, less the key itself."""
    holder = key_holder(operation_id, body)
    if holder is not None and "idempotency_key" in holder:
        keyless = {name: value for name, value in holder.items() if name != "idempotency_key"}
        body = {**body, "details": keyless} if holder is not body else keyless
    return json.dumps([params, body], sort_keys=True, separators=(",", ":"))


class Store:
    """In-memory state of one local API; every public method is thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._agents = AgentBook(lambda: self._instances.values())
        self._handlers: dict[str, Handler] = {
            **self._agents.handlers(),
            "ping": self._ping,
            "registerAgentInstance": self._register,
            "getAgentInstance": self._get_instance,
            "startAgentInstance": self._start,
            "finishAgentInstance": self._finish_instance,
            "recordAgentInstanceQuality": self._record_quality,
            "createAgentSpan": self._create_span,
            "finishAgentSpan": self._finish_span,
        }
        self.reset()

    def reset(self) -> None:
        """Forget everything: resources, keys and effects."""
        with self._lock:
            self._instances: dict[str, Json] = {}
            self._spans: dict[str, Json] = {}
            self._quality: dict[str, dict[str, Json]] = {}
            self._counts: dict[str, Counter[str]] = {}
            self._span_titles: dict[str, dict[str, str]] = {}
            self._version_ids: dict[tuple[str, str], str] = {}
            # (operation, key) -> the fingerprint of the first request and its outcome
            self._outcomes: dict[tuple[str, str], tuple[str, Outcome]] = {}
            self._effects: list[Effect] = []
            self._agents.reset()

    def handles(self, operation_id: str) -> bool:
        """Whether this store implements the operation."""
        return operation_id in self._handlers

    def perform(
        self, operation_id: str, params: dict[str, Any], body: Any, key: str | None
    ) -> Outcome:
        """Run one operation, or replay the first outcome of `key` for it.

        A key already used for another request of this operation (other path
        parameters or body) is refused with 422 `idempotency_key_reused`.
        """
        with self._lock:
            request = fingerprint(operation_id, params, body) if key is not None else ""
            if key is not None and (operation_id, key) in self._outcomes:
                first, stored = self._outcomes[operation_id, key]
                if first != request:
                    message = f"idempotency key {key!r} was already used for a different request"
                    return ApiError(422, "idempotency_key_reused", message).outcome
                return copy.deepcopy(stored)
            try:
                outcome, changed = self._handlers[operation_id](params, body)
            except ApiError as exc:
                outcome, changed = exc.outcome, None
            if key is not None:
                self._outcomes[operation_id, key] = (request, outcome)
            if changed is not None:
                self._effects.append(Effect(operation_id, key, changed))
            return copy.deepcopy(outcome)

    def terminate(self, instance_id: str, reason: str) -> None:
        """End an instance from the platform's side; its span answers then ask the agent to stop."""
        with self._lock:
            instance = self._instance(instance_id)
            stamp = now()
            instance.update(
                status="terminated",
                termination_reason=reason,
                finished_at=instance["finished_at"] or stamp,
                updated_at=stamp,
            )

    @property
    def effects(self) -> list[Effect]:
        """Every committed state change, oldest first."""
        with self._lock:
            return list(self._effects)

    def snapshot(self) -> Json:
        """Instances and spans keyed by id, in creation order, as the API answers them.

        `quality` holds the recorded quality payloads by instance id, then name;
        `agents` every agent by id, with its instance counts.
        """
        with self._lock:
            return {
                "agents": self._agents.snapshot(),
                "instances": {i: self._instance_json(i) for i in self._instances},
                "spans": copy.deepcopy(self._spans),
                "quality": copy.deepcopy({i: q for i, q in self._quality.items() if q}),
            }

    # Reads and lookups

    def _instance(self, instance_id: str) -> Json:
        instance = self._instances.get(instance_id)
        if instance is None:
            raise ApiError(404, "not_found", f"agent instance {instance_id!r} does not exist")
        return instance

    def _instance_json(self, instance_id: str) -> Json:
        counts = self._counts[instance_id]
        span_counts = {"total": counts.total(), **{status: counts[status] for status in COUNTED}}
        span_counts["finished"] = sum(counts[s] for s in ("complete", "failed", "cancelled"))
        answer = {**copy.deepcopy(self._instances[instance_id]), "span_counts": span_counts}
        if self._quality.get(instance_id):
            answer["quality_payloads"] = copy.deepcopy(self._quality[instance_id])
        return answer

    def _span(self, span_id: str) -> Json:
        span = self._spans.get(span_id)
        if span is None:
            raise ApiError(404, "not_found", f"agent span {span_id!r} does not exist")
        return span

    def _ping(self, params: dict[str, str], body: Any) -> tuple[Outcome, str | None]:
        return Outcome(200, {"status": "success"}), None

    def _get_instance(self, params: dict[str, str], body: Any) -> tuple[Outcome, str | None]:
        instance_id = params["agent_instance_id"]
        self._instance(instance_id)
        return success(self._instance_json(instance_id)), None

    # Instances

    def _register(self, params: dict[str, str], body: Json) -> tuple[Outcome, str | None]:
        instance_id = body.get("id") or new_id("inst")
        if instance_id in self._instances:
            raise ApiError(409, "conflict", f"agent instance {instance_id!r} already exists")
        agent_id = body.get("agent_id", LOCAL_AGENT)
        environment_id = body.get("environment_id", LOCAL_ENVIRONMENT)
        version_key = (agent_id, body["agent_version"]["external_identifier"])
        version_id = self._version_ids.setdefault(version_key, new_id("ver"))
        span_types = body["agent_schema_version"].get("span_type_schemas", [])
        stamp = now()
        self._instances[instance_id] = {
            "type": "agent_instance",
            "id": instance_id,
            "account_id": LOCAL_ACCOUNT,
            "agent_id": agent_id,
            "agent_version_id": version_id,
            "environment_id": environment_id,
            "agent_deployment_id": deployment_id(agent_id, environment_id),
            "status": "pending",
            "inserted_at": stamp,
            "updated_at": stamp,
            "started_at": None,
            "finished_at": None,
            "termination_reason": None,
            "external_identifier": body.get("external_identifier"),
            "purpose": body.get("purpose", "live"),
        }
        self._counts[instance_id] = Counter()
        self._span_titles[instance_id] = {t["name"]: t["title"] for t in span_types if "title" in t}
        return success(self._instance_json(instance_id)), instance_id

    def _start(self, params: dict[str, str], body: Json) -> tuple[Outcome, str | None]:
        instance_id = params["agent_instance_id"]
        instance = self._instance(instance_id)
        if instance["status"] != "pending":
            raise ApiError(
                409, "conflict", f"agent instance {instance_id!r} is {instance['status']}"
            )
        instance.update(
            status="active", started_at=body.get("timestamp") or now(), updated_at=now()
        )
        return success(self._instance_json(instance_id)), instance_id

    def _finish_instance(self, params: dict[str, str], body: Json) -> tuple[Outcome, str | None]:
        instance_id = params["agent_instance_id"]
        instance = self._instance(instance_id)
        if instance["status"] in TERMINAL:
            raise ApiError(
                409, "conflict", f"agent instance {instance_id!r} is already {instance['status']}"
            )
        instance.update(
            status=body.get("status", "complete"),
            finished_at=body.get("timestamp") or now(),
            updated_at=now(),
        )
        return success(self._instance_json(instance_id)), instance_id

    def _record_quality(self, params: dict[str, str], body: Json) -> tuple[Outcome, str | None]:
        """Keep the payload under its name; no payload removes what the name held."""
        instance_id = params["agent_instance_id"]
        instance = self._instance(instance_id)
        records = self._quality.setdefault(instance_id, {})
        if "payload" in body:
            records[body["name"]] = body["payload"]
        else:
            records.pop(body["name"], None)
        instance["updated_at"] = now()
        return success(self._instance_json(instance_id)), instance_id

    # Spans

    def _control(self, instance_id: str) -> Json:
        """The stop signal a span answer carries once the platform has terminated the instance."""
        instance = self._instances[instance_id]
        if instance["status"] != "terminated":
            return {}
        return {"control": {"terminate": True, "reason": instance["termination_reason"]}}

    def _create_span(self, params: dict[str, str], body: Json) -> tuple[Outcome, str | None]:
        details = body["details"]
        instance_id = details["agent_instance_id"]
        instance = self._instance(instance_id)
        if instance["status"] in TERMINAL - {"terminated"}:
            raise ApiError(
                409, "conflict", f"agent instance {instance_id!r} is already {instance['status']}"
            )
        span_id = details.get("id") or new_id("span")
        if span_id in self._spans:
            raise ApiError(409, "conflict", f"agent span {span_id!r} already exists")
        parent_id = details.get("parent_span_id")
        parent = self._spans.get(parent_id) if parent_id is not None else None
        if parent_id is not None and (parent is None or parent["agent_instance_id"] != instance_id):
            message = f"parent span {parent_id!r} does not exist in agent instance {instance_id!r}"
            raise ApiError(404, "not_found", message, {"parent_span_id": ["does not exist"]})
        status = details["status"]
        stamp = now()
        finished = status in TERMINAL
        self._spans[span_id] = {
            "type": "agent_span",
            "id": span_id,
            "agent_instance_id": instance_id,
            "schema_name": details["schema_name"],
            "status": status,
            "payload": details["payload"],
            "account_id": LOCAL_ACCOUNT,
            "agent_id": instance["agent_id"],
            "parent_span_id": parent_id,
            "schema_title": self._span_titles[instance_id].get(details["schema_name"]),
            "result_payload": details.get("result_payload"),
            "summary": None,
            "started_at": details.get("started_at") or (None if status == "pending" else stamp),
            "inserted_at": stamp,
            "updated_at": stamp,
            "finished_at": details.get("finished_at") or (stamp if finished else None),
        }
        self._counts[instance_id][status] += 1
        span = copy.deepcopy(self._spans[span_id])
        return success(span, **self._control(instance_id)), span_id

    def _finish_span(self, params: dict[str, str], body: Json) -> tuple[Outcome, str | None]:
        span_id = params["agent_span_id"]
        span = self._span(span_id)
        if span["status"] in TERMINAL:
            raise ApiError(409, "conflict", f"agent span {span_id!r} is already {span['status']}")
        status = body.get("status", "complete")
        counts = self._counts[span["agent_instance_id"]]
        counts[span["status"]] -= 1
        counts[status] += 1
        span.update(status=status, finished_at=body.get("timestamp") or now(), updated_at=now())
        if "result_payload" in body:
            span["result_payload"] = body["result_payload"]
        control = self._control(span["agent_instance_id"])
        return success(copy.deepcopy(span), **control), span_id
