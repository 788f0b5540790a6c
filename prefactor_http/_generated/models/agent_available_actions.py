from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="AgentAvailableActions")


@_attrs_define
class AgentAvailableActions:
    """What may be done to the agent now; an action the answer leaves out reads as false.

    Attributes:
        update (bool):
        retire (bool):
        reinstate (bool):
        delete (bool):
    """

    update: bool = False
    retire: bool = False
    reinstate: bool = False
    delete: bool = False
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        update = self.update

        retire = self.retire

        reinstate = self.reinstate

        delete = self.delete

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "update": update,
                "retire": retire,
                "reinstate": reinstate,
                "delete": delete,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        update = UNSET if (_given := d.pop("update", None)) is None else _given

        retire = UNSET if (_given := d.pop("retire", None)) is None else _given

        reinstate = UNSET if (_given := d.pop("reinstate", None)) is None else _given

        delete = UNSET if (_given := d.pop("delete", None)) is None else _given

        agent_available_actions = cls(
            update=False if isinstance(update, Unset) else update,
            retire=False if isinstance(retire, Unset) else retire,
            reinstate=False if isinstance(reinstate, Unset) else reinstate,
            delete=False if isinstance(delete, Unset) else delete,
        )

        agent_available_actions.additional_properties = d
        return agent_available_actions

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
    "update": "update",
    "retire": "retire",
    "reinstate": "reinstate",
    "delete": "delete",
}
