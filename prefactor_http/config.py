"""Connection, timeout and retry settings for both clients."""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from prefactor_http.exceptions import PrefactorConfigError

__all__ = ["HttpClientConfig"]

API_URL_ENV = "PREFACTOR_API_URL"
API_TOKEN_ENV = "PREFACTOR_API_TOKEN"


@dataclass(frozen=True)
class HttpClientConfig:
    """Settings checked once, at construction, so a bad value fails before any call.

    `api_url` and `api_token` fall back to the PREFACTOR_API_URL and
    PREFACTOR_API_TOKEN environment variables. The token is kept out of
    `repr()`. Retries wait `initial_retry_delay * retry_multiplier**n` seconds,
    capped at `max_retry_delay`, with full jitter.
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

    def __post_init__(self) -> None:
        url = (self.api_url or os.environ.get(API_URL_ENV, "")).strip().rstrip("/")
        token = (self.api_token or os.environ.get(API_TOKEN_ENV, "")).strip()
        if not url:
            raise PrefactorConfigError(f"api_url is empty: pass it or set {API_URL_ENV}")
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise PrefactorConfigError(
                f"api_url must be an http(s) URL such as https://app.prefactorai.com, got {url!r}"
            )
        if not token:
            raise PrefactorConfigError(f"api_token is empty: pass it or set {API_TOKEN_ENV}")
        if not all("!" <= char <= "~" for char in token):
            # Never quote the token: this message may end up in a log.
            raise PrefactorConfigError(
                "api_token holds a character an HTTP header cannot carry "
                "(only visible ASCII is allowed: no spaces, control or non-ASCII characters)"
            )
        object.__setattr__(self, "api_url", url)
        object.__setattr__(self, "api_token", token)
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
            raise PrefactorConfigError(f"max_retries must be 0 or more, got {self.max_retries}")
        if not _is_number(self.retry_multiplier) or self.retry_multiplier < 1:
            raise PrefactorConfigError(
                f"retry_multiplier must be at least 1, got {self.retry_multiplier!r}"
            )
        if self.max_retry_delay < self.initial_retry_delay:
            raise PrefactorConfigError(
                f"max_retry_delay ({self.max_retry_delay}) is below "
                f"initial_retry_delay ({self.initial_retry_delay})"
            )


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _require_positive(name: str, value: object) -> None:
    if not _is_number(value) or not value > 0:  # type: ignore[operator]
        raise PrefactorConfigError(f"{name} must be a positive number of seconds, got {value!r}")


def _status_codes(codes: Iterable[int]) -> tuple[int, ...]:
    result = tuple(codes)
    for code in result:
        if isinstance(code, bool) or not isinstance(code, int) or not 100 <= code <= 599:
            raise PrefactorConfigError(
                f"retry_on_status_codes holds {code!r}: expected HTTP status codes (100-599)"
            )
    return result
