from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="AgentVersion")


@_attrs_define
class AgentVersion:
    """The agent version this instance runs; created on first sight.

    Attributes:
        name (str):
        external_identifier (str):
        description (str | Unset):
        runtime_environment (Any | Unset): A JSON object of the caller's own shape (a span payload, a JSON Schema).
    """

    name: str
    external_identifier: str
    description: str | Unset = UNSET
    runtime_environment: Any | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        external_identifier = self.external_identifier

        description = self.description

        runtime_environment = self.runtime_environment

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "name": name,
                "external_identifier": external_identifier,
            }
        )
        if description is not UNSET:
            field_dict["description"] = description
        if runtime_environment is not UNSET:
            field_dict["runtime_environment"] = runtime_environment

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name")

        external_identifier = d.pop("external_identifier")

        description = d.pop("description", UNSET)

        runtime_environment = d.pop("runtime_environment", UNSET)

        agent_version = cls(
            name=name,
            external_identifier=external_identifier,
            description=description,
            runtime_environment=runtime_environment,
        )

        agent_version.additional_properties = d
        return agent_version

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
