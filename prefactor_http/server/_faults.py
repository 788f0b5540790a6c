"""Faults on demand: what goes wrong, and the queue that decides which request it hits.

A fault is consumed by one API request that matches its filters, oldest
first. With `commit=True` the request is handled in full (its write is
stored and its idempotency key remembered) before the fault replaces the
answer: the case that makes a careless client send a write twice.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any, Literal

FaultKind = Literal["status", "drop", "delay", "body"]


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


@dataclass(frozen=True)
class Fault:
    """One misbehaviour; build it with `status`, `drop`, `delay` or `body`.

    Attributes:
        kind: `status`, `drop`, `delay` or `body`.
        http_status: The status answered.
        content: The body answered.
        content_type: The answer's Content-Type.
        retry_after: The Retry-After header answered, if any.
        commit: Whether the request's write is stored before the fault.
        seconds: How long a `delay` stalls.
    """

    kind: FaultKind
    http_status: int = 200
    content: bytes = b""
    content_type: str = "application/json"
    retry_after: str | None = None
    commit: bool = False
    seconds: float = 0.0

    @classmethod
    def status(
        cls,
        status: int,
        *,
        retry_after: str | None = None,
        html: bool = False,
        commit: bool = False,
    ) -> Fault:
        """Answer `status` with the error envelope (or an HTML page, as a proxy would).

        Args:
            status: The HTTP status to answer (400-599).
            retry_after: A Retry-After header value to send, such as `2`.
            html: Answer an HTML page instead of the error envelope, as a proxy would.
            commit: Act on the request first (store its write), then misbehave: the server acted and
                the client cannot know.
        """
        _check_status(status)
        phrase = _phrase(status)
        if html:
            page = f"<html><head><title>{status} {phrase}</title></head>"
            page += f"<body><h1>{status} {phrase}</h1></body></html>"
            return cls("status", status, page.encode(), "text/html", retry_after, commit)
        code = phrase.lower().replace(" ", "_").replace("-", "_")
        envelope = {"status": "error", "code": code, "message": f"injected fault: {phrase}"}
        content = json.dumps(envelope).encode()
        return cls("status", status, content, "application/json", retry_after, commit)

    @classmethod
    def drop(cls, *, commit: bool = False) -> Fault:
        """Close the connection without an answer.

        Args:
            commit: Act on the request first (store its write), then misbehave: the server acted and
                the client cannot know.
        """
        return cls("drop", commit=commit)

    @classmethod
    def delay(cls, seconds: float) -> Fault:
        """Stall for `seconds`, then handle the request normally.

        Args:
            seconds: How long to stall (0 or more).
        """
        if not seconds >= 0:
            raise ValueError(f"delay must be 0 seconds or more, got {seconds!r}")
        return cls("delay", seconds=seconds)

    @classmethod
    def body(
        cls,
        status: int,
        content: bytes,
        *,
        content_type: str = "application/json",
        commit: bool = False,
    ) -> Fault:
        """Answer `status` with these exact bytes: an empty body, `[]`, an HTML page.

        Args:
            status: The HTTP status to answer.
            content: The body's exact bytes.
            content_type: The Content-Type header.
            commit: Act on the request first (store its write), then misbehave: the server acted and
                the client cannot know.
        """
        _check_status(status)
        return cls("body", status, content, content_type, None, commit)

    @classmethod
    def from_json(cls, spec: dict[str, Any]) -> Fault:
        """A fault from the control interface's JSON; raises ValueError naming what is wrong.

        Args:
            spec: The fault as `/_control/faults` takes it: `kind` and its fields.
        """
        kind = spec.get("kind")
        commit = _flag(spec, "commit")
        if kind == "status":
            retry_after = spec.get("retry_after")
            if retry_after is not None and not isinstance(retry_after, str):
                raise ValueError("retry_after must be a string")
            html = _flag(spec, "html")
            return cls.status(
                _int(spec, "status"), retry_after=retry_after, html=html, commit=commit
            )
        if kind == "drop":
            return cls.drop(commit=commit)
        if kind == "delay":
            seconds = spec.get("seconds")
            if isinstance(seconds, bool) or not isinstance(seconds, int | float):
                raise ValueError("seconds must be a number")
            return cls.delay(float(seconds))
        if kind == "body":
            text = spec.get("body", "")
            content_type = spec.get("content_type", "application/json")
            if not isinstance(text, str) or not isinstance(content_type, str):
                raise ValueError("body and content_type must be strings")
            status = _int(spec, "status")
            return cls.body(status, text.encode(), content_type=content_type, commit=commit)
        raise ValueError("kind must be one of status, drop, delay, body")

    def to_json(self) -> dict[str, Any]:
        """The fault as the control interface lists it."""
        return {
            "kind": self.kind,
            "status": self.http_status,
            "body": self.content.decode("utf-8", "replace"),
            "content_type": self.content_type,
            "retry_after": self.retry_after,
            "commit": self.commit,
            "seconds": self.seconds,
        }


def _check_status(status: int) -> None:
    if isinstance(status, bool) or not isinstance(status, int) or not 100 <= status <= 599:
        raise ValueError(f"status must be an HTTP status code, got {status!r}")


def _int(spec: dict[str, Any], name: str) -> int:
    value = spec.get(name)
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{name} must be an integer")
    return value


def _flag(spec: dict[str, Any], name: str) -> bool:
    value = spec.get(name, False)
    if not isinstance(value, bool):
        raise ValueError(f"{name} must be true or false")
    return value


@dataclass(frozen=True)
class QueuedFault:
    """A fault waiting for a request with this method and path (None matches any)."""

    fault: Fault
    method: str | None
    path: str | None

    def matches(self, method: str, path: str, template: str | None) -> bool:
        """Whether a request takes this fault; `path` may be the spec's template."""
        if self.method is not None and self.method != method.upper():
            return False
        return self.path is None or self.path in (path, template)


class FaultQueue:
    """Faults in the order they were queued; thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._queue: list[QueuedFault] = []

    def add(
        self, fault: Fault, *, times: int = 1, method: str | None = None, path: str | None = None
    ) -> None:
        """Queue `fault` for the next `times` matching requests."""
        if isinstance(times, bool) or not isinstance(times, int) or times < 1:
            raise ValueError(f"times must be a positive integer, got {times!r}")
        entry = QueuedFault(fault, method.upper() if method else None, path)
        with self._lock:
            self._queue.extend([entry] * times)

    def take(self, method: str, path: str, template: str | None) -> Fault | None:
        """Remove and return the oldest fault this request matches."""
        with self._lock:
            for index, entry in enumerate(self._queue):
                if entry.matches(method, path, template):
                    del self._queue[index]
                    return entry.fault
        return None

    def pending(self) -> list[QueuedFault]:
        """Faults not yet consumed, oldest first."""
        with self._lock:
            return list(self._queue)

    def clear(self) -> None:
        """Drop every queued fault."""
        with self._lock:
            self._queue.clear()
