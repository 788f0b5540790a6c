"""What any call needs: the `Call` type, idempotency keys and JSON encoding.

A `Call` is built before any I/O: input is checked by the operation's
method in `endpoints/`, the request is made by the endpoint's generated
`build_request` and encoded to JSON once here; its `read` parses the answer
with the generated models. The async client and its blocking twin only send
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
from typing import Any, Generic, TypeVar

import msgspec

from prefactor_http import _validate
from prefactor_http._bodies import Answer
from prefactor_http._generated.types import UNSET, Unset
from prefactor_http._responses import decode_json, read_generated

T = TypeVar("T")
M = TypeVar("M")

# Reads the answer to (method, path): a typed result, or a typed error.
Reader = Callable[[str, str, Answer], T]

IDEMPOTENCY_HEADER = "Idempotency-Key"
MAX_BLAME_DEPTH = 8


@dataclass(slots=True)
class Call(Generic[T]):
    """One logical call: the httpx request arguments and the reader of its answer.

    `replay_safe` says whether sending the request twice is harmless (a GET, or
    a body with an idempotency key); if not, only failures that prove the
    server never processed it are retried. `idempotency_key` is the key in the
    request's Idempotency-Key header (None for a GET), which the client puts
    on a PrefactorResponseContractError: the caller may need it to resend.

    `reader` reads the answer to `method path`; it is made once per kind of
    answer, not per call, and nothing here is changed after construction
    (not frozen: a frozen dataclass costs four times as much to make, per call).
    """

    method: str
    path: str
    request: dict[str, Any]
    reader: Reader[T]
    replay_safe: bool = True
    idempotency_key: str | None = None

    def read(self, answer: Answer) -> T:
        return self.reader(self.method, self.path, answer)


def new_idempotency_key() -> str:
    """A key unique to one logical call, reused by all its retries (39 characters).

    128 random bits, as hex: a quarter of the CPU of `uuid.uuid4().hex`.
    """
    return f"pfhttp-{os.urandom(16).hex()}"


def call_key(idempotency_key: object) -> str:
    """The caller's `idempotency_key`, checked, or a new one."""
    return _validate.idempotency_key("idempotency_key", idempotency_key) or new_idempotency_key()


def encode_json(request: dict[str, Any], key: str | None) -> None:
    """Swap httpx's `json=` for bytes encoded once (bad values fail before sending); add `key`."""
    headers = request.get("headers", {})
    if key is not None:
        headers = {**headers, IDEMPOTENCY_HEADER: key}
    if "json" in request:
        body = request.pop("json")
        try:
            request["content"] = dump(body)
        except UNENCODABLE as exc:
            _validate.refuse(unencodable(body, ""), f"is not JSON-serializable ({exc!r:.200})")
        headers = {**headers, "Content-Type": "application/json"}
    if headers:
        request["headers"] = headers


def _as_object(value: object) -> object:
    """A Mapping that is not a dict (a 0.4.3 request shape, say) is a JSON object too."""
    if isinstance(value, Mapping):
        return dict(value)
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


# One encoder for every call: json.dumps with options builds a new one each time.
_ENCODER = json.JSONEncoder(
    ensure_ascii=False, separators=(",", ":"), allow_nan=False, default=_as_object
)


def _make_stdlib_dumper() -> Callable[[object], bytes]:
    """Compact JSON bytes from the stdlib's C encoder, made once.

    It keeps no cycle markers (shared markers would be unsafe across
    threads); a cycle still fails, with RecursionError, as the C encoder
    guards its depth.
    """
    make = json.encoder.c_make_encoder  # type: ignore[attr-defined]
    if make is None:  # no C accelerator (another Python implementation)
        return lambda value: _ENCODER.encode(value).encode()
    encoder = make(
        None, _as_object, json.encoder.encode_basestring, None, ":", ",", False, False, False
    )

    def dump(value: object) -> bytes:
        return "".join(encoder(value, 0)).encode()

    return dump


_stdlib_dump = _make_stdlib_dumper()
_fast_encode = msgspec.json.Encoder().encode


def dump(value: object) -> bytes:
    """`value` as compact JSON bytes; what JSON cannot hold raises one of `UNENCODABLE`.

    msgspec encodes in a sixth of the stdlib's time, but it also takes what
    JSON has no place for (a datetime or a set becomes a string or a list,
    NaN becomes null). So its bytes are kept only when reading them back
    gives `value` itself, which still costs half the stdlib's time; anything
    else (those, but also tuples and non-string keys) is left to the stdlib,
    which encodes or refuses exactly as before.
    """
    try:
        encoded = _fast_encode(value)
        if decode_json(encoded) == value:
            return encoded
    except Exception:  # whatever msgspec refuses, the stdlib decides
        pass
    return _stdlib_dump(value)


# json raises these for sets, datetimes, NaN, cycles, lone surrogates and too deep nesting.
UNENCODABLE = (TypeError, ValueError, RecursionError)


def unencodable(value: object, where: str, depth: int = 0) -> str:
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
            dump(item)
        except UNENCODABLE:
            return unencodable(item, path, depth + 1)
    return where or "body"


def request_call(
    request: dict[str, Any],
    envelope: type[M],
    unwrap: Callable[[M], T],
    *,
    key: str | None = None,
    nulls: Collection[str] = (),
) -> Call[T]:
    """The call of what a generated `build_request` made, with `nulls` sent as null in `details`.

    (Models leave None fields out; a field the caller asks to clear must travel as null.)
    """
    if nulls:
        request["json"]["details"].update(dict.fromkeys(nulls))
    method = request["method"] = request["method"].upper()
    path = request["url"]
    encode_json(request, key)
    return Call(method, path, request, generated_reader(envelope, unwrap), idempotency_key=key)


def whole(answer: M) -> M:
    """The unwrap of a method that returns the whole answer model."""
    return answer


def given(value: T | None) -> T | Unset:
    """A query argument for a generated `build_request`, which takes UNSET for "not given"."""
    return UNSET if value is None else value


_READERS: dict[tuple[type, Callable[[Any], Any]], Reader[Any]] = {}


def generated_reader(envelope: type[M], unwrap: Callable[[M], T]) -> Reader[T]:
    """The reader of answers shaped as `envelope`, giving `unwrap(envelope)`; made once per pair."""
    reader = _READERS.get((envelope, unwrap))
    if reader is None:

        def reader(method: str, path: str, answer: Answer) -> T:
            return unwrap(read_generated(envelope, method, path, answer))

        _READERS[envelope, unwrap] = reader
    return reader
