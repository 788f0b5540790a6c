"""Connection, timeout and retry settings for both clients."""

from __future__ import annotations

import math
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

import httpx

from prefactor_http.exceptions import PrefactorConfigError

__all__ = ["HttpClientConfig"]

API_URL_ENV = "PREFACTOR_API_URL"
API_TOKEN_ENV = "PREFACTOR_API_TOKEN"

# Far above any answer of the API (a 500-item bulk answer is well under 1 MiB).
DEFAULT_MAX_RESPONSE_BYTES = 32 * 1024 * 1024

AsyncTransport = Literal["httpx", "aiohttp"]
ASYNC_TRANSPORTS = ("httpx", "aiohttp")


@dataclass(frozen=True)
class HttpClientConfig:
    """Settings checked once, at construction, so a bad value fails before any call.

    `api_url` and `api_token` fall back to the PREFACTOR_API_URL and
    PREFACTOR_API_TOKEN environment variables. The token is kept out of
    `repr()`. Retries wait `initial_retry_delay * retry_multiplier**n` seconds,
    capped at `max_retry_delay`, with full jitter.

    `max_connections`, `max_keepalive_connections` and `keepalive_expiry`
    size the connection pool (None: no limit); calls beyond `max_connections`
    wait for a free connection. The async client sends through aiohttp by
    default (`async_transport="aiohttp"`: a fraction of the CPU of httpx's
    async path, see the README's Performance); `"httpx"` selects httpx's own
    transport. The blocking client sends through urllib3.

    `request_timeout` bounds each socket read and also a whole answer's
    arrival (an answer trickled byte by byte ends there). An answer whose body
    passes `max_response_bytes`, as sent or decompressed, is dropped with
    PrefactorResponseTooLargeError.

    `proxy` (an http(s) URL) carries every call; None uses HTTP(S)_PROXY and
    NO_PROXY from the environment. `ca_bundle` names a PEM file of CA
    certificates to trust instead of the system's (a TLS-inspecting proxy's
    CA, a private API's). Both apply to every transport alike.

    Attributes:
        api_url: The API's base URL (`https://...`); `$PREFACTOR_API_URL` when empty.
        api_token: The API token, sent as `Authorization: Bearer`; `$PREFACTOR_API_TOKEN` when
            empty.
        request_timeout: Seconds for each socket read and for a whole answer's arrival.
        connect_timeout: Seconds to open a connection.
        max_retries: Retries after the first attempt of a call that fails transiently (0: none).
        initial_retry_delay: Seconds of the first backoff.
        max_retry_delay: Seconds no backoff exceeds.
        retry_multiplier: Growth of the backoff per retry (at least 1).
        retry_on_status_codes: The HTTP statuses retried.
        max_connections: Connections open at most per pool (None: no limit).
        max_keepalive_connections: Idle connections kept at most per pool (None: no limit).
        keepalive_expiry: Seconds an idle connection is kept (None: no limit).
        async_transport: The async client's transport: `"aiohttp"` (the default) or `"httpx"`.
        max_response_bytes: The largest answer body read, as sent or decompressed.
        proxy: An http(s) proxy URL for every call; None reads HTTP(S)_PROXY and NO_PROXY.
        ca_bundle: A PEM file of CA certificates to trust instead of the system's.
    """

    api_url: str = ""
    api_token: str = field(default="", repr=False)
    request_timeout: float = 30.0
    connect_timeout: float = 10.0
    max_retries: int = 3
    initial_retry_delay: float = 1.0
    max_retry_delay: float = 60.0
    retry_multiplier: float = 2.0
    retry_on_status_codes: tuple[int, ...] = (429, 500, 502, 503, 504)
    max_connections: int | None = 100
    max_keepalive_connections: int | None = 20
    keepalive_expiry: float | None = 5.0
    async_transport: AsyncTransport = "aiohttp"
    max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES
    proxy: str | None = field(default=None, repr=False)  # it may carry a password
    ca_bundle: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "api_url", _url(self.api_url or os.environ.get(API_URL_ENV, "")))
        object.__setattr__(
            self, "api_token", _token(self.api_token or os.environ.get(API_TOKEN_ENV, ""))
        )
        object.__setattr__(self, "retry_on_status_codes", _status_codes(self.retry_on_status_codes))
        for name in (
            "request_timeout",
            "connect_timeout",
            "initial_retry_delay",
            "max_retry_delay",
        ):
            _require_positive(name, getattr(self, name))
        if isinstance(self.max_retries, bool) or not isinstance(self.max_retries, int):
            raise PrefactorConfigError(f"max_retries must be an int, got {self.max_retries!r}")
        if self.max_retries < 0:
            raise PrefactorConfigError(
                f"max_retries must be non-negative (0 or more), got {self.max_retries}"
            )
        if not _is_number(self.retry_multiplier) or not 1 <= self.retry_multiplier < math.inf:
            raise PrefactorConfigError(
                f"retry_multiplier must be a finite number of at least 1, "
                f"got {self.retry_multiplier!r}"
            )
        if self.max_retry_delay < self.initial_retry_delay:
            raise PrefactorConfigError(
                f"max_retry_delay ({self.max_retry_delay}) is below "
                f"initial_retry_delay ({self.initial_retry_delay})"
            )
        for name in ("max_connections", "max_keepalive_connections"):
            _require_count_or_none(name, getattr(self, name))
        if self.max_response_bytes is None:
            raise PrefactorConfigError("max_response_bytes must be a positive int, got None")
        _require_count_or_none("max_response_bytes", self.max_response_bytes)
        if self.keepalive_expiry is not None:
            _require_positive("keepalive_expiry", self.keepalive_expiry)
        _require_transport(self.async_transport)
        if self.proxy is not None:
            object.__setattr__(self, "proxy", _proxy(self.proxy))
        if self.ca_bundle is not None and (
            not isinstance(self.ca_bundle, str) or not os.path.isfile(self.ca_bundle)
        ):
            raise PrefactorConfigError(
                f"ca_bundle must name a PEM file of CA certificates, got {self.ca_bundle!r}"
            )


def _url(value: object) -> str:
    if not isinstance(value, str):
        raise PrefactorConfigError(f"api_url must be a string, got {value!r}")
    url = value.strip().rstrip("/")
    if not url:
        raise PrefactorConfigError(
            f"api_url is required (it is empty): pass it or set {API_URL_ENV}"
        )
    if "@" in _authority(url):
        # Never quote such a URL: the password would end up in a log.
        raise PrefactorConfigError(
            "api_url must not hold credentials (user:password@host): the client "
            "authenticates with api_token alone; pass the URL without them"
        )
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, ValueError) as exc:
        raise PrefactorConfigError(f"api_url is not a valid URL ({exc}): {url!r}") from None
    if parsed.scheme not in ("http", "https") or not parsed.host:
        raise PrefactorConfigError(
            f"api_url must be an http(s) URL such as https://app.prefactorai.com, got {url!r}"
        )
    return url


def _proxy(value: object) -> str:
    if not isinstance(value, str):
        raise PrefactorConfigError(f"proxy must be a URL string or None, got {value!r}")
    try:
        parsed = httpx.URL(value.strip())
    except (httpx.InvalidURL, ValueError):
        parsed = None
    if parsed is None or parsed.scheme not in ("http", "https") or not parsed.host:
        # Not quoted: a proxy URL may carry a password.
        raise PrefactorConfigError("proxy must be an http(s) URL such as http://proxy:3128")
    return str(parsed)


def _authority(url: str) -> str:
    """The part of `url` that holds `user:password@host:port` (all of it without a scheme)."""
    _, separator, rest = url.partition("//")
    rest = rest if separator else url
    for end in "/?#":
        rest = rest.partition(end)[0]
    return rest


def _token(value: object) -> str:
    # Never quote the token in these messages: they may end up in a log.
    if not isinstance(value, str):
        raise PrefactorConfigError(f"api_token must be a string, got {type(value).__name__}")
    token = value.strip()
    if not token:
        raise PrefactorConfigError(
            f"api_token is required (it is empty): pass it or set {API_TOKEN_ENV}"
        )
    if not all("!" <= char <= "~" for char in token):
        raise PrefactorConfigError(
            "api_token holds a character an HTTP header cannot carry "
            "(only visible ASCII is allowed: no spaces, control or non-ASCII characters)"
        )
    return token


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _require_positive(name: str, value: object) -> None:
    if not _is_number(value) or not 0 < value < math.inf:  # type: ignore[operator]
        raise PrefactorConfigError(
            f"{name} must be a positive, finite number of seconds, got {value!r}"
        )


def _require_count_or_none(name: str, value: object) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise PrefactorConfigError(f"{name} must be a positive int or None, got {value!r}")


def _require_transport(value: object) -> None:
    if value not in ASYNC_TRANSPORTS:
        raise PrefactorConfigError(
            f"async_transport must be one of {', '.join(map(repr, ASYNC_TRANSPORTS))}, "
            f"got {value!r}"
        )


def _status_codes(codes: Iterable[int]) -> tuple[int, ...]:
    if isinstance(codes, str | bytes) or not isinstance(codes, Iterable):
        raise PrefactorConfigError(
            f"retry_on_status_codes must be a sequence of status codes, got {codes!r}"
        )
    result = tuple(codes)
    for code in result:
        if isinstance(code, bool) or not isinstance(code, int) or not 100 <= code <= 599:
            raise PrefactorConfigError(
                f"retry_on_status_codes holds {code!r}: expected HTTP status codes (100-599)"
            )
    return result
