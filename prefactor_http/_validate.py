"""Checks on caller input, run before anything is sent.

Each check quotes the bad value and says what is allowed, and raises
PrefactorInputError (a PrefactorValidationError and a ValueError) with the
field named in `errors`.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping
from datetime import datetime
from typing import Any, NoReturn, TypeVar

from prefactor_http._generated import limits
from prefactor_http.exceptions import PrefactorInputError

S = TypeVar("S", bound=str)

# From openapi.yaml, by `make generate`: a spec change moves these checks too.
IDEMPOTENCY_KEY_MIN = limits.IDEMPOTENCY_KEY_MIN_LENGTH
IDEMPOTENCY_KEY_MAX = limits.IDEMPOTENCY_KEY_MAX_LENGTH
BULK_KEY_MIN = limits.BULK_KEY_MIN_LENGTH
BULK_KEY_MAX = limits.BULK_KEY_MAX_LENGTH


def refuse(field: str, problem: str) -> NoReturn:
    raise PrefactorInputError(
        f"refused before sending: invalid {field}",
        "invalid_argument",
        None,
        {field: [problem]},
    )


def text(field: str, value: object) -> str:
    """A plain `str` that UTF-8 can encode.

    A str subclass is reduced to its value, so what is sent is what was
    checked (an Enum's `__str__`, say, could differ).
    """
    if not isinstance(value, str):
        refuse(field, f"must be a string, got {value!r}")
    value = str.__str__(value)
    try:
        value.encode()
    except UnicodeEncodeError:
        refuse(field, f"is not valid Unicode text (lone surrogate), got {value!r}")
    return value


def required_text(field: str, value: object) -> str:
    value = text(field, value)
    if not value:
        refuse(field, "must be a non-empty string")
    return value


def identifier(field: str, value: object) -> str:
    """An id that goes into a URL path: the generated code percent-encodes it."""
    value = required_text(field, value)
    if value in (".", ".."):
        refuse(field, f"must not be {value!r}: it would change the request path")
    return value


def text_or_none(field: str, value: object) -> str | None:
    return None if value is None else text(field, value)


def optional_text(field: str, value: object) -> str | None:
    if value is None:
        return None
    value = text(field, value)
    if not value:
        refuse(field, "must be a non-empty string or None")
    return value


def idempotency_key(field: str, value: object, *, bulk_type: str = "") -> str | None:
    """A key of visible ASCII within the spec's bounds; `bulk_type` names a bulk item's action.

    A single call's key is optional; a bulk item's is required, with the
    bulk bounds. The key travels in the Idempotency-Key header too, which
    carries ASCII only and where a CR/LF would split the request and a space
    at either end would be trimmed, so only "!" to "~" (0x21-0x7E) are
    allowed. Runs once per bulk item, so the message is only built on failure.
    """
    low, high = (
        (BULK_KEY_MIN, BULK_KEY_MAX) if bulk_type else (IDEMPOTENCY_KEY_MIN, IDEMPOTENCY_KEY_MAX)
    )
    if (  # the common case, first: an exact str, visible ASCII, within the bounds
        type(value) is str
        and low <= len(value) <= high
        and value.isascii()
        and value.isprintable()
        and " " not in value
    ):
        return value
    if value is None and not bulk_type:
        return None
    key = text(field, value) if isinstance(value, str) else None
    if (
        key is None
        or not low <= len(key) <= high
        or not (key.isascii() and key.isprintable() and " " not in key)
    ):
        got = f"{key!r} ({len(key)} characters)" if key is not None else repr(value)
        # 0.4.3's words for a bound crossed ("at most 64 characters"), which callers match.
        bound = ""
        if key is not None and len(key) > high:
            bound = f"must be at most {high} characters; "
        elif key is not None and len(key) < low:
            bound = f"must be at least {low} characters; "
        refuse(
            field,
            f"{f'of the {bulk_type!r} item ' if bulk_type else ''}{bound}must be a string of "
            f"{low} to {high} characters, visible ASCII only ('!' to '~': "
            f"no spaces, control or non-ASCII characters), got {got}",
        )
    return key


def choice(field: str, value: object, allowed: Collection[S]) -> S:
    """One of `allowed` (a spec enum's values), as a plain str."""
    plain = str.__str__(value) if isinstance(value, str) else None
    if plain not in allowed:
        options = ", ".join(repr(a) for a in sorted(allowed))
        refuse(field, f"must be one of {options}, got {value!r}")
    return plain  # type: ignore[return-value]


def optional_choice(field: str, value: object, allowed: Collection[S]) -> S | None:
    return None if value is None else choice(field, value, allowed)


def exactly_one(**given: object) -> None:
    """Refuse unless exactly one of the named arguments is given (not None)."""
    if sum(value is not None for value in given.values()) != 1:
        first = next(iter(given))
        refuse(first, f"give exactly one of {' and '.join(given)}")


def timestamp(field: str, value: object) -> datetime | None:
    """A timezone-aware datetime, or an ISO 8601 string with an offset; naive ones are refused."""
    if value is None:
        return None
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            refuse(field, f"must be an ISO 8601 timestamp with an offset, got {value!r}")
    if not isinstance(value, datetime):
        refuse(field, f"must be a datetime or an ISO 8601 string, got {value!r}")
    offset = value.utcoffset()
    if offset is not None and offset.total_seconds() % 60:
        refuse(field, f"must have an offset of whole minutes (ISO 8601), got {value.isoformat()}")
    if value.tzinfo is None or offset is None:
        refuse(
            field,
            "must carry a timezone (e.g. datetime.now(timezone.utc)), "
            f"got naive {value.isoformat()}",
        )
    return value


def json_object(field: str, value: object, *, optional: bool = True) -> dict[str, Any] | None:
    if value is None and optional:
        return None
    if not isinstance(value, Mapping):
        refuse(field, f"must be a dict (a JSON object), got {type(value).__name__}")
    return dict(value)


def text_list(field: str, value: object, *, optional: bool = True) -> list[str] | None:
    """A list (or tuple) of plain strings; a lone string is refused, not split into letters."""
    if value is None and optional:
        return None
    if isinstance(value, str | bytes) or not isinstance(value, list | tuple):
        refuse(field, f"must be a list of strings, got {type(value).__name__}")
    return [text(f"{field}[{index}]", item) for index, item in enumerate(value)]


def flag(field: str, value: object) -> bool:
    if not isinstance(value, bool):
        refuse(field, f"must be True or False, got {value!r}")
    return value


def count(field: str, value: object, minimum: int = 1, maximum: int | None = None) -> int:
    """An int (not a bool) of at least `minimum` and, when given, at most `maximum`."""
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        refuse(field, f"must be an int of at least {minimum}, got {value!r}")
    if maximum is not None and value > maximum:
        refuse(field, f"must be at most {maximum}, got {value!r}")
    return value


def optional_count(
    field: str, value: object, minimum: int = 1, maximum: int | None = None
) -> int | None:
    return None if value is None else count(field, value, minimum, maximum)


def seconds(field: str, value: object) -> float:
    """A duration: a finite number above 0 (not a bool)."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value < math.inf:
        refuse(field, f"must be a positive, finite number of seconds, got {value!r}")
    return float(value)
