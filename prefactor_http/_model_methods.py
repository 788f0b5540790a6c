"""The pydantic methods prefactor-http 0.4.3's models had, on our generated attrs models.

Code written for 0.4.3 calls `answer.model_dump()`, `model_dump_json()` and
`Model.model_validate(data)`, and reads `answer.type`; every generated model
takes these from `PydanticMethods` (the template adds the base and `.type`).

`model_dump()` gives what 0.4.3's gives for the same answer: every declared
field under its wire name (`type`, not `type_`), None where the answer left
it out, nested models as dicts, timestamps as aware `datetime`s. Unlike
0.4.3, which drops fields it does not declare, fields the server sent that
our spec does not declare are kept, after the declared ones: nothing the
server said is lost. `mode="json"` and `model_dump_json()` write timestamps
as pydantic does (ISO 8601, `Z` for UTC).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any, ClassVar, Literal, TypeVar, cast

from prefactor_http._generated.types import TypeMismatch

__all__ = ["PydanticMethods"]

M = TypeVar("M", bound="PydanticMethods")
Mode = Literal["python", "json"]


def _json_time(value: datetime) -> str:
    text = value.isoformat()
    if value.utcoffset() == timedelta(0):
        return text.removesuffix("+00:00") + "Z"
    return text


def _dumped(value: object, mode: Mode) -> Any:
    if isinstance(value, PydanticMethods):
        return value.model_dump(mode=mode)
    if isinstance(value, Mapping):
        return {key: _dumped(item, mode) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_dumped(item, mode) for item in value]
    if isinstance(value, datetime) and mode == "json":
        return _json_time(value)
    return value


class PydanticMethods:
    """`model_dump`, `model_dump_json` and `model_validate`, as 0.4.3 code calls them."""

    __slots__ = ()

    # Wire name -> attribute name of every declared field, in the spec's order (generated).
    _wire_fields: ClassVar[Mapping[str, str]] = {}

    def model_dump(self, *, mode: Mode = "python", exclude_none: bool = False) -> dict[str, Any]:
        """Every field by its wire name; `mode="json"` gives JSON-ready values.

        Args:
            mode: `"python"` keeps datetimes; `"json"` writes them as ISO 8601 text.
            exclude_none: Leave out the fields whose value is None.
        """
        if mode not in ("python", "json"):
            raise ValueError(f"mode must be 'python' or 'json', got {mode!r}")
        dumped = {
            wire: _dumped(getattr(self, attribute), mode)
            for wire, attribute in self._wire_fields.items()
        }
        extra: Mapping[str, Any] = getattr(self, "additional_properties", {})
        for key, value in extra.items():
            dumped.setdefault(key, _dumped(value, mode))
        if exclude_none:
            return {key: value for key, value in dumped.items() if value is not None}
        return dumped

    def model_dump_json(self, *, indent: int | None = None, exclude_none: bool = False) -> str:
        """The JSON text of `model_dump(mode="json")`, compact as pydantic writes it.

        Args:
            indent: Spaces per level of indentation (None: compact, on one line).
            exclude_none: Leave out the fields whose value is None.
        """
        return json.dumps(
            self.model_dump(mode="json", exclude_none=exclude_none),
            indent=indent,
            separators=(",", ":") if indent is None else (",", ": "),
            ensure_ascii=False,
        )

    @classmethod
    def model_validate(cls: type[M], obj: object) -> M:
        """A model from a dict of wire names (an instance is returned as is).

        Timestamps may be strings or `datetime`s, as pydantic took them, so
        `model_validate(answer.model_dump())` gives the answer back. What
        cannot be read raises a `ValueError` naming the model, as pydantic's
        `ValidationError` (a `ValueError`) did.

        Args:
            obj: A dict keyed by wire names, or an instance (returned as is).
        """
        if isinstance(obj, cls):
            return obj
        if not isinstance(obj, Mapping):
            raise ValueError(
                f"{cls.__name__}.model_validate takes a dict, got {type(obj).__name__}"
            )
        read = cast("Any", cls).from_dict
        try:
            return cast("M", read(_dumped(obj, "json")))
        except KeyError as exc:
            raise ValueError(f"{cls.__name__}: missing field {exc.args[0]!r}") from exc
        except (TypeMismatch, TypeError, ValueError) as exc:
            raise ValueError(f"{cls.__name__}: {exc}") from exc
