"""What a caller may add to every call of a client: headers (`default_headers`, `with_options`).

A header the client sets itself, or one that frames the request or the
connection, would break a call (a second token, a wrong length, a lost
idempotency key), so it is refused before anything is sent; so is a name
or value HTTP cannot carry. A value never appears in a message: it may be
a secret of the caller's.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from prefactor_http.exceptions import PrefactorConfigError

# Compared in lower case; what the client sends itself or what frames the message.
RESERVED_HEADERS = frozenset(
    {
        "accept",
        "accept-encoding",
        "authorization",
        "connection",
        "content-length",
        "content-type",
        "host",
        "idempotency-key",
        "transfer-encoding",
        "x-prefactor-sdk",
    }
)
# RFC 9110 field names (tokens); values: visible ASCII, spaces and tabs inside.
_NAME = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
_VALUE = re.compile(r"(?:[\x21-\x7e](?:[\t\x20-\x7e]*[\x21-\x7e])?)?")


def extra_headers(field: str, headers: object) -> dict[str, str]:
    """`headers` checked, as a new dict; PrefactorConfigError names the first bad one."""
    if headers is None:
        return {}
    if not isinstance(headers, Mapping):
        raise PrefactorConfigError(
            f"{field} must be a mapping of header names to values, got {type(headers).__name__}"
        )
    checked: dict[str, str] = {}
    seen: set[str] = set()
    for name, value in headers.items():
        if not isinstance(name, str) or not _NAME.fullmatch(name):
            raise PrefactorConfigError(f"{field}: {name!r} is not a valid HTTP header name")
        lowered = name.lower()
        if lowered in RESERVED_HEADERS:
            raise PrefactorConfigError(
                f"{field}: {name!r} is set by the client itself and cannot be replaced "
                f"(reserved: {', '.join(sorted(RESERVED_HEADERS))})"
            )
        if lowered in seen:
            raise PrefactorConfigError(f"{field}: {name!r} is given twice (names ignore case)")
        if not isinstance(value, str) or not _VALUE.fullmatch(value):
            raise PrefactorConfigError(
                f"{field}[{name!r}] must be a str of printable ASCII without line breaks or "
                "surrounding spaces (the value is not shown)"
            )
        seen.add(lowered)
        checked[name] = value
    return checked


def merged(base: Mapping[str, str], extra: Mapping[str, str]) -> dict[str, str]:
    """`base` with `extra` over it, a name replaced whatever its case."""
    replaced = {name.lower() for name in extra}
    return {
        **{name: value for name, value in base.items() if name.lower() not in replaced},
        **extra,
    }
