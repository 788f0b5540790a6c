from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="AgentInstanceCounts")


@_attrs_define
class AgentInstanceCounts:
    """An agent's instances by status. A count the answer leaves out reads
    as 0. Assumed: `finished` counts every terminal status (complete,
    failed, cancelled, terminated).

        Attributes:
            total (int):
            pending (int):
            active (int):
            complete (int):
            failed (int):
            cancelled (int):
            terminated (int):
            finished (int):
    """

    total: int = 0
    pending: int = 0
    active: int = 0
    complete: int = 0
    failed: int = 0
    cancelled: int = 0
    terminated: int = 0
    finished: int = 0
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        total = self.total

        pending = self.pending

        active = self.active

        complete = self.complete

        failed = self.failed

        cancelled = self.cancelled

        terminated = self.terminated

        finished = self.finished

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "total": total,
                "pending": pending,
                "active": active,
                "complete": complete,
                "failed": failed,
                "cancelled": cancelled,
                "terminated": terminated,
                "finished": finished,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        total = UNSET if (_given := d.pop("total", None)) is None else _given

        pending = UNSET if (_given := d.pop("pending", None)) is None else _given

        active = UNSET if (_given := d.pop("active", None)) is None else _given

        complete = UNSET if (_given := d.pop("complete", None)) is None else _given

        failed = UNSET if (_given := d.pop("failed", None)) is None else _given

        cancelled = UNSET if (_given := d.pop("cancelled", None)) is None else _given

        terminated = UNSET if (_given := d.pop("terminated", None)) is None else _given

        finished = UNSET if (_given := d.pop("finished", None)) is None else _given

        agent_instance_counts = cls(
            total=0 if isinstance(total, Unset) else total,
            pending=0 if isinstance(pending, Unset) else pending,
            active=0 if isinstance(active, Unset) else active,
            complete=0 if isinstance(complete, Unset) else complete,
            failed=0 if isinstance(failed, Unset) else failed,
            cancelled=0 if isinstance(cancelled, Unset) else cancelled,
            terminated=0 if isinstance(terminated, Unset) else terminated,
            finished=0 if isinstance(finished, Unset) else finished,
        )

        agent_instance_counts.additional_properties = d
        return agent_instance_counts

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
    "total": "total",
    "pending": "pending",
    "active": "active",
    "complete": "complete",
    "failed": "failed",
    "cancelled": "cancelled",
    "terminated": "terminated",
    "finished": "finished",
}
