from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, TypeMismatch, Unset

T = TypeVar("T", bound="Pagination")


@_attrs_define
class Pagination:
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

    def to_dict(self) -> dict[str, Any]:
        _item_count_sent = UNSET if self.item_count is None else self.item_count
        item_count: int | None | Unset
        if isinstance(_item_count_sent, Unset):
            item_count = UNSET
        else:
            item_count = _item_count_sent

        _item_start_sent = UNSET if self.item_start is None else self.item_start
        item_start: int | None | Unset
        if isinstance(_item_start_sent, Unset):
            item_start = UNSET
        else:
            item_start = _item_start_sent

        _item_end_sent = UNSET if self.item_end is None else self.item_end
        item_end: int | None | Unset
        if isinstance(_item_end_sent, Unset):
            item_end = UNSET
        else:
            item_end = _item_end_sent

        _page_count_sent = UNSET if self.page_count is None else self.page_count
        page_count: int | None | Unset
        if isinstance(_page_count_sent, Unset):
            page_count = UNSET
        else:
            page_count = _page_count_sent

        _page_index_sent = UNSET if self.page_index is None else self.page_index
        page_index: int | None | Unset
        if isinstance(_page_index_sent, Unset):
            page_index = UNSET
        else:
            page_index = _page_index_sent

        _page_offset_sent = UNSET if self.page_offset is None else self.page_offset
        page_offset: int | None | Unset
        if isinstance(_page_offset_sent, Unset):
            page_offset = UNSET
        else:
            page_offset = _page_offset_sent

        _page_size_sent = UNSET if self.page_size is None else self.page_size
        page_size: int | None | Unset
        if isinstance(_page_size_sent, Unset):
            page_size = UNSET
        else:
            page_size = _page_size_sent

        _next_page_offset_sent = (
            UNSET if self.next_page_offset is None else self.next_page_offset
        )
        next_page_offset: int | None | Unset
        if isinstance(_next_page_offset_sent, Unset):
            next_page_offset = UNSET
        else:
            next_page_offset = _next_page_offset_sent

        _previous_page_offset_sent = (
            UNSET if self.previous_page_offset is None else self.previous_page_offset
        )
        previous_page_offset: int | None | Unset
        if isinstance(_previous_page_offset_sent, Unset):
            previous_page_offset = UNSET
        else:
            previous_page_offset = _previous_page_offset_sent

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if item_count is not UNSET:
            field_dict["item_count"] = item_count
        if item_start is not UNSET:
            field_dict["item_start"] = item_start
        if item_end is not UNSET:
            field_dict["item_end"] = item_end
        if page_count is not UNSET:
            field_dict["page_count"] = page_count
        if page_index is not UNSET:
            field_dict["page_index"] = page_index
        if page_offset is not UNSET:
            field_dict["page_offset"] = page_offset
        if page_size is not UNSET:
            field_dict["page_size"] = page_size
        if next_page_offset is not UNSET:
            field_dict["next_page_offset"] = next_page_offset
        if previous_page_offset is not UNSET:
            field_dict["previous_page_offset"] = previous_page_offset

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
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
        if not src_dict.keys() <= _DECLARED.keys():
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
