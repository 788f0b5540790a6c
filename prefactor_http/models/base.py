"""The API's envelopes under the names prefactor-http 0.4.3 gave them in `models.base`.

Our client unwraps every envelope itself and returns the resource, so these
are for code written against 0.4.3 that builds or reads an envelope by hand
(`ApiResponse(status="success", details=instance)`, a test double's answer).
Each has the same fields as 0.4.3's and `model_dump()` / `model_validate()`;
the values of `details` and `summaries` are kept as given.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Generic, TypeVar, cast

import attrs

__all__ = [
    "ApiError",
    "ApiResponse",
    "DetailedApiError",
    "ListResponse",
    "PaginationOutput",
    "Sorting",
]

T = TypeVar("T")
E = TypeVar("E", bound="_Envelope")


def _dumped(value: object) -> Any:
    dump = getattr(value, "model_dump", None)
    if callable(dump):
        return dump()
    if isinstance(value, Mapping):
        return {key: _dumped(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_dumped(item) for item in value]
    return value


class _Envelope:
    """`model_dump()` and `model_validate()` for the attrs classes below."""

    __slots__ = ()

    def model_dump(self) -> dict[str, Any]:
        """Every field, nested models as dicts, as 0.4.3's `model_dump()` gave it."""
        fields = attrs.fields(cast("type[attrs.AttrsInstance]", type(self)))
        return {field.name: _dumped(getattr(self, field.name)) for field in fields}

    @classmethod
    def model_validate(cls: type[E], obj: Mapping[str, Any]) -> E:
        """An envelope from a dict of its fields; a missing or unknown field is a ValueError.

        Args:
            obj: The envelope's fields, by name.
        """
        try:
            return cls(**obj)
        except TypeError as exc:
            raise ValueError(f"{cls.__name__}: {exc}") from exc


@attrs.define(kw_only=True)
class ApiResponse(_Envelope, Generic[T]):
    """The success envelope, `{"status": "success", "details": ...}`, around one resource.

    Attributes:
        status: `success`.
        details: The resource.
    """

    status: str
    details: T


@attrs.define(kw_only=True)
class ApiError(_Envelope):
    """The error envelope: `{"status": "error", "code": ..., "message": ...}`.

    Attributes:
        code: The error's code, such as `not_found`.
        message: What went wrong.
        status: `error`.
    """

    code: str
    message: str
    status: str = "error"


@attrs.define(kw_only=True)
class DetailedApiError(_Envelope):
    """The error envelope of a validation failure, with `errors` per field.

    Attributes:
        code: The error's code, such as `invalid_argument`.
        message: What was refused.
        errors: Each offending field and its messages.
        status: `error`.
    """

    code: str
    message: str
    errors: dict[str, Any]
    status: str = "error"


@attrs.define(kw_only=True)
class PaginationOutput(_Envelope):
    """Where a page of a list sits (0.4.3's name for our `Pagination`).

    Attributes:
        item_count: Items in the whole list.
        item_end: Where the page's items end in the list.
        item_start: Where the page's items start in the list.
        next_page_offset: The next page's offset, None after the last.
        page_count: Pages in the whole list.
        page_index: The page's index.
        page_offset: The page's offset.
        page_size: Items per page.
        previous_page_offset: The previous page's offset, None on the first.
    """

    item_count: int
    item_end: int
    item_start: int
    next_page_offset: int | None
    page_count: int
    page_index: int
    page_offset: int
    page_size: int
    previous_page_offset: int | None


@attrs.define(kw_only=True)
class Sorting(_Envelope):
    """How a list was sorted: a field name and a direction.

    Attributes:
        field: The field sorted by.
        direction: `asc` or `desc`.
    """

    field: str
    direction: str


@attrs.define(kw_only=True)
class ListResponse(_Envelope, Generic[T]):
    """A page of summaries with its pagination and sorting.

    Attributes:
        status: `success`.
        summaries: The page's items.
        pagination: Where the page sits in the list.
        sorting: How the list was sorted.
    """

    status: str
    summaries: list[T]
    pagination: PaginationOutput | None
    sorting: Sorting | None
