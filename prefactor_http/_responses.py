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

from prefactor_http._bodies import Answer, AnswerTooLarge, DeadlinePassed
from prefactor_http._generated.types import TypeMismatch
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

# How many links of a lower-layer error's chain are checked for the token.
MAX_CHAIN = 8

SNIPPET_CHARS = 200
_SECONDS = re.compile(r"[0-9]{1,9}(\.[0-9]{1,6})?")


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


def _snippet(response: Answer) -> str:
    """The start of the body, as text, redacted before and after it is cut.

    Redacting first means the cut cannot split the token and leave a part of
    it; the second pass catches a token the body itself cut off.
    """
    sent = response.request_headers
    window = SNIPPET_CHARS * 4 + 6 * len(_token(sent))  # room for a \uXXXX-escaped token
    text = response.content[:window].decode("utf-8", errors="replace")
    return _redact(_redact(text, sent)[:SNIPPET_CHARS], sent)


REDACTED = "[redacted]"
# A token shorter than this is only redacted where it stands alone, so it cannot shred words.
SHORT_TOKEN = 8
# A run of the token's first characters this long is redacted anywhere; at the very end of a
# text (cut there), from SHORT_TOKEN characters on.
PREFIX_ANYWHERE = 12

# How many layers of escaping are undone: enough for a repr of a repr of a JSON string.
DECODE_ROUNDS = 4
# Ways a server may escape a character of the echoed token: percent-encoding, JSON.
_ESCAPE = re.compile(r"%([0-9A-Fa-f]{2})|\\u([0-9A-Fa-f]{4})|\\([\\/\"'bfnrt])")
_JSON_ESCAPES = {"b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}
# An escape cut off at the end of a text.
_CUT_ESCAPE = re.compile(r"(?:%[0-9A-Fa-f]?|\\(?:u[0-9A-Fa-f]{0,3})?)\Z")
_WORD = re.compile(r"[\w-]")


def _token(sent: Mapping[str, str]) -> str:
    """The API token in `sent`, the headers a request carried."""
    return sent.get("Authorization", "").removeprefix("Bearer ")


def _redact(text: str, sent: Mapping[str, str]) -> str:
    r"""Hide the API token, should a server or proxy echo the request back.

    The token is found as it was sent, percent-encoded (`Bearer%20<token>`,
    `%70%66...`) or JSON-escaped (`\u0070`, `\/`), in any mix, and so is a
    cut token: its first 12 characters anywhere, or its first 8 at the end
    of the text. A token shorter than 8 characters only counts whole and
    standing alone (not inside a longer word), so it cannot shred an
    unrelated message.
    """
    token = _token(sent)
    if not token or not text:
        return text
    searched, starts = text, list(range(len(text) + 1))
    spans = _token_spans(searched, starts, text, token)
    for _ in range(DECODE_ROUNDS):  # escapes of escapes: a repr of a JSON string, %2570
        decoded, inner = _decode(searched)
        if decoded == searched:
            break
        searched, starts = decoded, [starts[i] for i in inner]
        spans += _token_spans(searched, starts, text, token)
    if not spans:
        return text
    parts: list[str] = []
    done = 0
    for start, end in sorted(spans):
        if start >= done:
            parts += (text[done:start], REDACTED)
        done = max(done, end)  # an overlapping span widens the one before
    return "".join(parts) + text[done:]


def redact_json(value: T, sent: Mapping[str, str]) -> T:
    """`value`, a JSON value this package read, with the token hidden in every text it holds.

    Strings are redacted as `_redact` does, dictionary keys too; lists and
    dictionaries are changed in place (without recursion: however deep the
    server nested them), so only pass values read from an answer, never a
    caller's.
    """
    if not _token(sent):
        return value
    if isinstance(value, str):
        return _redact(value, sent)  # type: ignore[return-value]
    stack: list[object] = [value]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            for index, item in enumerate(node):
                if isinstance(item, str):
                    node[index] = _redact(item, sent)
                elif isinstance(item, list | dict):
                    stack.append(item)
        elif isinstance(node, dict):
            entries = list(node.items())
            node.clear()
            for key, item in entries:
                if isinstance(item, str):
                    item = _redact(item, sent)
                elif isinstance(item, list | dict):
                    stack.append(item)
                node[_redact(key, sent) if isinstance(key, str) else key] = item
    return value


def _decode(text: str) -> tuple[str, list[int]]:
    """`text` with its escapes decoded, and where in `text` each decoded character starts.

    The list has one more entry, `len(text)`, so a decoded span [a, b) is
    [starts[a], starts[b]) in `text`.
    """
    chars: list[str] = []
    starts: list[int] = []
    done = 0
    for match in _ESCAPE.finditer(text):
        chars.extend(text[done : match.start()])
        starts.extend(range(done, match.start()))
        percent, unicode, single = match.groups()
        if single is not None:
            chars.append(_JSON_ESCAPES.get(single, single))
        else:
            chars.append(chr(int(percent or unicode, 16)))
        starts.append(match.start())
        done = match.end()
    chars.extend(text[done:])
    starts.extend(range(done, len(text) + 1))
    return "".join(chars), starts


def _token_spans(searched: str, starts: list[int], text: str, token: str) -> list[tuple[int, int]]:
    """Where the token (or a cut token) is in `searched`, as spans of the original `text`."""
    spans: list[tuple[int, int]] = []
    if len(token) < SHORT_TOKEN:
        at = searched.find(token)
        while at >= 0:
            end = at + len(token)
            alone = (at == 0 or not _WORD.match(searched[at - 1])) and (
                end == len(searched) or not _WORD.match(searched[end])
            )
            if alone:
                spans.append((starts[at], starts[end]))
            at = searched.find(token, at + 1)
        return spans
    head = token[: min(PREFIX_ANYWHERE, len(token))]
    at = searched.find(head)
    while at >= 0:
        end = at + len(head)
        while end < len(searched) and end - at < len(token) and searched[end] == token[end - at]:
            end += 1
        spans.append((starts[at], starts[end]))
        at = searched.find(head, end)
    # A token cut at the end, perhaps in the middle of an escape.
    cut = _CUT_ESCAPE.search(searched)
    body_end = cut.start() if cut else len(searched)
    for length in range(min(len(token) - 1, body_end), SHORT_TOKEN - 1, -1):
        if searched.startswith(token[:length], body_end - length):
            spans.append((starts[body_end - length], len(text)))
            break
    return spans


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
        problem = f"unreadable answer ({_redact(repr(exc), response.request_headers):.300})"
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
        _redact(problem, response.request_headers),
        response.status_code,
        _redact(_snippet(response), response.request_headers),
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
    redact = partial(_redact, sent=response.request_headers)
    location = response.headers.get("Location")
    if 300 <= status < 400 and location is not None:
        # The client never follows a redirect (it would resend the token elsewhere): say where.
        location = redact(location)
        if len(location) > SNIPPET_CHARS:
            location = redact(f"{location[:SNIPPET_CHARS]}...")
        message = f"{message}; redirected to {location}: not followed"
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
    exc: httpx.HTTPError,
    timeout: httpx.Timeout,
    request_headers: Mapping[str, str],
) -> PrefactorHttpError:
    """Map a sender's failure (no usable answer) to a network or timeout error.

    The token in `request_headers` (what the request carried) stays out of the message.
    """
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
            f"request failed: {type(exc).__name__}: {_redact(str(exc), request_headers)}",
            method=method,
            path=path,
            request_sent=sent,
        )
    error.__cause__ = _safe_cause(exc, request_headers)
    error.__suppress_context__ = True
    return error


def _safe_cause(cause: BaseException, sent: Mapping[str, str]) -> BaseException | None:
    """`cause`, to chain as `__cause__`, or None when its text, or its chain's, holds the token.

    A traceback prints every chained exception's message, which this package
    cannot redact; such a cause is left out (its redacted repr is in the message).
    """
    link: BaseException | None = cause
    for _ in range(MAX_CHAIN):
        if link is None:
            break
        if any(_redact(text, sent) != text for text in (str(link), repr(link))):
            return None
        link = link.__cause__ or link.__context__
    return cause


def _timeout_phase(exc: httpx.TimeoutException, timeout: httpx.Timeout) -> tuple[str, float | None]:
    if isinstance(exc, httpx.ConnectTimeout):
        return "connect", timeout.connect
    if isinstance(exc, httpx.WriteTimeout):
        return "write", timeout.write
    if isinstance(exc, httpx.PoolTimeout):
        return "wait for a pooled connection", timeout.pool
    return "read", timeout.read


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
