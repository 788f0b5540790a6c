from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field
from prefactor_http._model_methods import PydanticMethods

from ..types import UNSET, JsonObject, TypeMismatch, Unset

# JsonObject's recursion names JsonValue: typing.get_type_hints looks for it here.
from ..types import JsonValue as JsonValue

T = TypeVar("T", bound="AgentVersion")
# UNSET typed as object, so that a field of any type may be compared with it.
_UNSET: object = UNSET


@_attrs_define
class AgentVersion(PydanticMethods):
    """The agent version this instance runs; created on first sight.

    Attributes:
        name (str):
        external_identifier (str):
        description (None | str):
        runtime_environment (JsonObject | None): A JSON object of the caller's own shape (a span payload, a JSON
            Schema).
    """

    name: str
    external_identifier: str
    description: None | str = None
    runtime_environment: JsonObject | None = None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)
    # For model_dump(): wire name -> attribute name, unannotated so that attrs leaves it alone.
    _wire_fields = {
        "name": "name",
        "external_identifier": "external_identifier",
        "description": "description",
        "runtime_environment": "runtime_environment",
    }

    def to_dict(self) -> dict[str, Any]:
        field_dict: dict[str, Any] = dict(self.additional_properties)
        field_dict.update(
            {
                "name": self.name,
                "external_identifier": self.external_identifier,
            }
        )
        if (description := self.description) is not None and not isinstance(
            description, Unset
        ):
            field_dict["description"] = description
        if (
            runtime_environment := self.runtime_environment
        ) is not None and runtime_environment is not _UNSET:
            field_dict["runtime_environment"] = runtime_environment

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
        name: Any = src_dict["name"]
        if not isinstance(name, str):
            bad = bad or TypeMismatch("name", "str", name)

        external_identifier: Any = src_dict["external_identifier"]
        if not isinstance(external_identifier, str):
            bad = bad or TypeMismatch("external_identifier", "str", external_identifier)

        description: Any = src_dict.get("description")
        if description is not None and not isinstance(description, str):
            bad = bad or TypeMismatch("description", "null or str", description)

        runtime_environment: Any = src_dict.get("runtime_environment")
        if runtime_environment is not None and not isinstance(
            runtime_environment, dict
        ):
            bad = bad or TypeMismatch(
                "runtime_environment", "a JSON object or null", runtime_environment
            )

        agent_version = cls(
            name,
            external_identifier,
            description,
            runtime_environment,
        )
        if not _DECLARED_KEYS.issuperset(src_dict):
            agent_version.additional_properties = {
                key: value for key, value in src_dict.items() if key not in _DECLARED
            }
        if bad is not None:
            bad.model = agent_version
            raise bad
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
# The wire names as a set: issuperset() looks for an undeclared key in
# about 60% of the time a comparison of dict key views takes.
_DECLARED_KEYS = frozenset(_DECLARED)
