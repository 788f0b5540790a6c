"""Bulk requests and their per-item outcomes.

The API runs items in order and stops at the first failure, so a response
alone does not say which items never ran; `BulkResponse` remembers the keys
it was asked for and answers that directly (`succeeded`, `failed`,
`not_processed`).
"""

from __future__ import annotations

import decimal
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any

import msgspec

from prefactor_http import _validate
from prefactor_http._responses import decode_json

__all__ = [
    "BulkBatchResult",
    "BulkItem",
    "BulkOutput",
    "BulkRequest",
    "BulkResponse",
    "WriteFailure",
    "WriterStats",
]


# The action whose single call fills in a param the API requires: `agent_spans.create` sends
# `payload: {}` when given none, and an item of the same action does the same.
SPAN_CREATE = "agent_spans/create"


class BulkItem:
    """One action: `_type` (e.g. "agent_spans/create"), a key, and the action's params.

    Params are kept as given and sent flat beside `_type`, except what the
    action's single call fills in (a span create's missing `payload` is
    `{}`), so an action takes the same params on both routes. The item's own
    fields cannot be reassigned, but nested params (a payload dict) are the
    caller's objects and can still change; so bulk callers encode each item
    when they check it (a writer at `write()`, `execute_many` before its
    first request) and send those bytes.
    """

    __slots__ = ("_type", "_wire", "idempotency_key")

    _type: str
    _wire: dict[str, Any]  # the params, then `_type` and `idempotency_key`: what `to_dict` copies
    idempotency_key: str

    def __init__(self, *, _type: str, idempotency_key: str, **params: Any) -> None:
        if not isinstance(_type, str) or not _type:
            _validate.refuse(
                "_type", f"must name an action such as 'agent_spans/create', got {_type!r}"
            )
        key = _validate.idempotency_key("idempotency_key", idempotency_key, bulk_type=_type)
        _set_type(self, _type)
        _set_key(self, key)
        # `**params` is always a new dict, this call's own: it becomes the item as it
        # travels, so encoding it needs no copy.
        if _type == SPAN_CREATE and params.get("payload") is None:
            params["payload"] = {}
        params["_type"] = _type
        params["idempotency_key"] = key
        _set_wire(self, params)

    @property
    def type(self) -> str:
        """The action, as `group/verb`."""
        return self._type

    @property
    def params(self) -> dict[str, Any]:
        """The action's parameters (a shallow copy: nested values are the caller's)."""
        params = dict(self._wire)
        del params["_type"], params["idempotency_key"]
        return params

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        try:
            return self._wire[name]
        except KeyError:
            raise AttributeError(name) from None

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("BulkItem is immutable: make a new item instead")

    def to_dict(self) -> dict[str, Any]:
        """The item as it travels: params flat beside `_type` and `idempotency_key`."""
        return dict(self._wire)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, BulkItem) and self._wire == other._wire

    __hash__ = None  # type: ignore[assignment]

    def __reduce__(self) -> tuple[object, ...]:
        # The default would set the slots one by one, which __setattr__ forbids.
        return (_bulk_item, (self._type, self.idempotency_key, self.params))

    def __repr__(self) -> str:
        params = "".join(f", {k}={v!r}" for k, v in self.params.items())
        return f"BulkItem(_type={self._type!r}, idempotency_key={self.idempotency_key!r}{params})"


# The slots' own setters (`__setattr__` refuses): cheaper than `object.__setattr__`'s lookup.
_set_type = BulkItem.__dict__["_type"].__set__
_set_key = BulkItem.__dict__["idempotency_key"].__set__
_set_wire = BulkItem.__dict__["_wire"].__set__
_get_wire = BulkItem.__dict__["_wire"].__get__


class _SpooledItem(BulkItem):
    """An item read back from a spool row, checked when it was written.

    Sending it needs only its key and its stored JSON, so the JSON is
    decoded (into the slots BulkItem reads) only when something looks
    inside: a failure report, `to_dict()`, a comparison. Draining a spool
    so costs a few microseconds less per item.
    """

    __slots__ = ("_body",)

    @property
    def _wire(self) -> dict[str, Any]:  # type: ignore[override]
        try:
            return _get_wire(self)  # type: ignore[no-any-return]
        except AttributeError:
            pass
        body = object.__getattribute__(self, "_body")
        try:
            wire = decode_json(body)
        except msgspec.DecodeError:  # what only the stdlib encoder writes, NaN say
            wire = json.loads(body)
        _set_wire(self, wire)
        return wire  # type: ignore[no-any-return]

    @property
    def _type(self) -> str:  # type: ignore[override]
        return self._wire["_type"]  # type: ignore[no-any-return]


def item_from_body(key: str, body: bytes) -> BulkItem:
    """The item a writer encoded as `body` (a spool row), with its key."""
    item = _SpooledItem.__new__(_SpooledItem)
    _set_key(item, key)
    _set_body(item, body)
    return item


def _bulk_item(type_: str, idempotency_key: str, params: dict[str, Any]) -> BulkItem:
    """A BulkItem rebuilt by pickle."""
    return BulkItem(_type=type_, idempotency_key=idempotency_key, **params)


_key_of = attrgetter("idempotency_key")


def check_items(items: object) -> list[BulkItem]:
    """Refuse what the API would: no items, a non-item, or a key used twice."""
    if not isinstance(items, Iterable) or isinstance(items, str | bytes | Mapping):
        _validate.refuse("items", f"must be a list of BulkItem, got {type(items).__name__}")
    checked = list(items)
    if not checked:
        _validate.refuse("items", "must hold at least one BulkItem")
    # The common case, checked in C (a quarter cheaper): only BulkItems, no key twice.
    # Anything else goes through the loop, which names the first problem.
    items_only = all(issubclass(kind, BulkItem) for kind in set(map(type, checked)))
    if items_only and len(set(map(_key_of, checked))) == len(checked):
        return checked
    first_seen: dict[str, int] = {}
    for index, item in enumerate(checked):
        if not isinstance(item, BulkItem):
            _validate.refuse(f"items[{index}]", f"must be a BulkItem, got {type(item).__name__}")
        earlier = first_seen.setdefault(item.idempotency_key, index)
        if earlier != index:
            _validate.refuse(
                f"items[{index}].idempotency_key",
                f"repeats {item.idempotency_key!r} of items[{earlier}]: keys must be unique",
            )
    return checked


class BulkRequest:
    """The items of one bulk call, checked when made and again when sent."""

    __slots__ = ("items",)

    def __init__(self, *, items: Iterable[BulkItem]) -> None:
        self.items: list[BulkItem] = check_items(items)

    @classmethod
    def validate_unique_idempotency_keys(cls, items: Iterable[BulkItem]) -> list[BulkItem]:
        """Return `items` as a list, or raise PrefactorValidationError naming a repeated key."""
        return check_items(items)

    def __repr__(self) -> str:
        return f"BulkRequest(items={self.items!r})"


class BulkOutput:
    """One item's outcome: `status` "success" with `details`, or "error" with `code` and `message`.

    Fields the server adds beyond these are kept in `extra` and readable as attributes.
    """

    # An output read from an answer keeps `details` as its JSON text (`_raw`) until first
    # read, and makes `errors` and `extra` only when read: writers and most callers never
    # read them, and building them cost most of an answer's reading.
    __slots__ = ("_details", "_errors", "_extra", "_raw", "code", "message", "status")

    _details: Any
    _raw: msgspec.Raw | None
    _errors: dict[str, list[str]] | None
    _extra: dict[str, Any] | None

    def __init__(
        self,
        /,
        *,
        status: str,
        details: Any = None,
        code: str | None = None,
        message: str | None = None,
        errors: Mapping[str, list[str]] | None = None,
        **extra: Any,
    ) -> None:
        self.status = status
        self._details = details
        self._raw = None
        self.code = code
        self.message = message
        self._errors = dict(errors or {})
        self._extra = extra

    @property
    def details(self) -> Any:
        """The action's result (the resource it made or changed), as the answer held it."""
        raw = self._raw
        if raw is not None:
            value = json_value(raw)
            # The first reader's value is every reader's (nothing can switch threads between
            # the check and the stores).
            if self._raw is raw:
                self._details, self._raw = value, None
        return self._details

    @details.setter
    def details(self, value: Any) -> None:
        self._details, self._raw = value, None

    @property
    def errors(self) -> dict[str, list[str]]:
        """The API's messages per field, for a validation error."""
        errors = self._errors
        if errors is None:
            errors = self._errors = {}
        return errors

    @errors.setter
    def errors(self, value: dict[str, list[str]]) -> None:
        self._errors = value

    @property
    def extra(self) -> dict[str, Any]:
        """Fields the server sent beyond those above."""
        extra = self._extra
        if extra is None:
            extra = self._extra = {}
        return extra

    @extra.setter
    def extra(self, value: dict[str, Any]) -> None:
        self._extra = value

    @property
    def ok(self) -> bool:
        """True when the item's action succeeded."""
        return self.status == "success"

    @classmethod
    def validate_status(cls, v: str) -> str:
        """Return `v` if it is an outcome the API sends ("success" or "error"), else raise."""
        if v not in ("success", "error"):
            _validate.refuse("status", f"must be 'success' or 'error', got {v!r}")
        return v

    def __getattr__(self, name: str) -> Any:
        if name in ("extra", "_extra"):  # unset only before unpickling sets the state
            raise AttributeError(name)
        try:
            return (self._extra or _NO_EXTRA)[name]
        except KeyError:
            raise AttributeError(name) from None

    def __eq__(self, other: object) -> bool:
        return isinstance(other, BulkOutput) and all(
            getattr(self, name) == getattr(other, name) for name in _OUTPUT_FIELDS
        )

    __hash__ = None  # type: ignore[assignment]

    def __getstate__(self) -> tuple[None, dict[str, Any]]:
        # The state of an output built whole (each public field): a pickle reads the same
        # whichever way the output was made, and whichever version of this class reads it.
        return None, {name: getattr(self, name) for name in _OUTPUT_FIELDS}

    def __repr__(self) -> str:
        if self.ok:
            return f"BulkOutput(status='success', details={self.details!r})"
        return f"BulkOutput(status={self.status!r}, code={self.code!r}, message={self.message!r})"


# The public fields, in the order a pickle of BulkOutput has always listed them.
_OUTPUT_FIELDS = ("code", "details", "errors", "extra", "message", "status")
_NO_EXTRA: dict[str, Any] = {}  # looked up, never changed


def answered_output(
    status: str,
    details: Any,
    raw: msgspec.Raw | None,
    code: str | None,
    message: str | None,
    errors: dict[str, list[str]] | None,
) -> BulkOutput:
    """An output as read from an answer: `details` read already, or left as JSON in `raw`.

    Bulk answers make one per item, so this skips `__init__`'s keyword handling and
    leaves `errors` (when None or empty) and `extra` to be made on first read.
    """
    output: BulkOutput = _new_output(BulkOutput)
    output.status = status
    output._details = details
    output._raw = raw
    output.code = code
    output.message = message
    output._errors = errors or None
    output._extra = None
    return output


_new_output = object.__new__


def json_value(raw: bytes) -> Any:
    """The JSON value `raw`, a part of an answer already read: msgspec, or json if it refuses.

    The answer's read checked `raw`'s syntax, so msgspec can only refuse a number here:
    a float beyond a double, which json reads as inf, as it did for such an answer, or
    an integer past msgspec's reach, which json reads whatever
    `sys.get_int_max_str_digits()` is now (the answer was read under the limit then).
    """
    try:
        return decode_json(raw)
    except msgspec.DecodeError:
        return json.loads(bytes(raw), parse_int=_any_int)


def _any_int(text: str) -> int:
    """`text` as an int, however many digits it has (Decimal has no limit on them)."""
    return int(decimal.Decimal(text))


class BulkResponse:
    """Outputs keyed by idempotency key, and which requested items never ran."""

    __slots__ = ("outputs", "requested_keys", "status")

    def __init__(
        self,
        *,
        status: str = "success",
        outputs: Mapping[str, BulkOutput],
        requested_keys: Iterable[str] = (),
    ) -> None:
        self.status = status
        self.outputs: dict[str, BulkOutput] = dict(outputs)
        self.requested_keys: list[str] = list(requested_keys)

    @property
    def succeeded(self) -> list[str]:
        """Keys whose action succeeded, in request order."""
        return [k for k in self._order() if k in self.outputs and self.outputs[k].ok]

    @property
    def failed(self) -> str | None:
        """The key of the item that failed and stopped processing, if any."""
        return next(
            (k for k in self._order() if k in self.outputs and not self.outputs[k].ok), None
        )

    @property
    def not_processed(self) -> list[str]:
        """Requested keys with no output: processing stopped before them."""
        return [k for k in self.requested_keys if k not in self.outputs]

    @property
    def ok(self) -> bool:
        """True when every requested item ran and succeeded."""
        return self.failed is None and not self.not_processed

    def _order(self) -> list[str]:
        requested = set(self.requested_keys)
        return [*self.requested_keys, *(k for k in self.outputs if k not in requested)]

    def __repr__(self) -> str:
        return (
            f"BulkResponse(status={self.status!r}, succeeded={len(self.succeeded)}, "
            f"failed={self.failed!r}, not_processed={len(self.not_processed)})"
        )


class BulkBatchResult:
    """What `execute_many` did with each item, by key, in the order the items were given.

    The API stops at the first failed item, and `execute_many` stops with it:
    `succeeded` ran, `failed` is the item that stopped the run (its output in
    `outputs`), `not_processed` never ran, and `not_sent` (a part of
    `not_processed`) were in chunks that were never sent. When a request
    itself fails (after the client's retries), `error` holds the exception and
    `unconfirmed` the keys of that chunk: their outcome is unknown, and
    sending them again with the same keys is safe (the API replays a key it
    has seen instead of acting twice). When the client was closed between
    chunks, `error` says so and the chunk it did not send is in `not_sent`.
    """

    __slots__ = ("error", "keys", "outputs", "sent_count", "unconfirmed")

    def __init__(
        self,
        *,
        keys: Iterable[str],
        outputs: Mapping[str, BulkOutput],
        sent_count: int,
        error: Exception | None = None,
        unconfirmed: Iterable[str] = (),
    ) -> None:
        self.keys: list[str] = list(keys)
        self.outputs: dict[str, BulkOutput] = dict(outputs)
        self.sent_count = sent_count
        self.error = error
        self.unconfirmed: list[str] = list(unconfirmed)

    @property
    def succeeded(self) -> list[str]:
        """Keys whose action succeeded, in order."""
        outputs = self.outputs
        return [k for k in self.keys if k in outputs and outputs[k].ok]

    @property
    def failed(self) -> str | None:
        """The key of the item that failed and stopped the run, if any."""
        outputs = self.outputs
        return next((k for k in self.keys if k in outputs and not outputs[k].ok), None)

    @property
    def not_processed(self) -> list[str]:
        """Keys that never ran (neither an output nor in a failed request), in order."""
        unknown = set(self.unconfirmed)
        return [k for k in self.keys if k not in self.outputs and k not in unknown]

    @property
    def not_sent(self) -> list[str]:
        """Keys in chunks that were never sent."""
        return self.keys[self.sent_count :]

    @property
    def ok(self) -> bool:
        """True when every item ran and succeeded."""
        outputs = self.outputs
        return self.error is None and all(k in outputs and outputs[k].ok for k in self.keys)

    def __repr__(self) -> str:
        error = f", error={type(self.error).__name__}" if self.error is not None else ""
        return (
            f"BulkBatchResult(succeeded={len(self.succeeded)}, failed={self.failed!r}, "
            f"unconfirmed={len(self.unconfirmed)}, not_processed={len(self.not_processed)}"
            f"{error})"
        )


class WriteFailure:
    """An item a span writer accepted but could not deliver, and why.

    `output` is the API's error for the item when the API refused it; `error`
    is the exception when the request carrying it failed for good.
    """

    __slots__ = ("error", "item", "output")

    def __init__(
        self, item: BulkItem, *, output: BulkOutput | None = None, error: Exception | None = None
    ) -> None:
        self.item = item
        self.output = output
        self.error = error

    def __repr__(self) -> str:
        reason = repr(self.output) if self.output is not None else repr(self.error)
        return f"WriteFailure({self.item.idempotency_key!r}, {reason})"


@dataclass(frozen=True)
class WriterStats:
    """What a span writer did with what it accepted: `accepted == delivered + failed + pending`.

    `pending` items are waiting, in flight, or (after close, with a spool)
    kept in the spool for a later writer. `taken_over` counts, within
    `accepted`, items a stopped writer left in the spool. `failures` are
    the failures reported by the `flush()` or `close()` that returned
    these counts.
    """

    accepted: int
    delivered: int
    failed: int
    pending: int
    taken_over: int = 0
    failures: tuple[WriteFailure, ...] = field(default=(), repr=False, compare=False)


_set_body = _SpooledItem.__dict__["_body"].__set__
