from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field
from prefactor_http._model_methods import PydanticMethods

# JsonObject's recursion names JsonValue: typing.get_type_hints looks for it here.
from ..types import JsonValue as JsonValue
from ..types import TypeMismatch, Unset

T = TypeVar("T", bound="Pagination")


@_attrs_define
class Pagination(PydanticMethods):
    """Where a page sits in the whole list. Indexes are one-based, offsets
    zero-based; `next_page_offset` is null on the last page and
    `previous_page_offset` on the first. Assumed: any field may be null
    or left out; a missing `next_page_offset` means the last page.

        Attributes:
            item_count (int | None):
            item_start (int | None):
            item_end (int | None):
            page_count (int | None):
            page_index (int | None):
            page_offset (int | None):
            page_size (int | None):
            next_page_offset (int | None):
            previous_page_offset (int | None):
    """

    item_count: int | None = None
    item_start: int | None = None
    item_end: int | None = None
    page_count: int | None = None
    page_index: int | None = None
    page_offset: int | None = None
    page_size: int | None = None
    next_page_offset: int | None = None
    previous_page_offset: int | None = None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)
    # For model_dump(): wire name -> attribute name, unannotated so that attrs leaves it alone.
    _wire_fields = {
        "item_count": "item_count",
        "item_start": "item_start",
        "item_end": "item_end",
        "page_count": "page_count",
        "page_index": "page_index",
        "page_offset": "page_offset",
        "page_size": "page_size",
        "next_page_offset": "next_page_offset",
        "previous_page_offset": "previous_page_offset",
    }

    def to_dict(self) -> dict[str, Any]:
        field_dict: dict[str, Any] = dict(self.additional_properties)
        if (item_count := self.item_count) is not None and not isinstance(
            item_count, Unset
        ):
            field_dict["item_count"] = item_count
        if (item_start := self.item_start) is not None and not isinstance(
            item_start, Unset
        ):
            field_dict["item_start"] = item_start
        if (item_end := self.item_end) is not None and not isinstance(item_end, Unset):
            field_dict["item_end"] = item_end
        if (page_count := self.page_count) is not None and not isinstance(
            page_count, Unset
        ):
            field_dict["page_count"] = page_count
        if (page_index := self.page_index) is not None and not isinstance(
            page_index, Unset
        ):
            field_dict["page_index"] = page_index
        if (page_offset := self.page_offset) is not None and not isinstance(
            page_offset, Unset
        ):
            field_dict["page_offset"] = page_offset
        if (page_size := self.page_size) is not None and not isinstance(
            page_size, Unset
        ):
            field_dict["page_size"] = page_size
        if (next_page_offset := self.next_page_offset) is not None and not isinstance(
            next_page_offset, Unset
        ):
            field_dict["next_page_offset"] = next_page_offset
        if (
            previous_page_offset := self.previous_page_offset
        ) is not None and not isinstance(previous_page_offset, Unset):
            field_dict["previous_page_offset"] = previous_page_offset

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        """Read an object as the API sends it, checking each field's type (TypeMismatch).

        Args:
            src_dict: The object, as parsed from JSON.
        """
        if type(src_dict) is not dict:
            src_dict = dict(src_dict)
        bad: TypeMismatch | None = None
        item_count: Any = src_dict.get("item_count")
        if item_count is not None and not isinstance(item_count, int):
            bad = bad or TypeMismatch("item_count", "int or null", item_count)

        item_start: Any = src_dict.get("item_start")
        if item_start is not None and not isinstance(item_start, int):
            bad = bad or TypeMismatch("item_start", "int or null", item_start)

        item_end: Any = src_dict.get("item_end")
        if item_end is not None and not isinstance(item_end, int):
            bad = bad or TypeMismatch("item_end", "int or null", item_end)

        page_count: Any = src_dict.get("page_count")
        if page_count is not None and not isinstance(page_count, int):
            bad = bad or TypeMismatch("page_count", "int or null", page_count)

        page_index: Any = src_dict.get("page_index")
        if page_index is not None and not isinstance(page_index, int):
            bad = bad or TypeMismatch("page_index", "int or null", page_index)

        page_offset: Any = src_dict.get("page_offset")
        if page_offset is not None and not isinstance(page_offset, int):
            bad = bad or TypeMismatch("page_offset", "int or null", page_offset)

        page_size: Any = src_dict.get("page_size")
        if page_size is not None and not isinstance(page_size, int):
            bad = bad or TypeMismatch("page_size", "int or null", page_size)

        next_page_offset: Any = src_dict.get("next_page_offset")
        if next_page_offset is not None and not isinstance(next_page_offset, int):
            bad = bad or TypeMismatch(
                "next_page_offset", "int or null", next_page_offset
            )

        previous_page_offset: Any = src_dict.get("previous_page_offset")
        if previous_page_offset is not None and not isinstance(
            previous_page_offset, int
        ):
            bad = bad or TypeMismatch(
                "previous_page_offset", "int or null", previous_page_offset
            )

        pagination = cls(
            item_count,
            item_start,
            item_end,
            page_count,
            page_index,
            page_offset,
            page_size,
            next_page_offset,
            previous_page_offset,
        )
        if not _DECLARED_KEYS.issuperset(src_dict):
            pagination.additional_properties = {
                key: value for key, value in src_dict.items() if key not in _DECLARED
            }
        if bad is not None:
            bad.model = pagination
            raise bad
        return pagination

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        if key in self.additional_properties or key not in _DECLARED:
            return self.additional_properties[key]
        return getattr(self, _DECLARED[key])

    def __setitem__(self, key: str, value: Any) -> None:
        if key in _DECLARED:
            setattr(self, _DECLARED[key], value)
        else:
            self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        if key in _DECLARED:
            return getattr(self, _DECLARED[key]) is not None
        return key in self.additional_properties


# Wire names of the declared fields, and their attribute names.
_DECLARED: dict[str, str] = {
    "item_count": "item_count",
    "item_start": "item_start",
    "item_end": "item_end",
    "page_count": "page_count",
    "page_index": "page_index",
    "page_offset": "page_offset",
    "page_size": "page_size",
    "next_page_offset": "next_page_offset",
    "previous_page_offset": "previous_page_offset",
}
# The wire names as a set: issuperset() looks for an undeclared key in
# about 60% of the time a comparison of dict key views takes.
_DECLARED_KEYS = frozenset(_DECLARED)
