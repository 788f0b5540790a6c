"""One API request in, one answer out: routing, auth, checks, bulk, with no HTTP library.

The HTTP layer (`_app.py`) hands over the method, raw path, headers and body
bytes; this module answers as the real API would, or with the error envelope.
Keeping it free of aiohttp keeps the API's rules in one readable place.
"""

from __future__ import annotations

import hmac
import json
from dataclasses import dataclass, field
from typing import Any

from prefactor_http.server._spec import FieldErrors, NoRouteError, Operation, Spec
from prefactor_http.server._store import ApiError, Outcome, Store, key_holder

# Bulk action -> (operation it runs, path parameter it names, whether the
# single endpoint wraps its fields in `details`).
BULK_ACTIONS: dict[str, tuple[str, str | None, bool]] = {
    "agent_instances/register": ("registerAgentInstance", None, False),
    "agent_instances/start": ("startAgentInstance", "agent_instance_id", False),
    "agent_instances/finish": ("finishAgentInstance", "agent_instance_id", False),
    "agent_spans/create": ("createAgentSpan", None, True),
    "agent_spans/finish": ("finishAgentSpan", "agent_span_id", False),
}


@dataclass(frozen=True)
class Answer:
    """What the HTTP layer sends back."""

    status: int
    body: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)


def _error(status: int, code: str, message: str, errors: FieldErrors | None = None) -> Answer:
    return Answer(*ApiError(status, code, message, errors).outcome)


def without_null_fields(body: dict[str, Any]) -> dict[str, Any]:
    """An answer as a sparse server sends it: every field whose value is null left out.

    Applies to the envelope, the resource in `details`, the `control` signal
    and, in a bulk answer, each output in `outputs`. The objects a resource
    holds (`payload`, `result_payload`, `span_counts`) are kept as they are:
    a null inside a payload is the caller's data.
    """
    sparse: dict[str, Any] = {}
    for name, value in body.items():
        if value is None:
            continue
        if name in ("details", "control") and isinstance(value, dict):
            value = {field: inner for field, inner in value.items() if inner is not None}
        elif name == "outputs" and isinstance(value, dict):
            value = {
                key: without_null_fields(output) if isinstance(output, dict) else output
                for key, output in value.items()
            }
        sparse[name] = value
    return sparse


def body_key(operation_id: str, body: Any) -> str | None:
    """The idempotency key a request body carries, where the API reads it."""
    holder = key_holder(operation_id, body)
    key = holder.get("idempotency_key") if holder is not None else None
    return key if isinstance(key, str) else None


class LocalApi:
    """The Prefactor API's rules over a `Store`, checked against a `Spec`.

    Requests may send null for any optional field: it counts as not sent. With
    `sparse`, answers leave out every field whose value is null, as the hosted
    API may; otherwise they send every field, null where there is no value.
    """

    def __init__(
        self,
        token: str,
        *,
        spec: Spec | None = None,
        store: Store | None = None,
        check_answers: bool = True,
        sparse: bool = False,
    ) -> None:
        self._token = token.encode()
        self.spec = spec or Spec()
        self.store = store or Store()
        self.check_answers = check_answers
        self.sparse = sparse

    def template(self, method: str, raw_path: str) -> str | None:
        """The spec's path template for a request, if it is an operation."""
        try:
            return self.spec.route(method, raw_path)[0].template
        except NoRouteError:
            return None

    def handle(self, method: str, raw_path: str, headers: dict[str, str], body: bytes) -> Answer:
        """Answer one request; `headers` has lower-case names."""
        try:
            operation, params = self.spec.route(method, raw_path)
        except NoRouteError as exc:
            if exc.status == 405:
                answer = _error(405, "method_not_allowed", f"{method} is not allowed here")
                return Answer(answer.status, answer.body, {"Allow": ", ".join(exc.allowed)})
            return _error(404, "not_found", "no such API path")
        if not self._authorized(headers.get("authorization", "")):
            return _error(401, "unauthorized", "a valid bearer token is required")
        answer = self._checked(operation, params, headers, body)
        if self.sparse:
            answer = Answer(answer.status, without_null_fields(answer.body), answer.headers)
        if self.check_answers:
            problem = self.spec.answer_problem(operation, answer.status, answer.body)
            if problem is not None:
                return _error(500, "answer_outside_spec", problem)
        return answer

    def _authorized(self, authorization: str) -> bool:
        scheme, _, credential = authorization.partition(" ")
        if scheme.lower() != "bearer":
            return False
        return hmac.compare_digest(credential.strip().encode(), self._token)

    def _checked(
        self, operation: Operation, params: dict[str, str], headers: dict[str, str], raw: bytes
    ) -> Answer:
        body: Any = None
        if operation.body_schema is not None:
            try:
                body = json.loads(raw)
            except ValueError:
                return _error(400, "invalid_json", "the request body is not JSON")
        errors = self.spec.request_errors(operation, body)
        if errors:
            return _error(422, "validation_error", "the request body is invalid", errors)
        # Null in an optional field means "not given": the store, and the key
        # check comparing a resent request with the first, never see it.
        body = self.spec.without_null_options(operation.body_schema, body)
        # A read acts the same every time: a key on it is neither checked nor remembered.
        header_key = None if operation.method == "GET" else headers.get("idempotency-key")
        if header_key is not None:
            header_errors = self.spec.component_errors("IdempotencyKey", header_key)
            if header_errors:
                errors = {"Idempotency-Key": [m for msgs in header_errors.values() for m in msgs]}
                return _error(
                    422, "validation_error", "the Idempotency-Key header is invalid", errors
                )
        if operation.operation_id == "executeBulk":
            return Answer(*self._bulk(body["items"]))
        if not self.store.handles(operation.operation_id):
            return _error(501, "not_implemented", f"{operation.operation_id} is not implemented")
        key = body_key(operation.operation_id, body)
        if header_key is not None and key is not None and header_key != key:
            errors = {"idempotency_key": ["differs from the Idempotency-Key header"]}
            return _error(422, "validation_error", "two idempotency keys", errors)
        return Answer(*self.store.perform(operation.operation_id, params, body, key or header_key))

    def _bulk(self, items: list[dict[str, Any]]) -> Outcome:
        """Items in order, each on its own; stop after the first error."""
        keys = [item["idempotency_key"] for item in items]
        repeated = {
            f"items.{i}.idempotency_key": ["repeats an earlier item's key"]
            for i, key in enumerate(keys)
            if key in keys[:i]
        }
        if repeated:
            return ApiError(422, "validation_error", "repeated idempotency keys", repeated).outcome
        outputs: dict[str, Any] = {}
        for item in items:
            output = self._bulk_item(item)
            outputs[item["idempotency_key"]] = output
            if output["status"] == "error":
                break
        return Outcome(200, {"status": "success", "outputs": outputs})

    def _bulk_item(self, item: dict[str, Any]) -> dict[str, Any]:
        action = BULK_ACTIONS.get(item["_type"])
        if action is None:
            message = f"unknown action type {item['_type']!r}"
            return ApiError(422, "unknown_action", message, {"_type": [message]}).outcome.body
        operation_id, target, wrapped = action
        fields = {name: value for name, value in item.items() if name != "_type"}
        params: dict[str, str] = {}
        if target is not None:
            value = fields.pop(target, None)
            if not isinstance(value, str) or not value:
                errors = {target: ["is required and must be a non-empty string"]}
                return ApiError(422, "validation_error", "invalid item", errors).outcome.body
            params[target] = value
        body = {"details": fields} if wrapped else fields
        operation = self.spec.operation(operation_id)
        errors = self.spec.request_errors(operation, body)
        if errors:
            flat = {name.removeprefix("details."): msgs for name, msgs in errors.items()}
            return ApiError(422, "validation_error", "invalid item", flat).outcome.body
        body = self.spec.without_null_options(operation.body_schema, body)
        key = item["idempotency_key"]
        return self.store.perform(operation_id, params, body, key).body
