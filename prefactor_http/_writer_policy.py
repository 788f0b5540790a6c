"""A span writer's settings and delivery policy: its limits, its backoff, when it gives up.

Shared by both writers through `prefactor_http._write_buffer`.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Literal

from prefactor_http import _validate
from prefactor_http._spool import SpoolSync
from prefactor_http.exceptions import (
    PrefactorApiError,
    PrefactorInputError,
    PrefactorRetryExhaustedError,
    PrefactorTimeoutError,
)
from prefactor_http.models.bulk import BulkItem

# What a span writer holds at most, in encoded bytes, unless told otherwise.
DEFAULT_MAX_BUFFERED_BYTES = 64 * 1024 * 1024
DEFAULT_MAX_SPOOL_BYTES = 1024 * 1024 * 1024
# How long the API is assumed to remember an idempotency key (not documented by
# the API: see openapi.yaml). An item is never sent once older than this, as a
# resend the API no longer recognises could act twice.
REPLAY_WINDOW = 24 * 3600.0
DEFAULT_MAX_AGE = 3600.0
RETRY_DELAY_CAP = 30.0  # the longest wait between a batch's tries, Retry-After aside
RETRY_AFTER_CAP = 300.0  # the longest Retry-After honoured
TAKE_OVER_INTERVAL = 5.0  # how often a spool looks for dead writers' files

WhenFull = Literal["block", "raise"]


@dataclass(frozen=True)
class WriterSettings:
    """A span writer's limits, checked once, before it starts."""

    max_items: int
    flush_interval: float
    max_buffered: int
    when_full: WhenFull
    block_timeout: float
    flush_attempts: int | None = None
    max_buffered_bytes: int = DEFAULT_MAX_BUFFERED_BYTES
    exit_timeout: float = 10.0
    max_age: float = DEFAULT_MAX_AGE
    spool_dir: str | None = None
    spool_sync: SpoolSync = "batch"
    max_spool_bytes: int = DEFAULT_MAX_SPOOL_BYTES

    def __post_init__(self) -> None:
        _validate.count("max_items", self.max_items)
        _validate.seconds("flush_interval", self.flush_interval)
        _validate.count("max_buffered", self.max_buffered)
        if self.max_buffered < self.max_items:
            _validate.refuse(
                "max_buffered",
                f"must be at least max_items ({self.max_items}), got {self.max_buffered}",
            )
        _validate.choice("when_full", self.when_full, ("block", "raise"))
        _validate.seconds("block_timeout", self.block_timeout)
        if self.flush_attempts is not None:
            _validate.count("flush_attempts", self.flush_attempts)
        _validate.count("max_buffered_bytes", self.max_buffered_bytes)
        _validate.seconds("exit_timeout", self.exit_timeout)
        if _validate.seconds("max_age", self.max_age) > REPLAY_WINDOW:
            _validate.refuse(
                "max_age",
                f"must be at most {REPLAY_WINDOW:g} s, the assumed window in which the API "
                f"replays a key it has seen, got {self.max_age!r}",
            )
        _validate.count("max_spool_bytes", self.max_spool_bytes)


# An item as held: the item, its encoded body, when it was accepted (time.monotonic())
# and its row in the spool (0 without one).
Entry = tuple[BulkItem, bytes, float, int]
Batch = list[Entry]


def retry_delay(settings: WriterSettings, failures: int, error: Exception) -> float:
    """The wait before a batch's next try, after `failures` in a row.

    Capped exponential backoff from `flush_interval`, each wait a random
    50-100% of it (writers that failed together come back apart), and at
    least a Retry-After the API sent.
    """
    base = settings.flush_interval * 2 ** min(failures - 1, 30)
    delay: float = min(base, RETRY_DELAY_CAP) * random.uniform(0.5, 1.0)
    if isinstance(error, PrefactorRetryExhaustedError):
        error = error.last_error
    asked = error.retry_after if isinstance(error, PrefactorApiError) else None
    if asked is not None:
        delay = max(delay, min(asked, RETRY_AFTER_CAP))
    return delay


def too_old(max_age: float, last: Exception | None) -> PrefactorTimeoutError:
    """Why an item is given up on at `max_age`: past it, a resend might act twice."""
    error = PrefactorTimeoutError(
        f"not delivered within max_age={max_age:g}s"
        + (f" (last try: {last})" if last is not None else "")
        + "; it is not sent any more, as the API may no longer recognise its key",
        method="POST",
        path="/api/v1/bulk",
    )
    error.__cause__ = last
    return error


def repeated(key: str) -> PrefactorInputError:
    """Why a taken-over item is not sent: an item with its key is pending here already."""
    return PrefactorInputError(
        "refused before sending: invalid item.idempotency_key",
        "invalid_argument",
        None,
        {"item.idempotency_key": [f"repeats {key!r} of an item not yet sent: not sent twice"]},
    )
