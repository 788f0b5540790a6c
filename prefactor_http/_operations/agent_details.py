"""The checks of an agent's `details` and of `clear`, shared by create and update.

Clearing a field: the generated models send None as "not given", so
`update` adds an explicit `null` to `details` for each field named in
`clear` (only `owner_person_id`, `risk_profile_id` and `team_id`, the fields
openapi.yaml marks `x-null-clears`).
"""

from __future__ import annotations

import typing
from collections.abc import Collection, Mapping
from typing import TypeVar

import attrs

from prefactor_http import _validate
from prefactor_http._generated import limits
from prefactor_http.models.agent import AgentForCreate, AgentForUpdate

M = TypeVar("M", AgentForCreate, AgentForUpdate)

# The AgentForUpdate fields whose null clears them (`x-null-clears` in openapi.yaml).
CLEARABLE: tuple[str, ...] = typing.get_args(limits.AgentClearable)
# Fields that may be None but, when given, not empty (`minLength: 1` in openapi.yaml).
_NON_EMPTY = frozenset({"name", "external_identifier", "id", *CLEARABLE})


def checked_details(cls: type[M], value: object) -> M:
    """`value` (the model itself or a dict of its fields) as a checked model."""
    names = [field.name for field in attrs.fields(cls)]
    if isinstance(value, Mapping):
        unknown = [str(name) for name in value if name not in names]
        if unknown:
            hint = " (it cannot change)" if unknown[0] == "external_identifier" else ""
            _validate.refuse(
                f"details.{unknown[0]}",
                f"is not a field of {cls.__name__}{hint}; known: {', '.join(names)}",
            )
        value = cls(**value)
    if not isinstance(value, cls):
        _validate.refuse("details", f"must be a {cls.__name__} or a dict, got {value!r}")
    checked: dict[str, str | None] = {}
    for name in names:
        field = f"details.{name}"
        given = getattr(value, name)
        if name == "name" and cls is AgentForCreate:
            checked[name] = _validate.required_text(field, given)
        elif name in _NON_EMPTY:
            checked[name] = _validate.optional_text(field, given)
        else:
            checked[name] = None if given is None else _validate.text(field, given)
    return cls(**checked)  # type: ignore[arg-type]  # name: checked non-empty above


def checked_clear(clear: object, details: AgentForUpdate) -> list[str]:
    """The field names `clear` asks to send as null, checked against `details`."""
    if clear is None:
        return []
    if isinstance(clear, str) or not isinstance(clear, Collection):
        _validate.refuse("clear", f"must be a list of field names, got {clear!r}")
    names: list[str] = []
    for name in clear:
        if name not in CLEARABLE:
            _validate.refuse("clear", f"may only name {', '.join(CLEARABLE)}, got {name!r}")
        if getattr(details, name) is not None:
            _validate.refuse("clear", f"names {name!r}, which details also sets")
        if name not in names:
            names.append(name)
    return names
