from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

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
        d = dict(src_dict)
        item_count = UNSET if (_given := d.pop("item_count", None)) is None else _given

        item_start = UNSET if (_given := d.pop("item_start", None)) is None else _given

        item_end = UNSET if (_given := d.pop("item_end", None)) is None else _given

        page_count = UNSET if (_given := d.pop("page_count", None)) is None else _given

        page_index = UNSET if (_given := d.pop("page_index", None)) is None else _given

        page_offset = (
            UNSET if (_given := d.pop("page_offset", None)) is None else _given
        )

        page_size = UNSET if (_given := d.pop("page_size", None)) is None else _given

        next_page_offset = (
            UNSET if (_given := d.pop("next_page_offset", None)) is None else _given
        )

        previous_page_offset = (
            UNSET if (_given := d.pop("previous_page_offset", None)) is None else _given
        )

        pagination = cls(
            item_count=None if isinstance(item_count, Unset) else item_count,
            item_start=None if isinstance(item_start, Unset) else item_start,
            item_end=None if isinstance(item_end, Unset) else item_end,
            page_count=None if isinstance(page_count, Unset) else page_count,
            page_index=None if isinstance(page_index, Unset) else page_index,
            page_offset=None if isinstance(page_offset, Unset) else page_offset,
            page_size=None if isinstance(page_size, Unset) else page_size,
            next_page_offset=None
            if isinstance(next_page_offset, Unset)
            else next_page_offset,
            previous_page_offset=None
            if isinstance(previous_page_offset, Unset)
            else previous_page_offset,
        )

        pagination.additional_properties = d
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
