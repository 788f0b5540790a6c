"""How an answer is read: the one place where HTTP outcomes become results or errors."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from functools import partial
from types import ModuleType
from typing import Any, TypeVar

import httpx

from prefactor_http._bodies import AnswerTooLarge, DeadlinePassed
from prefactor_http._conform import first_mismatch
from prefactor_http._generated.client import Client as GeneratedClient
from prefactor_http.exceptions import (
    PrefactorApiError,
    PrefactorAuthError,
    PrefactorConflictError,
    PrefactorHttpError,
    PrefactorNetworkError,
    PrefactorNotFoundError,
    PrefactorRateLimitError,
    PrefactorResponseContractError,
    PrefactorResponseTooLargeError,
    PrefactorServerError,
    PrefactorTimeoutError,
    PrefactorValidationError,
)

T = TypeVar("T")

SNIPPET_CHARS = 200
_SECONDS = re.compile(r"[0-9]{1,9}(\.[0-9]{1,6})?")

# The generated parsers only read `raise_on_unexpected_status` from their client.
_PARSER_CONTEXT = GeneratedClient(
    base_url="http://parser.invalid", raise_on_unexpected_status=False
)

# Failures that prove the request never reached the server, so resending cannot duplicate it.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)

_ERROR_CLASSES: dict[int, type[PrefactorApiError]] = {
    400: PrefactorValidationError,
    401: PrefactorAuthError,
    403: PrefactorAuthError,
    404: PrefactorNotFoundError,
    409: PrefactorConflictError,
    422: PrefactorValidationError,
    429: PrefactorRateLimitError,
}


def _snippet(response: httpx.Response) -> str:
    """The start of the body, as text (not yet redacted)."""
    text = response.content[: SNIPPET_CHARS * 4].decode("utf-8", errors="replace")
    return text[:SNIPPET_CHARS]


def _redact(text: str, request: httpx.Request | None) -> str:
    """Hide the API token, should a server or proxy echo the request back.

    Only whole occurrences count (not inside a longer word), so a short token
    cannot shred an unrelated message.
    """
    if request is None:
        return text
    token = request.headers.get("Authorization", "").removeprefix("Bearer ")
    if not token:
        return text
    return re.sub(rf"(?<![\w-]){re.escape(token)}(?![\w-])", "[redacted]", text)


def _json(response: httpx.Response) -> object:
    """The body as JSON, or None; too deep nesting counts as unreadable, not as a crash."""
    try:
        return json.loads(response.content)
    except (ValueError, RecursionError):
        return None


def read_generated(
    module: ModuleType, expected: type[T], method: str, path: str, response: httpx.Response
) -> T:
    """Parse a 2xx answer with the endpoint's generated parser, or raise the mapped error."""
    if not response.is_success:
        raise error_from_response(method, path, response)
    try:
        parsed = module._build_response(client=_PARSER_CONTEXT, response=response).parsed
    except Exception as exc:  # any failure to parse a 2xx answer breaks the contract
        raise contract_error(method, path, response, f"unreadable answer ({exc!r:.300})") from exc
    if not isinstance(parsed, expected):
        raise contract_error(method, path, response, f"expected {expected.__name__}")
    mismatch = first_mismatch(parsed)
    if mismatch:
        raise contract_error(method, path, response, f"{mismatch[0]}: {mismatch[1]}")
    return parsed


def read_json_object(method: str, path: str, response: httpx.Response) -> dict[str, Any]:
    """Parse a 2xx answer as any JSON object (for raw `request()` calls)."""
    if not response.is_success:
        raise error_from_response(method, path, response)
    data = _json(response)
    if not isinstance(data, dict):
        raise contract_error(method, path, response, "answer is not a JSON object")
    return data


def contract_error(
    method: str, path: str, response: httpx.Response, problem: str
) -> PrefactorResponseContractError:
    return PrefactorResponseContractError(
        _redact(problem, response.request),
        response.status_code,
        _redact(_snippet(response), response.request),
        method=method,
        path=path,
    )


def error_from_response(method: str, path: str, response: httpx.Response) -> PrefactorApiError:
    """Map an error status, with or without a readable error envelope, to its exception.

    The envelope is read leniently: a wrong-typed field is dropped, never a
    reason to lose the error itself.
    """
    status = response.status_code
    data = _json(response)
    envelope = data if isinstance(data, dict) else {}
    code = _text(envelope.get("code")) or None
    message = _text(envelope.get("message"))
    errors = _field_errors(envelope.get("errors"))
    if not message:
        body = _snippet(response)
        reason = response.reason_phrase or "error"
        message = f"{reason}; body: {body!r}" if body else reason
    redact = partial(_redact, request=response.request)
    code, message = (redact(code) if code else None), redact(message)
    errors = {redact(k): [redact(m) for m in v] for k, v in errors.items()}
    cls = _ERROR_CLASSES.get(status, PrefactorServerError if status >= 500 else PrefactorApiError)
    if cls is PrefactorValidationError:
        return PrefactorValidationError(message, code, status, errors, method=method, path=path)
    error = cls(message, code, status, method=method, path=path)
    error.retry_after = retry_after(response.headers.get("Retry-After"))
    return error


def retry_after(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After value: delay-seconds or an HTTP date (RFC 9110).

    A date in the past means now; a value that is neither form is ignored.
    """
    if value is None:
        return None
    value = value.strip()
    if _SECONDS.fullmatch(value):
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:  # "-0000" dates parse naive; HTTP dates are GMT
        when = when.replace(tzinfo=UTC)
    return max((when - datetime.now(UTC)).total_seconds(), 0.0)


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _field_errors(value: object) -> dict[str, list[str]]:
    if not isinstance(value, dict):
        return {}
    return {
        str(field): [str(m) for m in messages] if isinstance(messages, list) else [str(messages)]
        for field, messages in value.items()
    }


def error_from_transport(
    method: str, path: str, exc: httpx.HTTPError, timeout: httpx.Timeout
) -> PrefactorHttpError:
    """Map an httpx failure (no usable answer) to a network or timeout error."""
    sent = not isinstance(exc, _NOT_SENT)
    if isinstance(exc, httpx.TimeoutException):
        phase, seconds = _timeout_phase(exc, timeout)
        limit = "its limit" if seconds is None else f"{seconds:.3g}s"
        problem = (
            str(exc) if isinstance(exc, DeadlinePassed) else f"{phase} timed out after {limit}"
        )
        error: PrefactorHttpError = PrefactorTimeoutError(
            f"{problem} ({type(exc).__name__})",
            method=method,
            path=path,
            request_sent=sent,
        )
    else:
        error = PrefactorNetworkError(
            f"request failed: {type(exc).__name__}: {_redact(str(exc), _request_of(exc))}",
            method=method,
            path=path,
            request_sent=sent,
        )
    error.__cause__ = exc
    return error


def _timeout_phase(exc: httpx.TimeoutException, timeout: httpx.Timeout) -> tuple[str, float | None]:
    if isinstance(exc, httpx.ConnectTimeout):
        return "connect", timeout.connect
    if isinstance(exc, httpx.WriteTimeout):
        return "write", timeout.write
    if isinstance(exc, httpx.PoolTimeout):
        return "wait for a pooled connection", timeout.pool
    return "read", timeout.read


def _request_of(exc: httpx.HTTPError) -> httpx.Request | None:
    try:
        return exc.request
    except RuntimeError:  # httpx raises when the error was not tied to a request
        return None


def invalid_url(method: str, path: str, exc: httpx.InvalidURL) -> PrefactorValidationError:
    """A URL httpx cannot build (too long, bad characters): nothing was sent."""
    return PrefactorValidationError(
        "refused before sending: invalid url",
        "invalid_argument",
        None,
        {"url": [str(exc)]},
        method=method,
        path=path,
    )


def too_large(method: str, path: str, exc: AnswerTooLarge) -> PrefactorResponseTooLargeError:
    """An answer dropped for its size: the status it came with, no body to quote."""
    return PrefactorResponseTooLargeError(
        f"answer dropped: its body {exc.problem} (max_response_bytes)",
        exc.status_code,
        method=method,
        path=path,
    )
