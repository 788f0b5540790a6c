"""What the client's own calls send: `request` (any API path) and `ping`."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from prefactor_http import _validate
from prefactor_http._generated.api.auth import ping as ping_endpoint
from prefactor_http._generated.models.ping_envelope import PingEnvelope
from prefactor_http._operations._core import (
    Call,
    encode_json,
    new_idempotency_key,
    request_call,
)
from prefactor_http._responses import read_json_object

# The API speaks JSON both ways, so HEAD and OPTIONS (no JSON answer) are left out.
HTTP_METHODS = frozenset({"GET", "POST", "PUT", "PATCH", "DELETE"})
IDEMPOTENT_METHODS = frozenset({"GET", "PUT", "DELETE"})
QUERY_SCALARS = (str, int, float, bool)
_DOT_SEGMENT = re.compile(r"(?:\.|%2e){1,2}", re.IGNORECASE)


def ping() -> Call[dict[str, Any]]:
    return request_call(ping_endpoint.build_request(), PingEnvelope, PingEnvelope.to_dict)


def request(
    *,
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
    text = _api_path(path)
    body = _validate.json_object("json_data", json_data)
    key = _validate.idempotency_key("idempotency_key", idempotency_key)
    if key is not None and verb == "GET":
        _validate.refuse("idempotency_key", "is for calls that change state, not for GET")
    body, key = _body_key(body, key)
    arguments: dict[str, Any] = {"method": verb, "url": text}
    if params is not None:
        arguments["params"] = _query(params)
    if body is not None:
        arguments["json"] = body
    # Without a key in the body a made one goes in the header only: where this
    # path's body would read it is unknown, so the call stays not replay-safe.
    header_key = (key or new_idempotency_key()) if verb != "GET" else None
    encode_json(arguments, header_key)
    replay_safe = verb in IDEMPOTENT_METHODS or key is not None
    return Call(verb, text, arguments, read_json_object, replay_safe, header_key)


def _api_path(path: object) -> str:
    """`path` if it names a path under `api_url` and stays there, else refused.

    A `.` or `..` segment (`%2e` is a `.`, RFC 3986) is removed by whoever
    normalises the URL, httpx or a proxy or the server, with the segment
    before it: `/api/v1/../../etc` under `http://host/base` would reach
    `/base/etc`. Dots within a segment (`/a.b`, `/..x`) and encoded
    separators (`%2F`; a backslash, sent as `%5C`) are data, sent as given.
    """
    text = _validate.text("path", path)
    if not text.startswith("/") or text.startswith("//"):
        _validate.refuse(
            "path", f"must be an absolute API path such as '/api/v1/ping', got {path!r}"
        )
    route = text.partition("?")[0].partition("#")[0]
    if any(_DOT_SEGMENT.fullmatch(segment) for segment in route.split("/")):
        _validate.refuse(
            "path",
            f"must not hold a '.' or '..' segment (or '%2e'): it would leave or rewrite "
            f"the path under api_url, got {path!r}",
        )
    return text


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
