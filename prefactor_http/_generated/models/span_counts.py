from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="SpanCounts")


@_attrs_define
class SpanCounts:
    """
    Attributes:
        total (int):
        active (int):
        complete (int):
        failed (int):
        cancelled (int):
        finished (int):
    """

    total: int
    active: int
    complete: int
    failed: int
    cancelled: int
    finished: int
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
        field_dict.update(
            {
                "total": total,
                "active": active,
                "complete": complete,
                "failed": failed,
                "cancelled": cancelled,
                "finished": finished,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        total = d.pop("total")

        active = d.pop("active")

        complete = d.pop("complete")

        failed = d.pop("failed")

        cancelled = d.pop("cancelled")

        finished = d.pop("finished")

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
