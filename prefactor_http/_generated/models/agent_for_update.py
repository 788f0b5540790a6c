from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from prefactor_http._model_methods import PydanticMethods

# JsonObject's recursion names JsonValue: typing.get_type_hints looks for it here.
from ..types import JsonValue as JsonValue
from ..types import TypeMismatch, Unset

T = TypeVar("T", bound="AgentForUpdate")


@_attrs_define
class AgentForUpdate(PydanticMethods):
    """The fields to change, sent inside `details`; a field left out keeps
    its value. `external_identifier` cannot change.

        Attributes:
            name (None | str):
            description (None | str):
            owner_person_id (None | str):
            risk_profile_id (None | str):
            team_id (None | str):
    """

    name: None | str = None
    description: None | str = None
    owner_person_id: None | str = None
    risk_profile_id: None | str = None
    team_id: None | str = None
    # For model_dump(): wire name -> attribute name, unannotated so that attrs leaves it alone.
    _wire_fields = {
        "name": "name",
        "description": "description",
        "owner_person_id": "owner_person_id",
        "risk_profile_id": "risk_profile_id",
        "team_id": "team_id",
    }

    def to_dict(self) -> dict[str, Any]:
        field_dict: dict[str, Any] = {}
        if (name := self.name) is not None and not isinstance(name, Unset):
            field_dict["name"] = name
        if (description := self.description) is not None and not isinstance(
            description, Unset
        ):
            field_dict["description"] = description
        if (owner_person_id := self.owner_person_id) is not None and not isinstance(
            owner_person_id, Unset
        ):
            field_dict["owner_person_id"] = owner_person_id
        if (risk_profile_id := self.risk_profile_id) is not None and not isinstance(
            risk_profile_id, Unset
        ):
            field_dict["risk_profile_id"] = risk_profile_id
        if (team_id := self.team_id) is not None and not isinstance(team_id, Unset):
            field_dict["team_id"] = team_id

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
        name: Any = src_dict.get("name")
        if name is not None and not isinstance(name, str):
            bad = bad or TypeMismatch("name", "null or str", name)

        description: Any = src_dict.get("description")
        if description is not None and not isinstance(description, str):
            bad = bad or TypeMismatch("description", "null or str", description)

        owner_person_id: Any = src_dict.get("owner_person_id")
        if owner_person_id is not None and not isinstance(owner_person_id, str):
            bad = bad or TypeMismatch("owner_person_id", "null or str", owner_person_id)

        risk_profile_id: Any = src_dict.get("risk_profile_id")
        if risk_profile_id is not None and not isinstance(risk_profile_id, str):
            bad = bad or TypeMismatch("risk_profile_id", "null or str", risk_profile_id)

        team_id: Any = src_dict.get("team_id")
        if team_id is not None and not isinstance(team_id, str):
            bad = bad or TypeMismatch("team_id", "null or str", team_id)

        agent_for_update = cls(
            name,
            description,
            owner_person_id,
            risk_profile_id,
            team_id,
        )
        if bad is not None:
            bad.model = agent_for_update
            raise bad
        return agent_for_update
