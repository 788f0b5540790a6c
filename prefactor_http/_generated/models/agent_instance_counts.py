from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field
from prefactor_http._model_methods import PydanticMethods

# JsonObject's recursion names JsonValue: typing.get_type_hints looks for it here.
from ..types import JsonValue as JsonValue
from ..types import TypeMismatch

T = TypeVar("T", bound="AgentInstanceCounts")


@_attrs_define
class AgentInstanceCounts(PydanticMethods):
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
    # For model_dump(): wire name -> attribute name, unannotated so that attrs leaves it alone.
    _wire_fields = {
        "total": "total",
        "pending": "pending",
        "active": "active",
        "complete": "complete",
        "failed": "failed",
        "cancelled": "cancelled",
        "terminated": "terminated",
        "finished": "finished",
    }

    def to_dict(self) -> dict[str, Any]:
        field_dict: dict[str, Any] = dict(self.additional_properties)
        field_dict.update(
            {
                "total": self.total,
                "pending": self.pending,
                "active": self.active,
                "complete": self.complete,
                "failed": self.failed,
                "cancelled": self.cancelled,
                "terminated": self.terminated,
                "finished": self.finished,
            }
        )

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
        total: Any = src_dict.get("total")
        if total is None:
            total = 0
        elif not isinstance(total, int):
            bad = bad or TypeMismatch("total", "int", total)

        pending: Any = src_dict.get("pending")
        if pending is None:
            pending = 0
        elif not isinstance(pending, int):
            bad = bad or TypeMismatch("pending", "int", pending)

        active: Any = src_dict.get("active")
        if active is None:
            active = 0
        elif not isinstance(active, int):
            bad = bad or TypeMismatch("active", "int", active)

        complete: Any = src_dict.get("complete")
        if complete is None:
            complete = 0
        elif not isinstance(complete, int):
            bad = bad or TypeMismatch("complete", "int", complete)

        failed: Any = src_dict.get("failed")
        if failed is None:
            failed = 0
        elif not isinstance(failed, int):
            bad = bad or TypeMismatch("failed", "int", failed)

        cancelled: Any = src_dict.get("cancelled")
        if cancelled is None:
            cancelled = 0
        elif not isinstance(cancelled, int):
            bad = bad or TypeMismatch("cancelled", "int", cancelled)

        terminated: Any = src_dict.get("terminated")
        if terminated is None:
            terminated = 0
        elif not isinstance(terminated, int):
            bad = bad or TypeMismatch("terminated", "int", terminated)

        finished: Any = src_dict.get("finished")
        if finished is None:
            finished = 0
        elif not isinstance(finished, int):
            bad = bad or TypeMismatch("finished", "int", finished)

        agent_instance_counts = cls(
            total,
            pending,
            active,
            complete,
            failed,
            cancelled,
            terminated,
            finished,
        )
        if not _DECLARED_KEYS.issuperset(src_dict):
            agent_instance_counts.additional_properties = {
                key: value for key, value in src_dict.items() if key not in _DECLARED
            }
        if bad is not None:
            bad.model = agent_instance_counts
            raise bad
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
# The wire names as a set: issuperset() looks for an undeclared key in
# about 60% of the time a comparison of dict key views takes.
_DECLARED_KEYS = frozenset(_DECLARED)
