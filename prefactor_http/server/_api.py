"""One API request in, one answer out: routing, auth, checks, bulk, with no HTTP library.

The HTTP layer (`_app.py`) hands over the method, raw path, headers and body
bytes; this module answers as the real API would, or with the error envelope.
Keeping it free of aiohttp keeps the API's rules in one readable place.
"""

from __future__ import annotations

import hmac
import json
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from prefactor_http.server._complete import Completer
from prefactor_http.server._handler import ApiError, Outcome
from prefactor_http.server._spec import FieldErrors, NoRouteError, Operation, Spec
from prefactor_http.server._store import Store, key_holder


@dataclass(frozen=True)
class BulkAction:
    """The single operation a bulk action runs, and how an item's fields become its request.

    `target` is the path parameter the item names; `wrap` is the body field
    that holds the item's fields in the single endpoint's body (`details`),
    with the key inside it when `key_inside` (span create) and beside it
    otherwise (agent create); None: the fields are the body. A `query`
    action is a read whose fields are the query parameters.
    """

    operation: str
    target: str | None = None
    wrap: str | None = None
    key_inside: bool = False
    query: bool = False


def bulk_actions(spec: Spec) -> dict[str, BulkAction]:
    """The actions the spec's operations declare with `x-bulk-action`, read as the client's are.

    An item's fields sit flat beside `_type` (the spec's assumption); those
    of the body field the operation flattens (`x-flatten`, or `x-bulk-flatten`
    for bulk only) go back inside it.
    """
    actions: dict[str, BulkAction] = {}
    for template, item in spec.document["paths"].items():
        for method, operation in item.items():
            name = operation.get("x-bulk-action")
            if name is None:
                continue
            targets = re.findall(r"\{(\w+)\}", template)
            wrap = operation.get("x-flatten") or operation.get("x-bulk-flatten")
            key_inside = False
            if wrap is not None:
                body = spec.resolve(
                    operation["requestBody"]["content"]["application/json"]["schema"]
                )
                inner = spec.resolve(body["properties"][wrap])
                key_inside = "idempotency_key" in inner.get("properties", {})
            actions[name] = BulkAction(
                operation["operationId"],
                targets[0] if targets else None,
                wrap,
                key_inside,
                query=method == "get",
            )
    return actions


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

    Applies to the envelope, the resource in `details`, the `control` signal,
    each agent in `summaries` and, in a bulk answer, each output in
    `outputs`. The objects a resource holds (`payload`, `result_payload`,
    `span_counts`, `available_actions`) are kept as they are: a null inside a
    payload is the caller's data. A list's `pagination` and `sorting` are
    kept whole, null or not: the existing client (0.4.3), which works against
    the hosted API, fails without them and without any pagination field, so
    the hosted API evidently always sends them.
    """
    sparse: dict[str, Any] = {}
    for name, value in body.items():
        if name in ("pagination", "sorting") and "summaries" in body:
            sparse[name] = value
            continue
        if value is None:
            continue
        if name in ("details", "control") and isinstance(value, dict):
            value = _without_nulls(value)
        elif name == "summaries" and isinstance(value, list):
            value = [_without_nulls(item) if isinstance(item, dict) else item for item in value]
        elif name == "outputs" and isinstance(value, dict):
            value = {
                key: without_null_fields(output) if isinstance(output, dict) else output
                for key, output in value.items()
            }
        sparse[name] = value
    return sparse


def _without_nulls(value: dict[str, Any]) -> dict[str, Any]:
    return {field: inner for field, inner in value.items() if inner is not None}


# The answer schema each section of `LocalApi.state()` holds.
STATE_SCHEMAS = {"agents": "Agent", "instances": "AgentInstance", "spans": "AgentSpan"}


def body_key(operation_id: str, body: Any) -> str | None:
    """The idempotency key a request body carries, where the API reads it."""
    holder = key_holder(operation_id, body)
    key = holder.get("idempotency_key") if holder is not None else None
    return key if isinstance(key, str) else None


class LocalApi:
    """The Prefactor API's rules over a `Store`, checked against a `Spec`.

    Requests may send null for any optional field: it counts as not sent. With
    `sparse`, answers leave out every field whose value is null, as the hosted
    API may; otherwise they send every property their schema declares, null
    where there is no value (`_complete.py` fills what the store does not keep).
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
        self._completer = Completer(self.spec)
        self.bulk_actions = bulk_actions(self.spec)

    def state(self) -> dict[str, Any]:
        """The store's snapshot, each resource as a full answer holds it (sparse or not)."""
        snapshot = self.store.snapshot()
        for section, schema in STATE_SCHEMAS.items():
            node = self.spec.component(schema)
            for resource in snapshot[section].values():
                self._completer.complete(node, resource)
        return snapshot

    def template(self, method: str, raw_path: str) -> str | None:
        """The spec's path template for a request, if it is an operation."""
        try:
            return self.spec.route(method, raw_path)[0].template
        except NoRouteError:
            return None

    def handle(self, method: str, raw_path: str, headers: dict[str, str], body: bytes) -> Answer:
        """Answer one request; `raw_path` may end in a query, `headers` has lower-case names."""
        raw_path, _, raw_query = raw_path.partition("?")
        try:
            operation, params = self.spec.route(method, raw_path)
        except NoRouteError as exc:
            if exc.status == 405:
                answer = _error(405, "method_not_allowed", f"{method} is not allowed here")
                return Answer(answer.status, answer.body, {"Allow": ", ".join(exc.allowed)})
            return _error(404, "not_found", "no such API path")
        if not self._authorized(headers.get("authorization", "")):
            answer = _error(401, "unauthorized", "a valid bearer token is required")
            return self._shaped(operation, answer)
        pairs = parse_qsl(raw_query, keep_blank_values=True)
        answer = self._shaped(operation, self._checked(operation, params, pairs, headers, body))
        if self.check_answers:
            problem = self.spec.answer_problem(operation, answer.status, answer.body)
            if problem is not None:
                return self._shaped(operation, _error(500, "answer_outside_spec", problem))
        return answer

    def _shaped(self, operation: Operation, answer: Answer) -> Answer:
        """The answer as this server's mode sends it: sparse, or complete."""
        if self.sparse:
            return Answer(answer.status, without_null_fields(answer.body), answer.headers)
        self._complete(operation, answer.status, answer.body)
        return answer

    def _complete(self, operation: Operation | None, status: int, body: dict[str, Any]) -> None:
        """Fill in, in place, every property the answer schema declares and `body` lacks."""
        if operation is not None:
            self._completer.complete(operation.responses.get(str(status)), body)

    def _authorized(self, authorization: str) -> bool:
        scheme, _, credential = authorization.partition(" ")
        if scheme.lower() != "bearer":
            return False
        return hmac.compare_digest(credential.strip().encode(), self._token)

    def _checked(
        self,
        operation: Operation,
        path_params: dict[str, str],
        query: list[tuple[str, str]],
        headers: dict[str, str],
        raw: bytes,
    ) -> Answer:
        values, errors = self.spec.query_values(operation, query)
        if errors:
            return _error(422, "validation_error", "the query is invalid", errors)
        params: dict[str, Any] = {**path_params, **values}
        body: Any = None
        if operation.body_schema is not None and (raw.strip() or operation.body_required):
            try:
                body = json.loads(raw)
            except ValueError:
                return _error(400, "invalid_json", "the request body is not JSON")
            body, errors = self._checked_body(operation, body)
            if errors:
                return _error(422, "validation_error", "the request body is invalid", errors)
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
            operation, (status, output) = self._bulk_item(item)
            if not self.sparse:
                # An output is its action's answer (BulkOutput leaves `details` open): it is
                # completed along the single operation's schema, not BulkOutput's.
                self._complete(operation, status, output)
            outputs[item["idempotency_key"]] = output
            if output["status"] == "error":
                break
        return Outcome(200, {"status": "success", "outputs": outputs})

    def _bulk_item(self, item: dict[str, Any]) -> tuple[Operation | None, Outcome]:
        """The single operation an item runs (None for an unknown action), and its outcome."""
        action = self.bulk_actions.get(item["_type"])
        if action is None:
            message = f"unknown action type {item['_type']!r}"
            return None, ApiError(422, "unknown_action", message, {"_type": [message]}).outcome
        operation = self.spec.operation(action.operation)
        key = item["idempotency_key"]
        fields = {name: value for name, value in item.items() if name != "_type"}
        params: dict[str, Any] = {}
        if action.target is not None:
            value = fields.pop(action.target, None)
            if not isinstance(value, str) or not value:
                errors = {action.target: ["is required and must be a non-empty string"]}
                return operation, ApiError(422, "validation_error", "invalid item", errors).outcome
            params[action.target] = value
        if action.query:
            del fields["idempotency_key"]
            values, errors = self.spec.query_values(operation, _query_pairs(fields))
            if errors:
                return operation, ApiError(422, "validation_error", "invalid item", errors).outcome
            return operation, self.store.perform(action.operation, {**params, **values}, None, key)
        body: dict[str, Any] = fields
        if action.wrap is not None and action.key_inside:
            body = {action.wrap: fields}
        elif action.wrap is not None:
            del fields["idempotency_key"]
            body = {action.wrap: fields, "idempotency_key": key}
        body, errors = self._checked_body(operation, body)
        if errors:
            flat = {name.removeprefix("details."): msgs for name, msgs in errors.items()}
            return operation, ApiError(422, "validation_error", "invalid item", flat).outcome
        return operation, self.store.perform(action.operation, params, body, key)

    def _checked_body(self, operation: Operation, body: Any) -> tuple[Any, FieldErrors]:
        """A body as its handler gets it, or what is wrong with it: one check for both routes.

        A single call and a bulk item of the same action pass through here, so
        they require and refuse the same (the wire format's rule); defaults are
        filled in by the store's one handler per action, for both. Null in an
        optional field means "not given": the store, and the key check
        comparing a resent request with the first, never see it.
        """
        errors = self.spec.request_errors(operation, body)
        if errors:
            return body, errors
        return self.spec.without_null_options(operation.body_schema, body), {}


def _query_pairs(fields: dict[str, Any]) -> list[tuple[str, str]]:
    """A read item's fields as query parameters: `pagination: {offset: 0}` is `pagination[offset]`.

    Numbers become their text, so they are checked as the query's are; any
    other non-text value is passed as its JSON, which the query's checks refuse.
    """
    pairs: list[tuple[str, str]] = []
    for name, value in fields.items():
        if value is None:
            continue
        if isinstance(value, dict):
            pairs.extend(_query_pairs({f"{name}[{k}]": v for k, v in value.items()}))
        elif isinstance(value, str):
            pairs.append((name, value))
        elif isinstance(value, int) and not isinstance(value, bool):
            pairs.append((name, str(value)))
        else:
            pairs.append((name, json.dumps(value)))
    return pairs
