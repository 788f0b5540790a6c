"""Whether to try a failed call again, and how long to wait first.

I/O-free: both clients open an `Attempts` per logical call, report each
outcome to it, and only differ in how they sleep.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Mapping
from dataclasses import dataclass, field

import httpx

from prefactor_http import _validate
from prefactor_http._failures import Kind
from prefactor_http._redaction import redact
from prefactor_http.config import HttpClientConfig
from prefactor_http.exceptions import (
    PrefactorApiError,
    PrefactorHttpError,
    PrefactorNetworkError,
    PrefactorRetryExhaustedError,
)

RATE_LIMITED = 429
# The statuses whose Retry-After header the client obeys (RFC 9110 names these two).
RETRY_AFTER_STATUSES = frozenset({429, 503})

# Sends of one call, beyond its retries, after a kept connection the server had closed: the
# pool may hold a few such connections before the libraries notice that they are closed.
MAX_RESENDS_AT_ONCE = 3

logger = logging.getLogger("prefactor_http")


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """Exponential backoff with full jitter, capped, for network errors and chosen statuses."""

    max_retries: int
    initial_delay: float
    max_delay: float
    multiplier: float
    statuses: frozenset[int]

    @classmethod
    def from_config(cls, config: HttpClientConfig) -> RetryPolicy:
        return cls(
            max_retries=config.max_retries,
            initial_delay=config.initial_retry_delay,
            max_delay=config.max_retry_delay,
            multiplier=config.retry_multiplier,
            statuses=frozenset(config.retry_on_status_codes),
        )

    def is_retryable(self, error: PrefactorHttpError, replay_safe: bool) -> bool:
        """Transient failures are retried; a call that is not replay-safe only when unprocessed.

        Unprocessed means the request never reached the server (no connection)
        or was turned away before any work (429).
        """
        if isinstance(error, PrefactorNetworkError):
            return replay_safe or not error.request_sent
        if isinstance(error, PrefactorApiError) and error.status_code in self.statuses:
            return replay_safe or error.status_code == RATE_LIMITED
        return False

    def delay(self, retry: int, error: PrefactorHttpError) -> float:
        """The wait before retry number `retry` (1-based), never above `max_delay`.

        The server's Retry-After wins on 429 and 503; otherwise uniform in
        [0, capped exponential] (full jitter).
        """
        if (
            isinstance(error, PrefactorApiError)
            and error.status_code in RETRY_AFTER_STATUSES
            and error.retry_after is not None
        ):
            return min(error.retry_after, self.max_delay)
        return self.backoff(retry)

    def backoff(self, retry: int) -> float:
        """Full jitter: uniform in [0, min(max_delay, initial * multiplier**(retry - 1))]."""
        try:
            ceiling = min(self.max_delay, self.initial_delay * self.multiplier ** (retry - 1))
        except OverflowError:  # far past the cap
            ceiling = self.max_delay
        return random.uniform(0, ceiling)

    def begin(
        self,
        method: str,
        path: str,
        replay_safe: bool,
        timeout: object = None,
        max_retries: object = None,
        headers: Mapping[str, str] | None = None,
    ) -> Attempts:
        """Open the retry state of one logical call, checking the per-call overrides.

        `headers` are those the call carries: its log lines hide their token.
        """
        if max_retries is not None:
            max_retries = _validate.count("max_retries", max_retries, minimum=0)
        deadline = None
        if timeout is not None:
            timeout = _validate.seconds("timeout", timeout)
            deadline = time.monotonic() + timeout
        limit = self.max_retries if max_retries is None else max_retries
        return Attempts(self, method, path, replay_safe, limit, timeout, deadline, headers or {})


@dataclass(slots=True)
class Attempts:
    """The attempts of one logical call: counts them, logs them and caps them by the deadline.

    `timeout` (seconds for the whole call, retries included) sets `deadline`:
    each attempt's httpx timeouts shrink to the time left, and no retry starts
    that could not begin before it.
    """

    policy: RetryPolicy
    method: str
    path: str
    replay_safe: bool
    max_retries: int
    timeout: float | None
    deadline: float | None
    # Out of the repr: error trackers print a frame's locals, and these hold the token.
    headers: Mapping[str, str] = field(repr=False)
    made: int = field(default=0)
    resent: int = field(default=0)

    def httpx_timeout(self, configured: httpx.Timeout) -> httpx.Timeout | None:
        """The timeouts for the next attempt, or None to keep the client's own."""
        if self.deadline is None:
            return None
        left = max(self.deadline - time.monotonic(), 0.001)
        return httpx.Timeout(
            connect=_cap(configured.connect, left),
            read=_cap(configured.read, left),
            write=_cap(configured.write, left),
            pool=_cap(configured.pool, left),
        )

    def attempt_deadline(self, configured: httpx.Timeout) -> float:
        """When the next attempt must have its whole answer: a trickle ends there too.

        Each attempt gets its connect and read timeouts end to end, and never
        more than the time the call has left.
        """
        budget = (configured.connect or 0.0) + (configured.read or 0.0)
        end = time.monotonic() + budget
        return end if self.deadline is None else min(end, self.deadline)

    def resend_at_once(self, kind: Kind) -> bool:
        """Whether to send again now after a failure of `kind`, spending neither a retry nor a wait.

        Only for `STALE_CONNECTION` (a kept connection the server had closed,
        where the next one is fresh or still open) and a call that is safe to
        replay: its key makes a server that did see it answer as before.
        """
        if (
            kind is not Kind.STALE_CONNECTION
            or not self.replay_safe
            or self.resent >= MAX_RESENDS_AT_ONCE
        ):
            return False
        self.resent += 1
        if logger.isEnabledFor(logging.DEBUG):
            logger.debug(
                "%s: a kept connection was closed by the server; sending again at once",
                self._call(),
            )
        return True

    @property
    def sent(self) -> int:
        """Requests sent so far, resends at once included."""
        return self.made + self.resent

    def succeeded(self, status: int) -> None:
        self.made += 1
        if logger.isEnabledFor(logging.DEBUG):
            logger.debug("%s -> %d (attempt %d)", self._call(), status, self.made)

    def failed(self, error: PrefactorHttpError) -> float:
        """After a failed attempt: the seconds to wait before the next one, or raise.

        A permanent error, or any error when retries are off, is raised as it
        is; a transient one with no retry left (by count or by deadline)
        becomes PrefactorRetryExhaustedError.
        """
        self.made += 1
        if not self.policy.is_retryable(error, self.replay_safe) or self.max_retries == 0:
            self._log_attempt(error, None)
            raise error
        if self.made > self.max_retries:
            self._give_up(error, f"gave up after {self.made} attempts")
        wait = self.policy.delay(self.made, error)
        if self.deadline is not None and time.monotonic() + wait >= self.deadline:
            self._give_up(
                error,
                f"gave up after {self.made} attempts: the call's {self.timeout}s timeout "
                f"leaves no time for a retry in {wait:.3g}s",
            )
        self._log_attempt(error, wait)
        return wait

    def _call(self) -> str:
        """The method and path for a log line, the token hidden should the path hold it."""
        return f"{self.method} {redact(self.path, self.headers)}"

    def _log_attempt(self, error: PrefactorHttpError, wait: float | None) -> None:
        if not logger.isEnabledFor(logging.DEBUG):
            return
        outcome = _status(error)
        then = "not retried" if wait is None else f"retrying in {wait:.3f}s"
        logger.debug("%s -> %s (attempt %d): %s", self._call(), outcome, self.made, then)

    def _give_up(self, error: PrefactorHttpError, reason: str) -> None:
        logger.warning("%s: %s; last error: %s", self._call(), reason, _status(error))
        raise PrefactorRetryExhaustedError(
            f"{reason}; last error: {error}", error, self.made
        ) from error


def _status(error: PrefactorHttpError) -> str:
    """A short outcome for a log line: the status, or the kind of network failure."""
    status = getattr(error, "status_code", None)
    return type(error).__name__ if status is None else str(status)


def _cap(value: float | None, left: float) -> float:
    return left if value is None else min(value, left)
