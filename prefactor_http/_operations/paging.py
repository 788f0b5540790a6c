"""What every paged operation's iteration needs, free of I/O: a page that must move on.

An iterator follows each answer's next offset; a server whose next offset
does not lie past the page it answered would make it loop forever, so such
an answer is refused as a contract error.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from prefactor_http._bodies import Answer
from prefactor_http._operations._core import Call
from prefactor_http._responses import contract_error

P = TypeVar("P")


def moving(call: Call[P], offset: int | None, next_offset: Callable[[P], int | None]) -> Call[P]:
    """`call` (the page at `offset`), whose answer must point past `offset` or nowhere."""
    start = offset or 0

    def read(method: str, path: str, answer: Answer) -> P:
        page = call.read(answer)
        following = next_offset(page)
        if following is not None and following <= start:
            problem = f"pagination.next_page_offset {following} does not move past offset {start}"
            raise contract_error(method, path, answer, problem)
        return page

    return Call(call.method, call.path, call.request, read)
