from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field
from prefactor_http._model_methods import PydanticMethods

from ..types import UNSET, TypeMismatch

# JsonObject's recursion names JsonValue: typing.get_type_hints looks for it here.
from ..types import JsonValue as JsonValue

T = TypeVar("T", bound="AgentInstanceEnvelope")
# UNSET typed as object, so that a field of any type may be compared with it.
_UNSET: object = UNSET


@_attrs_define
class AgentInstanceEnvelope(PydanticMethods):
    """
    Attributes:
        details (AgentInstance): A run of an agent. Only the fields listed as required are always
            sent; every other field may be null or left out, and reads as None.
            Fields the server adds later are kept. `status` and `purpose` are
            read as plain strings so that a value added to the API later does
            not make the answer unreadable: the known values are those of
            AgentStatus and InstancePurpose.
        status (str | None):
    """

    details: AgentInstance
    status: str | None = None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)
    # For model_dump(): wire name -> attribute name, unannotated so that attrs leaves it alone.
    _wire_fields = {
        "details": "details",
        "status": "status",
    }

    def to_dict(self) -> dict[str, Any]:
        field_dict: dict[str, Any] = dict(self.additional_properties)
        field_dict.update(
            {
                "details": self.details.to_dict(),
            }
        )
        if (status := self.status) is not None and status is not _UNSET:
            field_dict["status"] = status

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
        details: Any = src_dict["details"]
        try:
            details = AgentInstance.from_dict(details)
        except TypeMismatch as error:
            details = error.model
            bad = bad or error.within("details")

        status: Any = src_dict.get("status")
        if status is not None and not isinstance(status, str):
            bad = bad or TypeMismatch("status", "null or str", status)

        agent_instance_envelope = cls(
            details,
            status,
        )
        if not _DECLARED_KEYS.issuperset(src_dict):
            agent_instance_envelope.additional_properties = {
                key: value for key, value in src_dict.items() if key not in _DECLARED
            }
        if bad is not None:
            bad.model = agent_instance_envelope
            raise bad
        return agent_instance_envelope

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
    "details": "details",
    "status": "status",
}
# The wire names as a set: issuperset() looks for an undeclared key in
# about 60% of the time a comparison of dict key views takes.
_DECLARED_KEYS = frozenset(_DECLARED)
# Imported after the class: a model that refers back to this one finds it defined.
from ..models.agent_instance import AgentInstance  # noqa: E402
