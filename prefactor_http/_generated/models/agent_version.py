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
        description (None | str):
        runtime_environment (Any | None): A JSON object of the caller's own shape (a span payload, a JSON Schema).
    """

    name: str
    external_identifier: str
    description: None | str = None
    runtime_environment: Any | None = None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        external_identifier = self.external_identifier

        _description_sent = UNSET if self.description is None else self.description
        description: None | str | Unset
        if isinstance(_description_sent, Unset):
            description = UNSET
        else:
            description = _description_sent

        _runtime_environment_sent = (
            UNSET if self.runtime_environment is None else self.runtime_environment
        )
        runtime_environment = _runtime_environment_sent

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

        description = (
            UNSET if (_given := d.pop("description", None)) is None else _given
        )

        runtime_environment = (
            UNSET if (_given := d.pop("runtime_environment", None)) is None else _given
        )

        agent_version = cls(
            name=name,
            external_identifier=external_identifier,
            description=None if isinstance(description, Unset) else description,
            runtime_environment=None
            if isinstance(runtime_environment, Unset)
            else runtime_environment,
        )

        agent_version.additional_properties = d
        return agent_version

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
    "name": "name",
    "external_identifier": "external_identifier",
    "description": "description",
    "runtime_environment": "runtime_environment",
}
