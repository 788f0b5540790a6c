"""Bulk requests and their per-item outcomes.

The API runs items in order and stops at the first failure, so a response
alone does not say which items never ran; `BulkResponse` remembers the keys
it was asked for and answers that directly (`succeeded`, `failed`,
`not_processed`).

This module is the public home of every bulk model. It defines the items
and the request; an answer's models are in `_bulk_answers`, and what
`execute_many` and the span writers report in `_bulk_reports`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from operator import attrgetter
from typing import Any

import msgspec

from prefactor_http import _validate
from prefactor_http._responses import decode_json
from prefactor_http.models._bulk_answers import BulkOutput, BulkResponse
from prefactor_http.models._bulk_reports import BulkBatchResult, WriteFailure, WriterStats

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

    Args:
        _type: The action, such as `agent_spans/create`.
        idempotency_key: The item's key: the API replays a key it has seen instead of acting
            twice.
        params: The action's parameters, sent flat beside `_type`.
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
        _validate.refuse("items", "must hold at least 1 item (a BulkItem)")
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
    """The items of one bulk call, checked when made and again when sent.

    Args:
        items: The items, in order, each with a key no other item has.
    """

    __slots__ = ("items",)

    def __init__(self, *, items: Iterable[BulkItem]) -> None:
        self.items: list[BulkItem] = check_items(items)

    @classmethod
    def validate_unique_idempotency_keys(cls, items: Iterable[BulkItem]) -> list[BulkItem]:
        """Return `items` as a list, or raise PrefactorValidationError naming a repeated key.

        Args:
            items: The items to check.
        """
        return check_items(items)

    def __repr__(self) -> str:
        return f"BulkRequest(items={self.items!r})"


_set_body = _SpooledItem.__dict__["_body"].__set__
