"""What a sender is: the connection pool that sends one attempt and reads its whole answer.

Each pool the clients keep (per process, and per event loop for the async
client) is a sender. `send` makes one attempt and returns its `Answer`, read
chunk by chunk through `_bodies.BodyReader` by the attempt's deadline and
within `max_response_bytes`; `aclose` (`close` on the blocking side) hangs
up its connections. The retry loop sees nothing of the library underneath.

Every sender fails in one vocabulary, the package's own (`_failures`): it
maps its library's exceptions, once, into a `SendFailure` whose `Kind` says
what the retry loop needs to know, above all whether the request surely
never left (refused, DNS, TLS, no connection in time: sending it again
cannot duplicate it, even a POST without a key) or may have reached the
server. `httpx.InvalidURL` is raised before any sender is asked (`_base`).

A pool already closed (its event loop shut it down while a call was still
to come, say an async generator's cleanup) refuses with `CLOSED_POOL`:
nothing was sent.

A kept-alive connection that the server had already closed (an idle
timeout, a limit of requests per connection) fails the request on it before
the answer's headers arrive: each sender reports `STALE_CONNECTION` then,
and only when the connection had carried an earlier request, so that the
retry loop can send the call again at once on another connection
(`_retry.Attempts.resend_at_once`).

The body reader adds `PAST_DEADLINE` and `AnswerTooLarge`. Every sender
also ends an attempt whose status line and headers are still arriving at
its deadline with `PAST_DEADLINE`: the libraries time each socket read, so
a server sending a header line now and then never trips them.
"""

from __future__ import annotations

import asyncio
import ssl
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

import httpx

from prefactor_http._bodies import Answer
from prefactor_http._failures import past_deadline

# URLs kept parsed, by the client and by each sender: every path of a run of spans, bounded.
MAX_KEPT_URLS = 1024

U = TypeVar("U")

# How long after the deadline a sender cuts a silent attempt off: the library's own
# timeouts, which end at the deadline at the latest, go first.
DEADLINE_GRACE = 0.1
# How often an async pool's watchdog looks for attempts past their deadline and grace.
WATCHDOG_TICK = 0.05

# What a closed pool says when asked to send.
CLOSED = "the connection pool is closed (its event loop shut it down, or the client closed)"


@dataclass(frozen=True, slots=True)
class PoolOptions:
    """What every sender's pool is made with: limits, proxy, certificates to trust."""

    limits: httpx.Limits
    # The client's own timeouts: most attempts use them (a call's `timeout=` makes new ones).
    timeout: httpx.Timeout
    # The config's proxy, or the environment's for the API URL, read once per pool.
    proxy: str | None
    # None: the library's default trust store.
    ca_bundle: str | None

    def ssl_context(self) -> ssl.SSLContext | None:
        """A context trusting `ca_bundle` only, or None without one."""
        if self.ca_bundle is None:
            return None
        return ssl.create_default_context(cafile=self.ca_bundle)


class AsyncSender(Protocol):
    """The async client's pool (one per process and event loop)."""

    async def send(
        self,
        method: str,
        url: str,
        headers: Mapping[str, str],
        content: bytes | None,
        limits: httpx.Timeout,
        deadline: float,
        max_bytes: int,
    ) -> Answer:
        """Send one attempt; its answer whole, by `deadline`, within `max_bytes`.

        Raises `SendFailure` when no usable answer came, `AnswerTooLarge` past `max_bytes`.
        """
        ...

    async def aclose(self) -> None:
        """Close every connection of the pool."""
        ...


class Sender(Protocol):
    """The blocking client's pool (one per process, shared by its threads)."""

    def send(
        self,
        method: str,
        url: str,
        headers: Mapping[str, str],
        content: bytes | None,
        limits: httpx.Timeout,
        deadline: float,
        max_bytes: int,
    ) -> Answer:
        """Send one attempt; its answer whole, by `deadline`, within `max_bytes`.

        Raises `SendFailure` when no usable answer came, `AnswerTooLarge` past `max_bytes`.
        """
        ...

    def close(self) -> None:
        """Close every connection of the pool."""
        ...


class ParsedUrls(Generic[U]):
    """URLs as a library parses them, kept per URL: parsing costs more than a lookup."""

    __slots__ = ("_kept", "_parse")

    def __init__(self, parse: Callable[[str], U]) -> None:
        self._parse = parse
        self._kept: dict[str, U] = {}

    def __call__(self, url: str) -> U:
        parsed = self._kept.get(url)
        if parsed is None:
            if len(self._kept) >= MAX_KEPT_URLS:
                self._kept.clear()
            parsed = self._kept[url] = self._parse(url)
        return parsed


class Watchdog:
    """Ends the async attempts of one pool that pass their deadline, on one timer for them all.

    An `asyncio.timeout` per attempt schedules and cancels a timer on every
    call (several microseconds, and objects the collector walks while the
    attempt waits); here an attempt costs an entry, and one timer ticks
    every `WATCHDOG_TICK` while attempts are in flight. An attempt is cut
    off between `DEADLINE_GRACE` and `DEADLINE_GRACE + WATCHDOG_TICK`
    after its deadline, as `asyncio.timeout` would: its task is cancelled,
    and the cancellation becomes a `PAST_DEADLINE` failure where the attempt
    began.
    """

    __slots__ = ("_guards", "_tick")

    def __init__(self) -> None:
        self._guards: dict[DeadlineGuard, None] = {}
        self._tick: asyncio.TimerHandle | None = None

    def guard(self, deadline: float) -> DeadlineGuard:
        """Bound the running task's attempt by `deadline` (a `time.monotonic()` time)."""
        return DeadlineGuard(self, deadline)

    def _watch(self, guard: DeadlineGuard) -> None:
        self._guards[guard] = None
        if self._tick is None:
            self._tick = asyncio.get_running_loop().call_later(WATCHDOG_TICK, self._check)

    def _check(self) -> None:
        self._tick = None
        now = time.monotonic()
        for guard in self._guards:
            if not guard.expired and now >= guard.deadline + DEADLINE_GRACE:
                guard.expire()
        if self._guards:
            self._tick = asyncio.get_running_loop().call_later(WATCHDOG_TICK, self._check)

    def close(self) -> None:
        """Stop ticking (the pool is closing; its attempts end with it)."""
        if self._tick is not None:
            self._tick.cancel()
            self._tick = None


class DeadlineGuard:
    """One attempt under a `Watchdog`: `with watchdog.guard(deadline):` around it."""

    __slots__ = ("_cancelling", "_task", "_watchdog", "deadline", "expired")

    def __init__(self, watchdog: Watchdog, deadline: float) -> None:
        self._watchdog = watchdog
        self.deadline = deadline
        self.expired = False

    def __enter__(self) -> None:
        task = asyncio.current_task()
        if task is None:
            raise RuntimeError("an async attempt must run in a task")
        self._task = task
        # Cancellations already asked for are the caller's, never this guard's.
        self._cancelling = task.cancelling()
        self._watchdog._watch(self)

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: object
    ) -> None:
        del self._watchdog._guards[self]
        # The cancellation this guard asked for is taken back; one from anyone else
        # meanwhile still propagates, as asyncio.timeout does.
        if (
            self.expired
            and self._task.uncancel() <= self._cancelling
            and kind is asyncio.CancelledError
        ):
            # The cancellation was this guard's own: nothing of it belongs in the chain.
            raise past_deadline() from None

    def expire(self) -> None:
        self.expired = True
        self._task.cancel()
