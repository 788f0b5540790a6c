"""What a call leaves besides its result: the answer's status, headers and request id.

`with_raw_response` methods return a `RawResponse` around the usual
result. The retry loop fills it only when such a method waits for it
(`recording`), so a plain call pays one context variable read. Errors get
the same facts, the URL actually called included, from `locate`.
"""

from __future__ import annotations

import functools
import inspect
import time
from collections.abc import Callable, Coroutine, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, Generic, ParamSpec, TypeVar, overload

import httpx

from prefactor_http._redaction import redact
from prefactor_http.exceptions import (
    PrefactorApiError,
    PrefactorHttpError,
    PrefactorNetworkError,
    PrefactorResponseContractError,
)

__all__ = ["REQUEST_ID_HEADER", "RawResponse"]

T = TypeVar("T")
P = ParamSpec("P")

# Assumed (the API's documents name no such header); openapi.yaml says so too.
REQUEST_ID_HEADER = "X-Request-Id"


@dataclass(frozen=True, slots=True)
class RawResponse(Generic[T]):
    """A call's result with the answer it came from.

    `elapsed` is the whole call: from its first attempt to the answer read,
    every retry and backoff wait included. `attempts` counts the requests
    sent. `request_id` is the answer's `X-Request-Id` (None without one);
    `headers` reads case-insensitively. `url` is the URL called, query
    included. `parse()` gives what the method alone returns.

    Attributes:
        status_code: The answer's HTTP status.
        headers: The answer's headers.
        request_id: The answer's `X-Request-Id`, None without one.
        url: The URL called, query included.
        elapsed: The whole call, retries and waits included.
        attempts: The requests sent.
        result: What the method alone returns (`parse()`).
    """

    status_code: int
    headers: httpx.Headers
    request_id: str | None
    url: str
    elapsed: timedelta
    attempts: int
    result: T = field(repr=False)

    def parse(self) -> T:
        """The result the method without `with_raw_response` returns."""
        return self.result


@dataclass(slots=True)
class Record:
    """What the retry loop writes for the one `with_raw_response` call waiting for it."""

    started: float = 0.0
    status_code: int = 0
    headers: Mapping[str, str] = field(default_factory=dict)
    url: str = ""
    elapsed: float = 0.0
    attempts: int = 0
    filled: bool = False

    def fill(
        self,
        status: int,
        headers: Mapping[str, str],
        url: str,
        attempts: int,
        sent: Mapping[str, str],
    ) -> None:
        self.elapsed = time.monotonic() - self.started
        self.status_code, self.headers, self.url = status, headers, public_url(url, sent)
        self.attempts, self.filled = attempts, True

    def response(self, result: T) -> RawResponse[T]:
        if not self.filled:  # every method sends one request; a bug if none did
            raise RuntimeError("with_raw_response: the method sent no request")
        headers = httpx.Headers(list(self.headers.items()))
        return RawResponse(
            self.status_code,
            headers,
            headers.get(REQUEST_ID_HEADER),
            self.url,
            timedelta(seconds=self.elapsed),
            self.attempts,
            result,
        )


_WAITING: ContextVar[Record | None] = ContextVar("prefactor_http_record", default=None)


def claim() -> Record | None:
    """The record a `with_raw_response` call waits for, taken so no later call fills it.

    (A control-signal callback runs after the call, in the same context: a
    call it makes must not overwrite the record.)
    """
    record = _WAITING.get()
    if record is not None:
        _WAITING.set(None)
        record.started = time.monotonic()
    return record


@contextmanager
def _recording() -> Iterator[Record]:
    record = Record()
    token = _WAITING.set(record)
    try:
        yield record
    finally:
        _WAITING.reset(token)


# The async overload comes first: a coroutine method is also a method returning a value.
@overload
def recorded(  # type: ignore[overload-overlap]
    method: Callable[P, Coroutine[Any, Any, T]],
) -> Callable[P, Coroutine[Any, Any, RawResponse[T]]]: ...
@overload
def recorded(method: Callable[P, T]) -> Callable[P, RawResponse[T]]: ...
def recorded(method: Callable[P, Any]) -> Callable[P, Any]:
    """`method` answering a `RawResponse` around its result; one helper for both clients.

    The twin keeps `method`'s name, docs and parameters for `help()` and `inspect`.
    """
    if inspect.iscoroutinefunction(method):

        @functools.wraps(method)
        async def call_async(*args: P.args, **kwargs: P.kwargs) -> RawResponse[Any]:
            with _recording() as record:
                result = await method(*args, **kwargs)
            return record.response(result)

        return call_async

    @functools.wraps(method)
    def call(*args: P.args, **kwargs: P.kwargs) -> RawResponse[Any]:
        with _recording() as record:
            result = method(*args, **kwargs)
        return record.response(result)

    return call


def public_url(url: str, sent: Mapping[str, str]) -> str:
    """`url` fit for a message: no user or password, the token hidden."""
    if "@" in url:
        url = str(httpx.URL(url).copy_with(username=None, password=None))
    return redact(url, sent)


def locate(
    error: PrefactorHttpError,
    url: str,
    headers: Mapping[str, str] | None,
    sent: Mapping[str, str],
) -> None:
    """Give `error` the URL called and, when an answer came, its headers and request id.

    Its `path` becomes the URL's whole path (`api_url`'s own path included),
    so the message names what was called.
    """
    shown = public_url(url, sent)
    error.url = shown
    if isinstance(
        error, PrefactorApiError | PrefactorResponseContractError | PrefactorNetworkError
    ):
        error.path = httpx.URL(shown).path
    if headers is not None:
        kept = httpx.Headers(list(headers.items()))
        error.headers = kept
        error.request_id = kept.get(REQUEST_ID_HEADER)
