"""What each call sends and how its answer is read, shared by both clients.

A `Call` is built before any I/O: input is checked here, the body is made
with the generated models and the request with the endpoint's generated
`_get_kwargs`, then encoded to JSON once; its `read` parses the answer with the
generated `_build_response`. The async client and its blocking twin only send
`request` and hand the answer to `read`, retrying as `RetryPolicy` says.

Every mutating call carries an idempotency key (the caller's, or one made here
once per logical call), in the body field the API reads and in an
`Idempotency-Key` header, so a retry after the server committed is replayed
by the server instead of acting twice.
"""

from __future__ import annotations

import json
import json.encoder
import os
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from functools import partial
from types import ModuleType
from typing import Any, Generic, TypeVar

from prefactor_http import _validate
from prefactor_http._bodies import Answer
from prefactor_http._conform import first_mismatch
from prefactor_http._generated.api.agent_instances import (
    finish_agent_instance,
    get_agent_instance,
    record_agent_instance_quality,
    register_agent_instance,
    start_agent_instance,
)
from prefactor_http._generated.api.agent_spans import create_agent_span, finish_agent_span
from prefactor_http._generated.api.auth import ping
from prefactor_http._generated.api.bulk import execute_bulk
from prefactor_http._generated.models.agent_instance_envelope import AgentInstanceEnvelope
from prefactor_http._generated.models.agent_schema_version import AgentSchemaVersion
from prefactor_http._generated.models.agent_span_details import AgentSpanDetails
from prefactor_http._generated.models.agent_span_envelope import AgentSpanEnvelope
from prefactor_http._generated.models.agent_version import AgentVersion
from prefactor_http._generated.models.bulk_output_status import BULK_OUTPUT_STATUS_VALUES
from prefactor_http._generated.models.bulk_request import BulkRequest as WireBulkRequest
from prefactor_http._generated.models.create_agent_span_request import CreateAgentSpanRequest
from prefactor_http._generated.models.finish_agent_instance_request import (
    FinishAgentInstanceRequest,
)
from prefactor_http._generated.models.finish_agent_span_request import FinishAgentSpanRequest
from prefactor_http._generated.models.ping_envelope import PingEnvelope
from prefactor_http._generated.models.record_quality_request import RecordQualityRequest
from prefactor_http._generated.models.register_agent_instance_request import (
    RegisterAgentInstanceRequest,
)
from prefactor_http._generated.models.start_agent_instance_request import (
    StartAgentInstanceRequest,
)
from prefactor_http._responses import contract_error, read_generated, read_json_object
from prefactor_http.models.agent_instance import AgentInstance
from prefactor_http.models.agent_span import AgentSpan, ControlSignal
from prefactor_http.models.bulk import (
    BulkItem,
    BulkOutput,
    BulkRequest,
    BulkResponse,
    check_items,
)
from prefactor_http.models.types import (
    FINISH_STATUS_VALUES,
    INSTANCE_PURPOSE_VALUES,
    SPAN_CREATE_STATUS_VALUES,
)

T = TypeVar("T")
M = TypeVar("M")
U = TypeVar("U")

ControlSignalCallback = Callable[[str | None], object]

# The API speaks JSON both ways, so HEAD and OPTIONS (no JSON answer) are left out.
HTTP_METHODS = frozenset({"GET", "POST", "PUT", "PATCH", "DELETE"})
IDEMPOTENT_METHODS = frozenset({"GET", "PUT", "DELETE"})
QUERY_SCALARS = (str, int, float, bool)
IDEMPOTENCY_HEADER = "Idempotency-Key"
MAX_BLAME_DEPTH = 8


@dataclass(frozen=True, slots=True)
class Call(Generic[T]):
    """One logical call: the httpx request arguments and the reader of its answer.

    `replay_safe` says whether sending the request twice is harmless (a GET, or
    a body with an idempotency key); if not, only failures that prove the
    server never processed it are retried. `idempotency_key` is the key in the
    request's Idempotency-Key header (None for a GET), which the client puts
    on a PrefactorResponseContractError: the caller may need it to resend.
    """

    method: str
    path: str
    request: dict[str, Any]
    read: Callable[[Answer], T]
    replay_safe: bool = True
    idempotency_key: str | None = None


def new_idempotency_key() -> str:
    """A key unique to one logical call, reused by all its retries (39 characters).

    128 random bits, as hex: a quarter of the CPU of `uuid.uuid4().hex`.
    """
    return f"pfhttp-{os.urandom(16).hex()}"


def _encode_json(request: dict[str, Any], key: str | None) -> None:
    """Swap httpx's `json=` for bytes encoded once (bad values fail before sending); add `key`."""
    headers = request.get("headers", {})
    if key is not None:
        headers = {**headers, IDEMPOTENCY_HEADER: key}
    if "json" in request:
        body = request.pop("json")
        try:
            request["content"] = _dump(body)
        except _UNENCODABLE as exc:
            _validate.refuse(_unencodable(body, ""), f"is not JSON-serializable ({exc!r:.200})")
        headers = {**headers, "Content-Type": "application/json"}
    if headers:
        request["headers"] = headers


# One encoder for every call: json.dumps with options builds a new one each time.
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def _dump(value: object) -> bytes:
    return _ENCODER.encode(value).encode()


def _make_item_dumper() -> Callable[[object], bytes]:
    """`_dump` for one bulk item, a third cheaper: the C encoder is made once, not per call.

    It keeps no cycle markers (shared markers would be unsafe across
    threads); a cycle still fails, with RecursionError, as the C encoder
    guards its depth.
    """
    make = json.encoder.c_make_encoder  # type: ignore[attr-defined]
    if make is None:  # no C accelerator (another Python implementation)
        return _dump
    encoder = make(
        None, _ENCODER.default, json.encoder.encode_basestring, None, ":", ",", False, False, False
    )

    def dump(value: object) -> bytes:
        return "".join(encoder(value, 0)).encode()

    return dump


_dump_item = _make_item_dumper()


# json raises these for sets, datetimes, NaN, cycles, lone surrogates and too deep nesting.
_UNENCODABLE = (TypeError, ValueError, RecursionError)


def _unencodable(value: object, where: str, depth: int = 0) -> str:
    """The path (`items[1].payload.x`) of a value json cannot encode; run only on failure."""
    if depth >= MAX_BLAME_DEPTH:
        return where or "body"
    if isinstance(value, Mapping):
        parts = [(f"{where}.{key}" if where else str(key), item) for key, item in value.items()]
    elif isinstance(value, list | tuple):
        parts = [(f"{where}[{index}]", item) for index, item in enumerate(value)]
    else:
        parts = []
    for path, item in parts:
        try:
            _dump(item)
        except _UNENCODABLE:
            return _unencodable(item, path, depth + 1)
    return where or "body"


def _generated_call(
    module: ModuleType,
    envelope: type[M],
    unwrap: Callable[[M], T],
    *args: Any,
    key: str | None = None,
    nulls: Collection[str] = (),
    **kwargs: Any,
) -> Call[T]:
    """The call an endpoint's generated builder makes, with `nulls` sent as null in `details`.

    (Models leave None fields out; a field the caller asks to clear must travel as null.)
    """
    request = module._get_kwargs(*args, **kwargs)
    if nulls:
        request["json"]["details"].update(dict.fromkeys(nulls))
    method = request["method"] = request["method"].upper()
    path = request["url"]
    _encode_json(request, key)

    def read(response: Answer) -> T:
        return unwrap(read_generated(envelope, method, path, response))

    return Call(method, path, request, read, idempotency_key=key)


def _model(field: str, cls: type[M], value: object) -> M:
    data = _validate.json_object(field, value, optional=False)
    try:
        model: M = cls.from_dict(data)  # type: ignore[attr-defined]
    except KeyError as exc:
        _validate.refuse(field, f"needs the key {exc.args[0]!r}")
    except (TypeError, ValueError, AttributeError) as exc:
        _validate.refuse(field, f"is malformed: {exc}")
    mismatch = first_mismatch(model)
    if mismatch:
        _validate.refuse(f"{field}.{mismatch[0]}", mismatch[1])
    return model


def _key(idempotency_key: object) -> str:
    return _validate.idempotency_key("idempotency_key", idempotency_key) or new_idempotency_key()


def _instance(envelope: AgentInstanceEnvelope) -> AgentInstance:
    return envelope.details


def _span_envelope(envelope: AgentSpanEnvelope) -> AgentSpanEnvelope:
    return envelope


def ping_call() -> Call[dict[str, Any]]:
    return _generated_call(ping, PingEnvelope, PingEnvelope.to_dict)


def raw_call(
    method: str,
    path: str,
    params: Mapping[str, Any] | None,
    json_data: Mapping[str, Any] | None,
    idempotency_key: str | None,
) -> Call[dict[str, Any]]:
    verb = method.upper() if isinstance(method, str) else ""
    if verb not in HTTP_METHODS:
        _validate.refuse(
            "method", f"must be one of {', '.join(sorted(HTTP_METHODS))}, got {method!r}"
        )
    text = _validate.text("path", path)
    if not text.startswith("/") or text.startswith("//"):
        _validate.refuse(
            "path", f"must be an absolute API path such as '/api/v1/ping', got {path!r}"
        )
    body = _validate.json_object("json_data", json_data)
    key = _validate.idempotency_key("idempotency_key", idempotency_key)
    if key is not None and verb == "GET":
        _validate.refuse("idempotency_key", "is for calls that change state, not for GET")
    body, key = _body_key(body, key)
    request: dict[str, Any] = {"method": verb, "url": text}
    if params is not None:
        request["params"] = _query(params)
    if body is not None:
        request["json"] = body
    # Without a key in the body a made one goes in the header only: where this
    # path's body would read it is unknown, so the call stays not replay-safe.
    header_key = (key or new_idempotency_key()) if verb != "GET" else None
    _encode_json(request, header_key)
    replay_safe = verb in IDEMPOTENT_METHODS or key is not None
    read = partial(read_json_object, verb, text)
    return Call(verb, text, request, read, replay_safe, header_key)


def _body_key(
    body: dict[str, Any] | None, key: str | None
) -> tuple[dict[str, Any] | None, str | None]:
    """The body with the call's key where the API reads it, and that key.

    The API reads a key at the top level, or inside `details` for the bodies
    it wraps (span create). A key already there is the caller's own: it is
    kept, and `idempotency_key=` must agree with it.
    """
    if body is None:
        return ({"idempotency_key": key} if key is not None else None), key
    details = body.get("details")
    wrapped = isinstance(details, Mapping)
    holder: Mapping[str, Any] = details if isinstance(details, Mapping) else body
    field = "json_data.details" if wrapped else "json_data"
    given = holder.get("idempotency_key")
    if given is not None:
        given = _validate.idempotency_key(f"{field}.idempotency_key", given)
        if key is not None and key != given:
            _validate.refuse("idempotency_key", f"is {key!r} but {field} holds {given!r}")
        return body, given
    if key is None:
        return body, None
    if wrapped:
        return {**body, "details": {**holder, "idempotency_key": key}}, key
    return {**body, "idempotency_key": key}, key


def _query(params: object) -> dict[str, Any]:
    checked: dict[str, Any] = {}
    for name, value in (_validate.json_object("params", params) or {}).items():
        field = f"params.{_validate.text('params', name)}"
        values = value if isinstance(value, list | tuple) else [value]
        for item in values:
            if not isinstance(item, QUERY_SCALARS):
                _validate.refuse(
                    field, f"must be a str, int, float or bool (or a list), got {value!r}"
                )
            if isinstance(item, str):
                _validate.text(field, item)
        checked[name] = value
    return checked


def register_instance(
    agent_id: object,
    agent_version: object,
    agent_schema_version: object,
    id: object,
    idempotency_key: object,
    update_current_version: object,
    environment_id: object,
    purpose: object,
    external_identifier: object,
) -> Call[AgentInstance]:
    key = _key(idempotency_key)
    if isinstance(agent_id, Mapping):
        # prefactor-http 0.4.3's order, (agent_version, agent_schema_version, agent_id, ...):
        # unambiguous for three positional arguments, since agent_id is never a dict.
        if id is not None or idempotency_key is not None or update_current_version is not True:
            _validate.refuse(
                "agent_id",
                "is a dict: with agent_version first (the 0.4.3 order), pass every "
                "argument after agent_id by keyword",
            )
        agent_id, agent_version, agent_schema_version = (
            agent_schema_version,
            agent_id,
            agent_version,
        )
    if agent_version is None:
        _validate.refuse("agent_version", "is required")
    if agent_schema_version is None:
        _validate.refuse("agent_schema_version", "is required")
    body = RegisterAgentInstanceRequest(
        agent_version=_model("agent_version", AgentVersion, agent_version),
        agent_schema_version=_model(
            "agent_schema_version", AgentSchemaVersion, agent_schema_version
        ),
        update_current_version=_validate.flag("update_current_version", update_current_version),
        agent_id=_validate.optional_text("agent_id", agent_id),
        environment_id=_validate.optional_text("environment_id", environment_id),
        id=_validate.optional_text("id", id),
        external_identifier=_validate.optional_text("external_identifier", external_identifier),
        purpose=_validate.choice("purpose", purpose, INSTANCE_PURPOSE_VALUES, optional=True),
        idempotency_key=key,
    )
    return _generated_call(
        register_agent_instance, AgentInstanceEnvelope, _instance, key=key, body=body
    )


def start_instance(
    agent_instance_id: object, timestamp: object, idempotency_key: object
) -> Call[AgentInstance]:
    key = _key(idempotency_key)
    instance_id = _validate.identifier("agent_instance_id", agent_instance_id)
    body = StartAgentInstanceRequest(
        timestamp=_validate.timestamp("timestamp", timestamp),
        idempotency_key=key,
    )
    return _generated_call(
        start_agent_instance, AgentInstanceEnvelope, _instance, instance_id, key=key, body=body
    )


def finish_instance(
    agent_instance_id: object, status: object, timestamp: object, idempotency_key: object
) -> Call[AgentInstance]:
    key = _key(idempotency_key)
    instance_id = _validate.identifier("agent_instance_id", agent_instance_id)
    body = FinishAgentInstanceRequest(
        status=_validate.choice("status", status, FINISH_STATUS_VALUES, optional=True),
        timestamp=_validate.timestamp("timestamp", timestamp),
        idempotency_key=key,
    )
    return _generated_call(
        finish_agent_instance, AgentInstanceEnvelope, _instance, instance_id, key=key, body=body
    )


def record_quality(
    agent_instance_id: object, name: object, payload: object, idempotency_key: object
) -> Call[AgentInstance]:
    instance_id = _validate.identifier("agent_instance_id", agent_instance_id)
    key = _key(idempotency_key)
    body = RecordQualityRequest(
        name=_validate.required_text("name", name),
        payload=_validate.json_object("payload", payload),
        idempotency_key=key,
    )
    return _generated_call(
        record_agent_instance_quality,
        AgentInstanceEnvelope,
        _instance,
        instance_id,
        key=key,
        body=body,
    )


def get_instance(agent_instance_id: object) -> Call[AgentInstance]:
    instance_id = _validate.identifier("agent_instance_id", agent_instance_id)
    return _generated_call(get_agent_instance, AgentInstanceEnvelope, _instance, instance_id)


def create_span(
    agent_instance_id: object,
    schema_name: object,
    status: object,
    payload: object,
    result_payload: object,
    id: object,
    parent_span_id: object,
    started_at: object,
    finished_at: object,
    idempotency_key: object,
) -> Call[AgentSpanEnvelope]:
    key = _key(idempotency_key)
    details = AgentSpanDetails(
        agent_instance_id=_validate.identifier("agent_instance_id", agent_instance_id),
        schema_name=_validate.required_text("schema_name", schema_name),
        status=_validate.choice("status", status, SPAN_CREATE_STATUS_VALUES),  # type: ignore[arg-type]
        payload=_validate.json_object("payload", payload) or {},
        result_payload=_validate.json_object("result_payload", result_payload),
        id=_validate.optional_text("id", id),
        parent_span_id=_validate.optional_text("parent_span_id", parent_span_id),
        started_at=_validate.timestamp("started_at", started_at),
        finished_at=_validate.timestamp("finished_at", finished_at),
        idempotency_key=key,
    )
    body = CreateAgentSpanRequest(details=details)
    return _generated_call(create_agent_span, AgentSpanEnvelope, _span_envelope, key=key, body=body)


def finish_span(
    agent_span_id: object,
    status: object,
    result_payload: object,
    timestamp: object,
    idempotency_key: object,
) -> Call[AgentSpanEnvelope]:
    key = _key(idempotency_key)
    span_id = _validate.identifier("agent_span_id", agent_span_id)
    body = FinishAgentSpanRequest(
        status=_validate.choice("status", status, FINISH_STATUS_VALUES, optional=True),
        result_payload=_validate.json_object("result_payload", result_payload),
        timestamp=_validate.timestamp("timestamp", timestamp),
        idempotency_key=key,
    )
    return _generated_call(
        finish_agent_span, AgentSpanEnvelope, _span_envelope, span_id, key=key, body=body
    )


def deliver_span(envelope: AgentSpanEnvelope, callback: ControlSignalCallback | None) -> AgentSpan:
    """Return the span, first telling the callback if the platform asked the agent to stop.

    Runs after the retry loop, so an exception from the callback never causes a resend.
    """
    control = envelope.control
    if callback is not None and isinstance(control, ControlSignal) and control.terminate is True:
        reason = control.reason if isinstance(control.reason, str) else None
        callback(reason)
    return envelope.details


def bulk(request: object) -> Call[BulkResponse]:
    if not isinstance(request, BulkRequest):
        _validate.refuse("request", f"must be a BulkRequest, got {type(request).__name__}")
    items = check_items(request.items)
    bodies = [encode_item(item, f"items[{index}]") for index, item in enumerate(items)]
    return bulk_items(items, bodies)


def encode_item(item: BulkItem, where: str) -> bytes:
    """`item` as it travels, encoded now: an item JSON cannot carry is refused before sending.

    Bulk callers check every item when they take it (span writers at
    `write()`, `execute_many` before its first request) and keep these bytes,
    so a later change to the caller's nested params cannot break a batch.
    """
    wire = item.to_dict()
    try:
        return _dump_item(wire)
    except _UNENCODABLE as exc:
        _validate.refuse(_unencodable(wire, where), f"is not JSON-serializable ({exc!r:.200})")


def bulk_items(
    items: list[BulkItem], bodies: list[bytes], *, keep_details: bool = True
) -> Call[BulkResponse]:
    """The bulk call for `items`, checked by `check_items`, and their `encode_item` bodies.

    Without `keep_details` (span writers, which only need each item's fate)
    successful outputs share one detail-less BulkOutput.

    Bulk is the per-item hot path (span writers, `execute_many`), so the body
    is joined from each item's bytes rather than a generated model per item,
    and the answer is read here rather than by the generated parser, which
    costs several microseconds per item (an import statement and two model
    copies per output). The method, path and headers still come from the
    generated `_get_kwargs`, and output statuses are checked against the
    spec's values.
    """
    keys = [item.idempotency_key for item in items]
    # Each item keeps its own key in the body; the header key names this whole request.
    key = new_idempotency_key()
    request = {
        **_BULK_REQUEST,
        "content": b'{"items":[' + b",".join(bodies) + b"]}",
        "headers": {**_BULK_HEADERS, IDEMPOTENCY_HEADER: key},
    }

    def read(response: Answer) -> BulkResponse:
        return _bulk_response(keys, response, keep_details)

    return Call(_BULK_METHOD, _BULK_PATH, request, read, idempotency_key=key)


_BULK_REQUEST = execute_bulk._get_kwargs(body=WireBulkRequest(items=[]))
_BULK_METHOD = _BULK_REQUEST["method"] = _BULK_REQUEST["method"].upper()
_BULK_PATH: str = _BULK_REQUEST["url"]
del _BULK_REQUEST["json"]
_BULK_HEADERS = {**_BULK_REQUEST.get("headers", {}), "Content-Type": "application/json"}


_DELIVERED = BulkOutput(status="success")


def _bulk_response(keys: list[str], response: Answer, keep_details: bool) -> BulkResponse:
    data = read_json_object(_BULK_METHOD, _BULK_PATH, response)
    # `status` may be left out (the spec's default); `outputs` is what the caller needs.
    status, outputs = data.get("status") or "success", data.get("outputs")
    if not isinstance(status, str) or not isinstance(outputs, dict):
        raise contract_error(
            _BULK_METHOD,
            _BULK_PATH,
            response,
            "expected an 'outputs' object (and a 'status' string)",
        )
    parsed = {}
    for key, output in outputs.items():
        if (
            not isinstance(output, dict)
            or output.get("status") not in BULK_OUTPUT_STATUS_VALUES
            or not isinstance(output.get("errors") or {}, dict)
        ):
            raise contract_error(
                _BULK_METHOD,
                _BULK_PATH,
                response,
                f"outputs[{key!r}]: expected an object with a 'status' of "
                f"{' or '.join(map(repr, sorted(BULK_OUTPUT_STATUS_VALUES)))}",
            )
        if keep_details or output["status"] != "success":
            parsed[key] = BulkOutput(**output)
        else:
            parsed[key] = _DELIVERED
    return BulkResponse(status=status, outputs=parsed, requested_keys=keys)
