"""Answer bodies: the size cap, decompression under that cap, and the answer read whole.

The libraries' timeouts bound each socket operation, so an answer trickled
one byte at a time never trips them: the senders read each body chunk by
chunk, checking the attempt's deadline (a `PAST_DEADLINE` failure) and
`max_response_bytes` (`AnswerTooLarge`) as it comes. Only gzip and deflate
are asked for (the client's Accept-Encoding), and they are inflated here
with a limit, so a small answer that inflates to gigabytes is stopped at
the cap instead of exhausting memory; a body that does not inflate is an
`UNDECODABLE` failure.
"""

from __future__ import annotations

import time
import zlib
from collections.abc import Mapping
from dataclasses import dataclass, field

import httpx

from prefactor_http._failures import Kind, SendFailure, past_deadline

# Hop-by-hop and encoding headers that no longer describe the body once it is read and decoded.
_STALE_HEADERS = frozenset({"content-encoding", "content-length", "transfer-encoding"})


class AnswerTooLarge(Exception):  # noqa: N818 (a signal to the client loop, never raised to callers)
    """The answer's body passed `max_response_bytes`; the client maps this to its typed error."""

    def __init__(self, status_code: int, problem: str, headers: Mapping[str, str]) -> None:
        self.status_code = status_code
        self.problem = problem
        self.headers = headers
        super().__init__(problem)


@dataclass(slots=True)
class Answer:
    """An answer read whole: all that the readers of `_responses` and `_operations` look at.

    Never changed once made (not frozen: that would cost four times as much per answer).
    """

    status_code: int
    # The sending library's own header mapping: reads are case-insensitive.
    headers: Mapping[str, str]
    content: bytes
    reason_phrase: str
    # What the request carried; its token is kept out of every message made from the answer,
    # and out of the answer's repr (error trackers print the locals of a traceback's frames).
    request_headers: Mapping[str, str] = field(repr=False)

    @property
    def is_success(self) -> bool:
        return 200 <= self.status_code < 300


class BodyReader:
    """Takes an answer's raw chunks as they arrive, within a deadline and a size cap."""

    __slots__ = ("_chunks", "_deadline", "_headers", "_max_bytes", "_size", "_status_code")

    def __init__(
        self, status_code: int, headers: Mapping[str, str], deadline: float, max_bytes: int
    ) -> None:
        declared = headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > max_bytes:
            raise AnswerTooLarge(status_code, f"declares {declared} bytes", headers)
        self._status_code = status_code
        self._headers = headers
        self._deadline = deadline
        self._max_bytes = max_bytes
        self._chunks: list[bytes] = []
        self._size = 0

    def take(self, chunk: bytes) -> None:
        self._size += len(chunk)
        if self._size > self._max_bytes:
            raise AnswerTooLarge(
                self._status_code, f"ran past {self._max_bytes} bytes", self._headers
            )
        self._chunks.append(chunk)
        if time.monotonic() > self._deadline:
            raise past_deadline()

    def answer(self, reason_phrase: str, request_headers: Mapping[str, str]) -> Answer:
        """The answer whole, decoded; its headers no longer name an encoding."""
        headers = self._headers
        body = b"".join(self._chunks)
        if "Content-Encoding" in headers:
            body = _decoded(self._status_code, headers, body, self._max_bytes)
            headers = httpx.Headers(
                [(k, v) for k, v in headers.items() if k.lower() not in _STALE_HEADERS]
            )
        return Answer(self._status_code, headers, body, reason_phrase, request_headers)


def _decoded(status_code: int, headers: Mapping[str, str], body: bytes, max_bytes: int) -> bytes:
    encoding = headers.get("Content-Encoding", "identity").strip().lower()
    if encoding in ("", "identity") or not body:
        return body
    if encoding == "gzip":
        decoder = zlib.decompressobj(16 + zlib.MAX_WBITS)
    elif encoding == "deflate":  # zlib-wrapped, as RFC 9110 says; raw deflate is sent too
        wrapped = body[:1] and (body[0] & 0x0F) == 8
        decoder = zlib.decompressobj(zlib.MAX_WBITS if wrapped else -zlib.MAX_WBITS)
    else:
        raise SendFailure(Kind.UNDECODABLE, f"unsupported Content-Encoding {encoding!r}")
    try:
        plain = decoder.decompress(body, max_bytes + 1)
    except zlib.error as exc:
        raise SendFailure(Kind.UNDECODABLE, f"bad {encoding} body: {exc}") from exc
    if len(plain) > max_bytes:
        raise AnswerTooLarge(status_code, f"inflates past {max_bytes} bytes", headers)
    return plain
