"""How an answer is read: the one place where HTTP outcomes become results or errors."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from functools import partial
from typing import Any, TypeVar

import httpx
import msgspec

from prefactor_http._bodies import Answer, AnswerTooLarge
from prefactor_http._failures import Kind, SendFailure
from prefactor_http._generated.types import TypeMismatch
from prefactor_http._redaction import redact, token_of
from prefactor_http._redaction import redact_json as redact_json  # _operations reads it here
from prefactor_http.exceptions import (
    PrefactorApiError,
    PrefactorAuthError,
    PrefactorConflictError,
    PrefactorHttpError,
    PrefactorInputError,
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

# How many links of a lower-layer error's chain are checked for the token.
MAX_CHAIN = 8

SNIPPET_CHARS = 200
_SECONDS = re.compile(r"[0-9]{1,9}(\.[0-9]{1,6})?")


_ERROR_CLASSES: dict[int, type[PrefactorApiError]] = {
    400: PrefactorValidationError,
    401: PrefactorAuthError,
    403: PrefactorAuthError,
    404: PrefactorNotFoundError,
    409: PrefactorConflictError,
    422: PrefactorValidationError,
    429: PrefactorRateLimitError,
}


def _snippet(response: Answer) -> str:
    """The start of the body, as text, redacted before and after it is cut.

    Redacting first means the cut cannot split the token and leave a part of
    it; the second pass catches a token the body itself cut off.
    """
    sent = response.request_headers
    window = SNIPPET_CHARS * 4 + 6 * len(token_of(sent))  # room for a \uXXXX-escaped token
    text = response.content[:window].decode("utf-8", errors="replace")
    return redact(redact(text, sent)[:SNIPPET_CHARS], sent)


# msgspec's JSON reader, made once for everything in the package that reads JSON.
decode_json = msgspec.json.Decoder().decode


def _json(response: Answer) -> object:
    """The body as JSON, or None; too deep nesting counts as unreadable, not as a crash.

    msgspec parses in about a third of the stdlib's time (most of a bulk
    answer's cost per item) and gives the same values, big integers
    included; what it refuses and the stdlib reads (UTF-16, a BOM, NaN,
    1e400, lone surrogates) is read by the stdlib, as before.
    """
    try:
        return decode_json(response.content)
    except (msgspec.DecodeError, RecursionError):
        pass
    try:
        return json.loads(response.content)
    except (ValueError, RecursionError):
        return None


def read_generated(expected: type[T], method: str, path: str, response: Answer) -> T:
    """Read a 2xx answer as the generated model `expected` (its public `from_dict`), or raise.

    The body is parsed as bytes once; the endpoint's generated response
    builder would decode it to text and wrap it again for nothing. The
    generated `from_dict` also checks that every field holds the type the
    spec declares (`TypeMismatch` names the first that does not).
    """
    if not response.is_success:
        raise error_from_response(method, path, response)
    data = _json(response)
    if not isinstance(data, dict):
        raise contract_error(method, path, response, "unreadable answer (not a JSON object)")
    try:
        return expected.from_dict(data)  # type: ignore[attr-defined,no-any-return]
    except TypeMismatch as exc:
        mismatch = exc  # raised below, outside this handler: nothing to chain
    except Exception as exc:  # any failure to parse a 2xx answer breaks the contract
        problem = f"unreadable answer ({redact(repr(exc), response.request_headers):.300})"
        error = contract_error(method, path, response, problem)
        raise error from _safe_cause(exc, response.request_headers)
    raise contract_error(method, path, response, str(mismatch))


def read_json_object(method: str, path: str, response: Answer) -> dict[str, Any]:
    """Parse a 2xx answer as any JSON object (for raw `request()` calls)."""
    if not response.is_success:
        raise error_from_response(method, path, response)
    data = _json(response)
    if not isinstance(data, dict):
        raise contract_error(method, path, response, "answer is not a JSON object")
    return data


def contract_error(
    method: str, path: str, response: Answer, problem: str
) -> PrefactorResponseContractError:
    return PrefactorResponseContractError(
        redact(problem, response.request_headers),
        response.status_code,
        redact(_snippet(response), response.request_headers),
        method=method,
        path=path,
    )


def error_from_response(method: str, path: str, response: Answer) -> PrefactorApiError:
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
    hide = partial(redact, sent=response.request_headers)
    location = response.headers.get("Location")
    if 300 <= status < 400 and location is not None:
        # The client never follows a redirect (it would resend the token elsewhere): say where.
        location = hide(location)
        if len(location) > SNIPPET_CHARS:
            location = hide(f"{location[:SNIPPET_CHARS]}...")
        message = f"{message}; redirected to {location}: not followed"
    code, message = (hide(code) if code else None), hide(message)
    errors = {hide(k): [hide(m) for m in v] for k, v in errors.items()}
    cls = _ERROR_CLASSES.get(status, PrefactorServerError if status >= 500 else PrefactorApiError)
    if cls is PrefactorValidationError:
        return PrefactorValidationError(message, code, status, errors, method=method, path=path)
    error = cls(message, code, status, method=method, path=path)
    error.retry_after = retry_after(response.headers.get("Retry-After"))
    return error


def retry_after(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After value: delay-seconds or an HTTP date (RFC 9110).

    A date in the past means now; a value that is neither form, or one no
    datetime can hold (day 10**20, a 99-hour zone), is ignored, as if the
    header were absent: the server's header must never turn its answer into
    an untyped error.
    """
    if value is None:
        return None
    value = value.strip()
    if _SECONDS.fullmatch(value):
        return float(value)
    try:
        when = parsedate_to_datetime(value)
        if when.tzinfo is None:  # "-0000" dates parse naive; HTTP dates are GMT
            when = when.replace(tzinfo=UTC)
        wait = (when - datetime.now(UTC)).total_seconds()
    except Exception:  # the stdlib's date parser fails in many ways (OverflowError, ...)
        return None
    return max(wait, 0.0)


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
    method: str,
    path: str,
    failure: SendFailure,
    timeout: httpx.Timeout,
    request_headers: Mapping[str, str],
) -> PrefactorHttpError:
    """Map a sender's failure (no usable answer) to a network or timeout error, by its kind.

    `request_sent` is False only for a kind that proves the server never saw
    the request. The error is chained to the library's own exception, when
    the failure had one. The token in `request_headers` (what the request
    carried) stays out of the message.
    """
    kind = failure.kind
    sent = not kind.never_sent
    if kind.is_timeout:
        phase, seconds = _timeout_phase(kind, timeout)
        limit = "its limit" if seconds is None else f"{seconds:.3g}s"
        problem = str(failure) if kind is Kind.PAST_DEADLINE else f"{phase} timed out after {limit}"
        error: PrefactorHttpError = PrefactorTimeoutError(
            f"{problem} ({failure.label})",
            method=method,
            path=path,
            request_sent=sent,
        )
    else:
        error = PrefactorNetworkError(
            f"request failed: {failure.label}: {redact(str(failure), request_headers)}",
            method=method,
            path=path,
            request_sent=sent,
        )
    error.__cause__ = _safe_cause(failure.__cause__, request_headers)
    error.__suppress_context__ = True
    return error


def _safe_cause(cause: BaseException | None, sent: Mapping[str, str]) -> BaseException | None:
    """`cause`, to chain as `__cause__`, or None when its text, or its chain's, holds the token.

    A traceback prints every chained exception's message, which this package
    cannot redact; such a cause is left out (its redacted repr is in the message).
    """
    link: BaseException | None = cause
    for _ in range(MAX_CHAIN):
        if link is None:
            break
        if any(redact(text, sent) != text for text in (str(link), repr(link))):
            return None
        link = link.__cause__ or link.__context__
    return cause


def _timeout_phase(kind: Kind, timeout: httpx.Timeout) -> tuple[str, float | None]:
    if kind is Kind.CONNECT_TIMEOUT:
        return "connect", timeout.connect
    if kind is Kind.WRITE_TIMEOUT:
        return "write", timeout.write
    if kind is Kind.POOL_TIMEOUT:
        return "wait for a pooled connection", timeout.pool
    return "read", timeout.read


def invalid_url(method: str, path: str, exc: httpx.InvalidURL) -> PrefactorInputError:
    """A URL httpx cannot build (too long, bad characters): nothing was sent."""
    return PrefactorInputError(
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
