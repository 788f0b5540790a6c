from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="SpanCounts")


@_attrs_define
class SpanCounts:
    """
    Attributes:
        total (int | Unset):
        active (int | Unset):
        complete (int | Unset):
        failed (int | Unset):
        cancelled (int | Unset):
        finished (int | Unset):
    """

    total: int | Unset = UNSET
    active: int | Unset = UNSET
    complete: int | Unset = UNSET
    failed: int | Unset = UNSET
    cancelled: int | Unset = UNSET
    finished: int | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        total = self.total

        active = self.active

        complete = self.complete

        failed = self.failed

        cancelled = self.cancelled

        finished = self.finished

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if total is not UNSET:
            field_dict["total"] = total
        if active is not UNSET:
            field_dict["active"] = active
        if complete is not UNSET:
            field_dict["complete"] = complete
        if failed is not UNSET:
            field_dict["failed"] = failed
        if cancelled is not UNSET:
            field_dict["cancelled"] = cancelled
        if finished is not UNSET:
            field_dict["finished"] = finished

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        total = d.pop("total", UNSET)

        active = d.pop("active", UNSET)

        complete = d.pop("complete", UNSET)

        failed = d.pop("failed", UNSET)

        cancelled = d.pop("cancelled", UNSET)

        finished = d.pop("finished", UNSET)

        span_counts = cls(
            total=total,
            active=active,
            complete=complete,
            failed=failed,
            cancelled=cancelled,
            finished=finished,
        )

        span_counts.additional_properties = d
        return span_counts

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
