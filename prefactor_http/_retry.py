"""Whether to try a failed call again, and how long to wait first.

Pure: both clients ask it after each failure and only differ in how they sleep.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from prefactor_http.config import HttpClientConfig
from prefactor_http.exceptions import (
    PrefactorApiError,
    PrefactorHttpError,
    PrefactorNetworkError,
    PrefactorRetryExhaustedError,
)

RATE_LIMITED = 429


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

    def backoff(self, retry: int) -> float:
        """The wait before retry number `retry` (1-based): uniform in [0, capped exponential]."""
        try:
            ceiling = min(self.max_delay, self.initial_delay * self.multiplier ** (retry - 1))
        except OverflowError:  # far past the cap
            ceiling = self.max_delay
        return random.uniform(0, ceiling)

    def wait_or_raise(self, attempts: int, error: PrefactorHttpError, replay_safe: bool) -> float:
        """After `attempts` failed attempts, the seconds to wait before the next; else raise.

        A permanent error, or any error when retries are off, is raised as it is;
        a transient one that used up every retry becomes PrefactorRetryExhaustedError.
        """
        if not self.is_retryable(error, replay_safe) or self.max_retries == 0:
            raise error
        if attempts > self.max_retries:
            raise PrefactorRetryExhaustedError(
                f"gave up after {attempts} attempts; last error: {error}", error, attempts
            ) from error
        return self.backoff(attempts)
