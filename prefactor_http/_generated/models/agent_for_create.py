from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from prefactor_http._model_methods import PydanticMethods

# JsonObject's recursion names JsonValue: typing.get_type_hints looks for it here.
from ..types import JsonValue as JsonValue
from ..types import TypeMismatch, Unset

T = TypeVar("T", bound="AgentForCreate")


@_attrs_define
class AgentForCreate(PydanticMethods):
    """The fields of a new agent, sent inside `details`.

    Attributes:
        name (str):
        description (None | str):
        external_identifier (None | str):
        id (None | str):
        owner_person_id (None | str):
        risk_profile_id (None | str):
        team_id (None | str):
    """

    name: str
    description: None | str = None
    external_identifier: None | str = None
    id: None | str = None
    owner_person_id: None | str = None
    risk_profile_id: None | str = None
    team_id: None | str = None
    # For model_dump(): wire name -> attribute name, unannotated so that attrs leaves it alone.
    _wire_fields = {
        "name": "name",
        "description": "description",
        "external_identifier": "external_identifier",
        "id": "id",
        "owner_person_id": "owner_person_id",
        "risk_profile_id": "risk_profile_id",
        "team_id": "team_id",
    }

    def to_dict(self) -> dict[str, Any]:
        field_dict: dict[str, Any] = {
            "name": self.name,
        }
        if (description := self.description) is not None and not isinstance(
            description, Unset
        ):
            field_dict["description"] = description
        if (
            external_identifier := self.external_identifier
        ) is not None and not isinstance(external_identifier, Unset):
            field_dict["external_identifier"] = external_identifier
        if (id := self.id) is not None and not isinstance(id, Unset):
            field_dict["id"] = id
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
        name: Any = src_dict["name"]
        if not isinstance(name, str):
            bad = bad or TypeMismatch("name", "str", name)

        description: Any = src_dict.get("description")
        if description is not None and not isinstance(description, str):
            bad = bad or TypeMismatch("description", "null or str", description)

        external_identifier: Any = src_dict.get("external_identifier")
        if external_identifier is not None and not isinstance(external_identifier, str):
            bad = bad or TypeMismatch(
                "external_identifier", "null or str", external_identifier
            )

        id: Any = src_dict.get("id")
        if id is not None and not isinstance(id, str):
            bad = bad or TypeMismatch("id", "null or str", id)

        owner_person_id: Any = src_dict.get("owner_person_id")
        if owner_person_id is not None and not isinstance(owner_person_id, str):
            bad = bad or TypeMismatch("owner_person_id", "null or str", owner_person_id)

        risk_profile_id: Any = src_dict.get("risk_profile_id")
        if risk_profile_id is not None and not isinstance(risk_profile_id, str):
            bad = bad or TypeMismatch("risk_profile_id", "null or str", risk_profile_id)

        team_id: Any = src_dict.get("team_id")
        if team_id is not None and not isinstance(team_id, str):
            bad = bad or TypeMismatch("team_id", "null or str", team_id)

        agent_for_create = cls(
            name,
            description,
            external_identifier,
            id,
            owner_person_id,
            risk_profile_id,
            team_id,
        )
        if bad is not None:
            bad.model = agent_for_create
            raise bad
        return agent_for_create
