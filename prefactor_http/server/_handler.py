"""What every handler of the local server's state shares: its signature and what it answers.

`_store.py` (instances, spans, idempotency) and `_agents.py` (agents) both
build on this module and on nothing of each other's but the `AgentBook` the
store holds, so the server's imports run one way.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, NamedTuple

Json = dict[str, Any]


class Outcome(NamedTuple):
    """An API answer before it becomes HTTP: status code and JSON body."""

    status: int
    body: Json


# A handler gets the path and query parameters and the body, and returns its
# answer and the id of the resource it changed (None for a read).
Handler = Callable[[dict[str, Any], Any], tuple[Outcome, str | None]]


class ApiError(Exception):
    """An answer with the error envelope."""

    def __init__(
        self, status: int, code: str, message: str, errors: dict[str, list[str]] | None = None
    ) -> None:
        super().__init__(message)
        self.outcome = Outcome(
            status,
            {
                "status": "error",
                "code": code,
                "message": message,
                **({"errors": errors} if errors else {}),
            },
        )


def now() -> str:
    """The current time as the API writes it."""
    return datetime.now(UTC).isoformat()


def new_id(prefix: str) -> str:
    """A fresh resource id."""
    return f"{prefix}_{uuid.uuid4().hex[:20]}"


def success(details: Json, **extra: Any) -> Outcome:
    """A 200 answer with the success envelope."""
    return Outcome(200, {"status": "success", "details": details, **extra})
