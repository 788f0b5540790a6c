"""What a run of many bulk requests reports: `execute_many`'s and the span writers'.

`BulkBatchResult` is the fate of each item `execute_many` was given;
`WriteFailure` and `WriterStats` are what a span writer's `flush()` and
`close()` report. Apart from `bulk` (one request's items and answer); the
classes are public as `prefactor_http.models.bulk`'s, and name that module
as theirs, so pickles and reprs are the same as before.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # `bulk` imports this module
    from prefactor_http.models.bulk import BulkItem, BulkOutput


class BulkBatchResult:
    """What `execute_many` did with each item, by key, in the order the items were given.

    The API stops at the first failed item, and `execute_many` stops with it:
    `succeeded` ran, `failed` is the item that stopped the run (its output in
    `outputs`), `not_processed` never ran, and `not_sent` (a part of
    `not_processed`) were in chunks that were never sent. When a request
    itself fails (after the client's retries), `error` holds the exception and
    `unconfirmed` the keys of that chunk: their outcome is unknown, and
    sending them again with the same keys is safe (the API replays a key it
    has seen instead of acting twice). When the client was closed between
    chunks, `error` says so and the chunk it did not send is in `not_sent`.

    Attributes:
        keys: Every item's key, in the order given.
        outputs: The API's output for each key that ran.
        sent_count: How many items went out in requests.
        error: The exception of the request that failed, or of a closed client.
        unconfirmed: Keys of the request that failed: their outcome is unknown.
    """

    __module__ = "prefactor_http.models.bulk"

    __slots__ = ("error", "keys", "outputs", "sent_count", "unconfirmed")

    def __init__(
        self,
        *,
        keys: Iterable[str],
        outputs: Mapping[str, BulkOutput],
        sent_count: int,
        error: Exception | None = None,
        unconfirmed: Iterable[str] = (),
    ) -> None:
        self.keys: list[str] = list(keys)
        self.outputs: dict[str, BulkOutput] = dict(outputs)
        self.sent_count = sent_count
        self.error = error
        self.unconfirmed: list[str] = list(unconfirmed)

    @property
    def succeeded(self) -> list[str]:
        """Keys whose action succeeded, in order."""
        outputs = self.outputs
        return [k for k in self.keys if k in outputs and outputs[k].ok]

    @property
    def failed(self) -> str | None:
        """The key of the item that failed and stopped the run, if any."""
        outputs = self.outputs
        return next((k for k in self.keys if k in outputs and not outputs[k].ok), None)

    @property
    def not_processed(self) -> list[str]:
        """Keys that never ran (neither an output nor in a failed request), in order."""
        unknown = set(self.unconfirmed)
        return [k for k in self.keys if k not in self.outputs and k not in unknown]

    @property
    def not_sent(self) -> list[str]:
        """Keys in chunks that were never sent."""
        return self.keys[self.sent_count :]

    @property
    def ok(self) -> bool:
        """True when every item ran and succeeded."""
        outputs = self.outputs
        return self.error is None and all(k in outputs and outputs[k].ok for k in self.keys)

    def __repr__(self) -> str:
        error = f", error={type(self.error).__name__}" if self.error is not None else ""
        return (
            f"BulkBatchResult(succeeded={len(self.succeeded)}, failed={self.failed!r}, "
            f"unconfirmed={len(self.unconfirmed)}, not_processed={len(self.not_processed)}"
            f"{error})"
        )


class WriteFailure:
    """An item a span writer accepted but could not deliver, and why.

    `output` is the API's error for the item when the API refused it; `error`
    is the exception when the request carrying it failed for good.

    Attributes:
        item: The item not delivered.
        output: The API's refusal of the item, if it refused it.
        error: The exception of the request that carried it, if that failed for good.
    """

    __module__ = "prefactor_http.models.bulk"

    __slots__ = ("error", "item", "output")

    def __init__(
        self, item: BulkItem, *, output: BulkOutput | None = None, error: Exception | None = None
    ) -> None:
        self.item = item
        self.output = output
        self.error = error

    def __repr__(self) -> str:
        reason = repr(self.output) if self.output is not None else repr(self.error)
        return f"WriteFailure({self.item.idempotency_key!r}, {reason})"


@dataclass(frozen=True)
class WriterStats:
    """What a span writer did with what it accepted: `accepted == delivered + failed + pending`.

    `pending` items are waiting, in flight, or (after close, with a spool)
    kept in the spool for a later writer. `taken_over` counts, within
    `accepted`, items a stopped writer left in the spool. `failures` are
    the failures reported by the `flush()` or `close()` that returned
    these counts.

    Attributes:
        accepted: Items `write()` accepted.
        delivered: Items the API acted on.
        failed: Items reported as failures.
        pending: Items not settled yet (or kept in the spool).
        taken_over: Items, within `accepted`, a stopped writer left in the spool.
        failures: The failures the returning `flush()` or `close()` reported.
    """

    __module__ = "prefactor_http.models.bulk"

    accepted: int
    delivered: int
    failed: int
    pending: int
    taken_over: int = 0
    failures: tuple[WriteFailure, ...] = field(default=(), repr=False, compare=False)
