"""Every failure the client lets a caller see, as one tree.

    PrefactorHttpError
    ├── PrefactorApiError                  the API answered with an error status
    │   ├── PrefactorAuthError             401, 403
    │   ├── PrefactorNotFoundError         404
    │   ├── PrefactorConflictError         409 (e.g. finishing a finished instance)
    │   ├── PrefactorRateLimitError        429
    │   ├── PrefactorServerError           5xx
    │   └── PrefactorValidationError       400, 422, or bad input refused before sending
    │       └── PrefactorInputError        ... refused before sending (also a ValueError)
    ├── PrefactorRetryExhaustedError       a transient failure outlived every retry
    ├── PrefactorResponseContractError     a 2xx answer that is not what the API promises
    │   └── PrefactorResponseTooLargeError an answer larger than max_response_bytes
    └── PrefactorClientError               the client side failed
        ├── PrefactorConfigError           bad HttpClientConfig (also a ValueError)
        ├── PrefactorEventLoopError        off asyncio without http_client=, or in another loop
        ├── PrefactorForkedClientError     a client over http_client= called in a forked child
        ├── PrefactorBufferFullError       a span writer's buffer stayed full
        ├── PrefactorDeliveryError         a span writer could not deliver some items
        └── PrefactorNetworkError          no answer: connection refused, reset, ...
            └── PrefactorTimeoutError      ... or too slow

Two UserWarnings: PrefactorInsecureTransportWarning (the token would travel
unencrypted) and PrefactorDataLossWarning (a span writer lost items at exit).

Errors from lower layers (aiohttp, urllib3, httpx, JSON, attrs) never escape:
they are mapped in `prefactor_http._responses` and chained as `__cause__`
(unless their text holds the API token, which the package's own messages
redact).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from prefactor_http._warning_categories import (
    PrefactorDataLossWarning,
    PrefactorInsecureTransportWarning,
)

if TYPE_CHECKING:  # for the types alone: models.bulk imports this module
    from prefactor_http.models.bulk import WriteFailure, WriterStats

__all__ = [
    "PrefactorApiError",
    "PrefactorAuthError",
    "PrefactorBufferFullError",
    "PrefactorClientError",
    "PrefactorConfigError",
    "PrefactorConflictError",
    "PrefactorDataLossWarning",
    "PrefactorDeliveryError",
    "PrefactorEventLoopError",
    "PrefactorForkedClientError",
    "PrefactorHttpError",
    "PrefactorInputError",
    "PrefactorInsecureTransportWarning",
    "PrefactorNetworkError",
    "PrefactorNotFoundError",
    "PrefactorRateLimitError",
    "PrefactorResponseContractError",
    "PrefactorResponseTooLargeError",
    "PrefactorRetryExhaustedError",
    "PrefactorServerError",
    "PrefactorTimeoutError",
    "PrefactorValidationError",
    "is_permanent_http_error",
    "is_transient_http_error",
]

# Statuses that say "try again later" whatever the client's retry settings are.
TRANSIENT_STATUS_CODES = frozenset({408, 429, 500, 502, 503, 504})
# Paths longer than this are cut in messages: a 70,000-character id should not flood a log.
MAX_PATH_IN_MESSAGE = 200


def _where(method: str | None, path: str | None) -> str:
    if not (method and path):
        return ""
    if len(path) > MAX_PATH_IN_MESSAGE:
        path = f"{path[:MAX_PATH_IN_MESSAGE]}...({len(path)} characters)"
    return f"{method} {path}: "


def _unpickle(cls: type[PrefactorHttpError], args: tuple[object, ...]) -> PrefactorHttpError:
    """An error rebuilt from its `args` without `__init__`; `__reduce__`'s state fills the rest."""
    return cls.__new__(cls, *args)


class PrefactorHttpError(Exception):
    """Base of every error this package raises.

    Every error pickles with all its attributes (a process pool hands it from
    a worker to the parent): it is rebuilt from `args` and its `__dict__`,
    not by calling `__init__` again, so each subclass's own signature, and
    any attribute added later, travels unchanged. `__cause__` and the
    traceback stay behind, as for any pickled exception.

    Once a call was sent, `url` is the URL it called (`api_url` and path,
    query included; never the token). When an answer came, `headers` are
    its headers (read case-insensitively) and `request_id` is its
    `X-Request-Id`, the id to quote to Prefactor's support.
    """

    url: str | None = None
    request_id: str | None = None
    headers: Mapping[str, str] | None = None

    def __reduce__(self) -> tuple[object, ...]:
        return (_unpickle, (type(self), self.args), self.__dict__)


class PrefactorApiError(PrefactorHttpError):
    """The API answered with an error envelope or an error status.

    `message` and `code` are the server's; `str()` adds the method, path and
    status so that a log line alone says what failed. `retry_after` is the
    wait in seconds the server asked for in a Retry-After header, if any.

    Args:
        message: The server's message (or the client's, for a refusal made before sending).
        code: The server's error code, such as `not_found`.
        status_code: The HTTP status, None for a refusal made before sending.
        method: The HTTP method of the failed call.
        path: The path of the failed call, as sent.
    """

    retry_after: float | None = None

    def __init__(
        self,
        message: str,
        code: str | None = None,
        status_code: int | None = None,
        *,
        method: str | None = None,
        path: str | None = None,
    ) -> None:
        self.message = message
        self.code = code
        self.status_code = status_code
        self.method = method
        self.path = path
        super().__init__(message)

    def __str__(self) -> str:
        status = f"HTTP {self.status_code} " if self.status_code is not None else ""
        code = f"[{self.code}] " if self.code else ""
        return f"{_where(self.method, self.path)}{status}{code}{self.message}"


class PrefactorAuthError(PrefactorApiError):
    """The token is missing, wrong, or lacks permission (401, 403)."""


class PrefactorNotFoundError(PrefactorApiError):
    """The instance, span or agent named does not exist (404)."""


class PrefactorConflictError(PrefactorApiError):
    """The resource is in a state that forbids the call (409)."""


class PrefactorRateLimitError(PrefactorApiError):
    """Too many requests (429)."""


class PrefactorServerError(PrefactorApiError):
    """The server side failed (5xx)."""


class PrefactorValidationError(PrefactorApiError):
    """The request was invalid: refused by the API (400, 422) or by the client before sending.

    `errors` maps each offending field to its messages. A refusal made before
    sending has `status_code` None and `code` "invalid_argument".

    Args:
        message: What was refused.
        code: The error code (`invalid_argument` before sending).
        status_code: 400 or 422 from the API, None before sending.
        errors: Each offending field and its messages.
        method: The HTTP method of the failed call.
        path: The path of the failed call, as sent.
    """

    def __init__(
        self,
        message: str,
        code: str | None = None,
        status_code: int | None = None,
        errors: Mapping[str, Sequence[str]] | None = None,
        *,
        method: str | None = None,
        path: str | None = None,
    ) -> None:
        super().__init__(message, code, status_code, method=method, path=path)
        self.errors: dict[str, list[str]] = {k: list(v) for k, v in (errors or {}).items()}

    def __str__(self) -> str:
        text = super().__str__()
        if not self.errors:
            return text
        fields = "; ".join(f"{k}: {', '.join(v)}" for k, v in self.errors.items())
        return f"{text} ({fields})"


class PrefactorInputError(PrefactorValidationError, ValueError):
    """Bad input refused before anything was sent (`status_code` None).

    Also a `ValueError`, as 0.4.3 raised for bad input, so code that catches
    `ValueError` keeps catching it; the API's own 400/422 answers stay plain
    `PrefactorValidationError`s, which are not.
    """


class PrefactorRetryExhaustedError(PrefactorHttpError):
    """Every attempt failed with a transient error; `last_error` is the final one.

    `last_error` is a `PrefactorHttpError`, or from `retry.RetryHandler` what
    the operation raised; `status_code`, `url`, `headers` and `request_id`
    are the last error's (None where it has none).

    Args:
        message: Why the retries stopped (count or deadline).
        last_error: The error of the final attempt.
        attempts: How many attempts were made.
    """

    def __init__(self, message: str, last_error: Exception, attempts: int = 0) -> None:
        self.last_error = last_error
        self.attempts = attempts
        self.status_code: int | None = getattr(last_error, "status_code", None)
        self.url = getattr(last_error, "url", None)
        self.headers = getattr(last_error, "headers", None)
        self.request_id = getattr(last_error, "request_id", None)
        super().__init__(message)


class PrefactorResponseContractError(PrefactorHttpError):
    """A success status whose body is not the JSON the API promises (e.g. a proxy's HTML).

    A 2xx status says the server may have acted. `idempotency_key` is the key
    the call carried (the caller's or the one made for it; for bulk, the
    request's `Idempotency-Key` header), None for a GET: sending the call
    again with that key is safe, the server replays its first outcome.

    Args:
        message: What is wrong with the answer.
        status_code: The answer's HTTP status.
        body_snippet: The start of the answer's body, the token hidden.
        method: The HTTP method of the failed call.
        path: The path of the failed call, as sent.
        idempotency_key: The key the call carried, None for a GET.
    """

    idempotency_key: str | None = None

    def __init__(
        self,
        message: str,
        status_code: int | None = None,
        body_snippet: str = "",
        *,
        method: str | None = None,
        path: str | None = None,
        idempotency_key: str | None = None,
    ) -> None:
        self.status_code = status_code
        self.body_snippet = body_snippet
        self.method = method
        self.path = path
        self.idempotency_key = idempotency_key
        super().__init__(message)

    def __str__(self) -> str:
        status = f"HTTP {self.status_code} " if self.status_code is not None else ""
        text = f"{_where(self.method, self.path)}{status}{self.args[0]}: {self.body_snippet!r}"
        if self.idempotency_key is None:
            return text
        return (
            f"{text} (the server may have acted: idempotency key {self.idempotency_key!r}, "
            "resend with it to replay the first outcome)"
        )


class PrefactorResponseTooLargeError(PrefactorResponseContractError):
    """The answer's body, as sent or decompressed, passed `max_response_bytes`; it was dropped."""


class PrefactorClientError(PrefactorHttpError):
    """The failure is on this side: configuration, a closed client, the network."""


class PrefactorConfigError(PrefactorClientError, ValueError):
    """An HttpClientConfig value is missing or out of range."""


class PrefactorEventLoopError(PrefactorClientError):
    """The async client was called where its connections cannot go.

    Under trio (or another library than asyncio) without `http_client=`, or
    with an `httpx.AsyncClient` of yours from an event loop other than the
    one it first ran in. The message says what to do instead.
    """


class PrefactorForkedClientError(PrefactorClientError):
    """A client made over your httpx client was called in a forked child of its process.

    The child would send over the parent's connections: make a new httpx
    client and a new Prefactor client in the child.
    """


class PrefactorBufferFullError(PrefactorClientError):
    """A span writer's buffer was full: the item was not accepted (the caller still has it)."""


class PrefactorDeliveryError(PrefactorClientError):
    """Items a span writer accepted could not be delivered; each is in `failures` with its cause.

    Each failure is a `prefactor_http.models.bulk.WriteFailure`. `stats`,
    when a writer raised it, is its `WriterStats` at that moment.

    Args:
        failures: Each item not delivered, with its cause.
        stats: The writer's counts when it raised this.
    """

    def __init__(self, failures: Sequence[WriteFailure], stats: WriterStats | None = None) -> None:
        self.failures = list(failures)
        self.stats = stats
        first = self.failures[0]
        reason = first.output.message if first.output is not None else first.error
        super().__init__(
            f"{len(self.failures)} accepted item(s) could not be delivered; "
            f"first: {first.item.idempotency_key!r}: {reason}"
        )


class PrefactorNetworkError(PrefactorClientError):
    """No answer came back: the connection failed, was refused or was cut.

    `request_sent` is False only when the request surely never reached the
    server (it could not connect), so resending it cannot act twice.

    Args:
        message: What failed.
        method: The HTTP method of the failed call.
        path: The path of the failed call, as sent.
        request_sent: False only when the request surely never reached the server.
    """

    def __init__(
        self,
        message: str,
        *,
        method: str | None = None,
        path: str | None = None,
        request_sent: bool = True,
    ) -> None:
        self.method = method
        self.path = path
        self.request_sent = request_sent
        super().__init__(message)

    def __str__(self) -> str:
        return f"{_where(self.method, self.path)}{self.args[0]}"


class PrefactorTimeoutError(PrefactorNetworkError):
    """The server did not connect or answer within the configured timeout."""


def is_transient_http_error(error: BaseException) -> bool:
    """True when the same call may succeed later (network, timeout, 408, 429, 500, 502-504).

    Args:
        error: Any exception; one not of this package is neither transient nor permanent.
    """
    if isinstance(error, PrefactorNetworkError | PrefactorRetryExhaustedError):
        return True
    if isinstance(error, PrefactorApiError):
        return error.status_code in TRANSIENT_STATUS_CODES
    return False


def is_permanent_http_error(error: BaseException) -> bool:
    """True for an error of this package that repeating the call will not fix.

    Args:
        error: Any exception; one not of this package is neither transient nor permanent.
    """
    return isinstance(error, PrefactorHttpError) and not is_transient_http_error(error)
