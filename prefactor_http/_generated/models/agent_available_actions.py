from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field
from prefactor_http._model_methods import PydanticMethods

# JsonObject's recursion names JsonValue: typing.get_type_hints looks for it here.
from ..types import JsonValue as JsonValue
from ..types import TypeMismatch

T = TypeVar("T", bound="AgentAvailableActions")


@_attrs_define
class AgentAvailableActions(PydanticMethods):
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
    # For model_dump(): wire name -> attribute name, unannotated so that attrs leaves it alone.
    _wire_fields = {
        "update": "update",
        "retire": "retire",
        "reinstate": "reinstate",
        "delete": "delete",
    }

    def to_dict(self) -> dict[str, Any]:
        field_dict: dict[str, Any] = dict(self.additional_properties)
        field_dict.update(
            {
                "update": self.update,
                "retire": self.retire,
                "reinstate": self.reinstate,
                "delete": self.delete,
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
        update: Any = src_dict.get("update")
        if update is None:
            update = False
        elif not isinstance(update, bool):
            bad = bad or TypeMismatch("update", "bool", update)

        retire: Any = src_dict.get("retire")
        if retire is None:
            retire = False
        elif not isinstance(retire, bool):
            bad = bad or TypeMismatch("retire", "bool", retire)

        reinstate: Any = src_dict.get("reinstate")
        if reinstate is None:
            reinstate = False
        elif not isinstance(reinstate, bool):
            bad = bad or TypeMismatch("reinstate", "bool", reinstate)

        delete: Any = src_dict.get("delete")
        if delete is None:
            delete = False
        elif not isinstance(delete, bool):
            bad = bad or TypeMismatch("delete", "bool", delete)

        agent_available_actions = cls(
            update,
            retire,
            reinstate,
            delete,
        )
        if not _DECLARED_KEYS.issuperset(src_dict):
            agent_available_actions.additional_properties = {
                key: value for key, value in src_dict.items() if key not in _DECLARED
            }
        if bad is not None:
            bad.model = agent_available_actions
            raise bad
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
# The wire names as a set: issuperset() looks for an undeclared key in
# about 60% of the time a comparison of dict key views takes.
_DECLARED_KEYS = frozenset(_DECLARED)
