from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.agent_instance import AgentInstance


T = TypeVar("T", bound="AgentInstanceEnvelope")


@_attrs_define
class AgentInstanceEnvelope:
    """
    Attributes:
        status (str):
        details (AgentInstance): A run of an agent. Every field listed is always sent (null where
            allowed); fields the server adds later are kept. `status` and
            `purpose` are read as plain strings so that a value added to the API
            later does not make the answer unreadable: the known values are those
            of AgentStatus and InstancePurpose.
    """

    status: str
    details: AgentInstance
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        status = self.status

        details = self.details.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "status": status,
                "details": details,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.agent_instance import AgentInstance  # noqa: PLC0415

        d = dict(src_dict)
        status = d.pop("status")

        details = AgentInstance.from_dict(d.pop("details"))

        agent_instance_envelope = cls(
            status=status,
            details=details,
        )

        agent_instance_envelope.additional_properties = d
        return agent_instance_envelope

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
