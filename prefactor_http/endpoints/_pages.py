"""The one iterator of every paged operation: items of page after page, fetched on demand."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Generic, TypeVar

from prefactor_http._operations._core import Call

if TYPE_CHECKING:
    from prefactor_http.client import PrefactorHttpClient

__all__ = ["ItemPages"]

P = TypeVar("P")
T = TypeVar("T")


class ItemPages(Generic[P, T]):
    """The items of every page, each page fetched when iteration reaches it.

    `page_at(offset)` is the request of the page at `offset` (None: the
    first); it is made for the first page at once, so arguments are checked
    before iteration starts. `items` and `next_offset` read a page.

    Args:
        http_client: The client that sends each page's request.
        page_at: The request of the page at an offset (None: the first page).
        items: The items of a page.
        next_offset: The offset of the page after a page, or None after the last.
        timeout: Seconds for each page's request, retries included.
        max_retries: Retries for each page's request.
    """

    def __init__(
        self,
        http_client: PrefactorHttpClient,
        page_at: Callable[[int | None], Call[P]],
        items: Callable[[P], Iterable[T]],
        next_offset: Callable[[P], int | None],
        timeout: float | None,
        max_retries: int | None,
    ) -> None:
        self._http = http_client
        self._next: Call[P] | None = page_at(None)
        self._page_at = page_at
        self._items = items
        self._next_offset = next_offset
        self._timeout = timeout
        self._max_retries = max_retries
        self._buffer: deque[T] = deque()

    def __aiter__(self) -> ItemPages[P, T]:
        return self

    async def __anext__(self) -> T:
        while not self._buffer:
            call = self._next
            if call is None:
                raise StopAsyncIteration
            page = await self._http._execute(call, self._timeout, self._max_retries)
            following = self._next_offset(page)
            self._next = None if following is None else self._page_at(following)
            self._buffer.extend(self._items(page))
        return self._buffer.popleft()
