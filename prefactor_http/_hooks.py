"""The handwritten behaviour that generated methods call by the name openapi.yaml gives.

Everything a schema states (types, required fields, enums, lengths) is
checked by the generated code itself; what no schema can say is here: the
`x-hooks` of openapi.yaml (`control_signal`, `legacy_register_order`), the
`x-check` of an object argument (`agent_details`, else `model_argument`),
the nulls of `clear` for fields marked `x-null-clears`, and the
`x-default` a required field takes when the caller gives none.
"""

from __future__ import annotations

import copy
import typing
from collections.abc import Callable, Collection, Mapping
from typing import Any, TypeVar

import attrs

from prefactor_http import _validate
from prefactor_http._generated import limits
from prefactor_http._generated.models.agent_span import AgentSpan
from prefactor_http._generated.models.agent_span_envelope import AgentSpanEnvelope
from prefactor_http._generated.models.control_signal import ControlSignal
from prefactor_http._generated.types import TypeMismatch

M = TypeVar("M")
D = TypeVar("D")

ControlSignalCallback = Callable[[str | None], object]


def control_signal(answer: AgentSpanEnvelope, callback: ControlSignalCallback | None) -> AgentSpan:
    """The span, after telling `callback` if the platform asked the agent to stop.

    Runs after the retry loop, so an exception from the callback never causes a resend.
    """
    control = answer.control
    if callback is not None and isinstance(control, ControlSignal) and control.terminate is True:
        callback(control.reason if isinstance(control.reason, str) else None)
    return answer.details


def legacy_register_order(
    *, agent_id: object, agent_version: object, agent_schema_version: object, **later: object
) -> tuple[Any, Any, Any]:
    """`register`'s first three arguments as (agent_id, agent_version, agent_schema_version).

    prefactor-http 0.4.3's order was (agent_version, agent_schema_version,
    agent_id, ...): unambiguous for three positional arguments, since
    agent_id is never a dict, so a dict first is read in that order, as long
    as the arguments after it were left alone.
    """
    if isinstance(agent_id, Mapping):
        untouched = (
            later.get("id") is None
            and later.get("idempotency_key") is None
            and later.get("update_current_version") is True
        )
        if not untouched:
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
    return agent_id, agent_version, agent_schema_version


def query_params(given: dict[str, object]) -> dict[str, Any]:
    """A query's arguments as a bulk item's params: None left out, `a[b]` nested as `a: {b}`."""
    params: dict[str, Any] = {}
    for name, value in given.items():
        if value is None:
            continue
        outer, bracket, inner = name.partition("[")
        if bracket:
            params.setdefault(outer, {})[inner.rstrip("]")] = value
        else:
            params[name] = value
    return params


def or_default(value: D | None, default: D) -> D:
    """`value`, or a fresh copy of the spec's `x-default` when the caller gave none."""
    return copy.deepcopy(default) if value is None else value


def model_argument(field: str, cls: type[M], value: object) -> M:
    """`value` (a `cls` or a dict of its fields) read by the generated `cls.from_dict`.

    The same `from_dict` reads the server's answers: one set of checks, from the spec.
    """
    if isinstance(value, cls):
        value = value.to_dict()  # type: ignore[attr-defined]
    data = _validate.json_object(field, value, optional=False)
    mismatch: TypeMismatch | None = None
    try:
        model: M = cls.from_dict(data)  # type: ignore[attr-defined]
    except KeyError as exc:
        _validate.refuse(field, f"needs the key {exc.args[0]!r}")
    except (TypeError, ValueError, AttributeError) as exc:
        _validate.refuse(field, f"is malformed: {exc}")
    except TypeMismatch as exc:
        mismatch = exc  # refused below, outside this handler: nothing to chain
    if mismatch is not None:
        _validate.refuse(f"{field}.{mismatch.path}", mismatch.problem)
    return model


def agent_details(field: str, cls: type[M], value: object) -> M:
    """An agent's `details` (the model itself or a dict of its fields) as a checked model.

    Every field is a string: required ones (no default in the model) must be
    non-empty, and so must optional ones the spec gives `minLength: 1` when given.
    """
    fields = attrs.fields(cls)  # type: ignore[arg-type]
    names = [attribute.name for attribute in fields]
    required = {attribute.name for attribute in fields if attribute.default is attrs.NOTHING}
    non_empty = limits.NON_EMPTY.get(cls.__name__, frozenset())
    if isinstance(value, Mapping):
        unknown = [str(name) for name in value if name not in names]
        if unknown:
            hint = " (it cannot change)" if unknown[0] == "external_identifier" else ""
            _validate.refuse(
                f"{field}.{unknown[0]}",
                f"is not a field of {cls.__name__}{hint}; known: {', '.join(names)}",
            )
        value = cls(**value)
    if not isinstance(value, cls):
        _validate.refuse(field, f"must be a {cls.__name__} or a dict, got {value!r}")
    checked: dict[str, str | None] = {}
    for name in names:
        where = f"{field}.{name}"
        given = getattr(value, name)
        if name in required:
            checked[name] = _validate.required_text(where, given)
        elif name in non_empty:
            checked[name] = _validate.optional_text(where, given)
        else:
            checked[name] = None if given is None else _validate.text(where, given)
    return cls(**checked)


def nulls_to_send(clear: object, details: object, clearable: object) -> list[str]:
    """The field names `clear` asks to send as null, checked against `details`.

    `clearable` is the Literal of the fields openapi.yaml marks `x-null-clears`.
    """
    allowed: tuple[str, ...] = typing.get_args(clearable)
    if clear is None:
        return []
    if isinstance(clear, str) or not isinstance(clear, Collection):
        _validate.refuse("clear", f"must be a list of field names, got {clear!r}")
    names: list[str] = []
    for name in clear:
        if name not in allowed:
            _validate.refuse("clear", f"may only name {', '.join(allowed)}, got {name!r}")
        if getattr(details, name) is not None:
            _validate.refuse("clear", f"names {name!r}, which details also sets")
        if name not in names:
            names.append(name)
    return names
