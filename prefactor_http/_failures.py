"""One vocabulary for failures: what a sender raises when an attempt gets no usable answer.

Each sender maps its own library's exceptions once, where it calls the
library, into a `SendFailure` of one `Kind`: aiohttp's in `_aiohttp.py`,
urllib3's in `_urllib3.py`, httpx's in `_httpx.py` (the only module for
which httpx's exception classes are a contract). The body reader
(`_bodies`) and the deadline's watchdog (`_senders`) raise the same. The
retry loop (`client._execute`, `_retry.Attempts`) and the error mapping
(`_responses.error_from_transport`) read the kind and nothing else.

The kinds tell apart what those decide by:

- whether the request surely never reached the server (`Kind.never_sent`):
  a call that is not safe to send twice (a POST without a key) is retried
  only after such a failure, since nothing can have been processed;
- whether it is a timeout (`PrefactorTimeoutError`), and of which limit;
- a kept connection the server had already closed (`STALE_CONNECTION`): a
  call safe to replay goes out again at once, spending no retry.

The others (a connection dropped, a malformed answer, a refusing proxy, a
body that will not decode) only say, in the error's text, what happened.

A sender raises the failure `from` its library's exception when there is
one; the public error chains to that exception (its `__cause__`), not to
the failure, which never reaches a caller (as `_bodies.AnswerTooLarge`).
"""

from __future__ import annotations

import enum


class Kind(enum.Enum):
    """What ended an attempt, as far as the library underneath can tell."""

    # Never sent: no byte of the request reached the server.
    NO_CONNECTION = "no connection could be made (refused, DNS, an unreachable proxy)"
    TLS = "the TLS handshake failed (a certificate refused)"
    CLOSED_POOL = "the pool was closed: this client sends nothing more"
    CONNECT_TIMEOUT = "no connection within the connect timeout"
    POOL_TIMEOUT = "no pooled connection free within the pool timeout"
    # May have been sent, and processed.
    WRITE_TIMEOUT = "the request was still going out at the write timeout"
    READ_TIMEOUT = "nothing arrived within the read timeout"
    PAST_DEADLINE = "the answer was still arriving at the attempt's deadline"
    STALE_CONNECTION = "a kept connection was closed by the server before the answer's headers"
    DROPPED = "the connection was closed or reset before the answer was whole"
    PROTOCOL = "the answer broke HTTP (a bad status line, header or chunk)"
    PROXY = "the proxy refused the request"
    UNDECODABLE = "the body did not decode in its Content-Encoding"

    @property
    def never_sent(self) -> bool:
        """True when the failure proves the server never saw the request."""
        return self in _NEVER_SENT

    @property
    def is_timeout(self) -> bool:
        return self in _TIMEOUTS

    @property
    def label(self) -> str:
        """The name an error message gives this kind, unless its sender names it otherwise."""
        return _LABELS[self]


_NEVER_SENT = frozenset(
    {Kind.NO_CONNECTION, Kind.TLS, Kind.CLOSED_POOL, Kind.CONNECT_TIMEOUT, Kind.POOL_TIMEOUT}
)
_TIMEOUTS = frozenset(
    {
        Kind.CONNECT_TIMEOUT,
        Kind.POOL_TIMEOUT,
        Kind.WRITE_TIMEOUT,
        Kind.READ_TIMEOUT,
        Kind.PAST_DEADLINE,
    }
)
# The messages' names for each kind: httpx's class names, from when every sender raised
# httpx's exceptions, so that no message changed when the senders stopped doing so.
_LABELS = {
    Kind.NO_CONNECTION: "ConnectError",
    Kind.TLS: "ConnectError",
    Kind.CLOSED_POOL: "ConnectError",
    Kind.CONNECT_TIMEOUT: "ConnectTimeout",
    Kind.POOL_TIMEOUT: "PoolTimeout",
    Kind.WRITE_TIMEOUT: "WriteTimeout",
    Kind.READ_TIMEOUT: "ReadTimeout",
    Kind.PAST_DEADLINE: "DeadlinePassed",
    Kind.STALE_CONNECTION: "StaleConnection",
    Kind.DROPPED: "ReadError",
    Kind.PROTOCOL: "RemoteProtocolError",
    Kind.PROXY: "ProxyError",
    Kind.UNDECODABLE: "DecodingError",
}

# What an attempt cut off at its deadline says, whichever sender cut it.
STILL_ARRIVING = "the answer was still arriving when the attempt's time ran out"


class SendFailure(Exception):  # noqa: N818 (a signal to the retry loop, never raised to callers)
    """One attempt ended without a usable answer: its `kind`, and what happened, in words.

    `label` names it in the error's message; a sender passes its own where
    the message always named that failure otherwise.
    """

    def __init__(self, kind: Kind, problem: str, label: str | None = None) -> None:
        super().__init__(problem)
        self.kind = kind
        self.label = label or kind.label


def past_deadline() -> SendFailure:
    """The failure of an attempt whose answer was still arriving at its deadline."""
    return SendFailure(Kind.PAST_DEADLINE, STILL_ARRIVING)
