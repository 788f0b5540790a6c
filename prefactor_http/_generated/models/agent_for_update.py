from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, TypeMismatch, Unset

T = TypeVar("T", bound="AgentForUpdate")


@_attrs_define
class AgentForUpdate:
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

    def to_dict(self) -> dict[str, Any]:
        _name_sent = UNSET if self.name is None else self.name
        name: None | str | Unset
        if isinstance(_name_sent, Unset):
            name = UNSET
        else:
            name = _name_sent

        _description_sent = UNSET if self.description is None else self.description
        description: None | str | Unset
        if isinstance(_description_sent, Unset):
            description = UNSET
        else:
            description = _description_sent

        _owner_person_id_sent = (
            UNSET if self.owner_person_id is None else self.owner_person_id
        )
        owner_person_id: None | str | Unset
        if isinstance(_owner_person_id_sent, Unset):
            owner_person_id = UNSET
        else:
            owner_person_id = _owner_person_id_sent

        _risk_profile_id_sent = (
            UNSET if self.risk_profile_id is None else self.risk_profile_id
        )
        risk_profile_id: None | str | Unset
        if isinstance(_risk_profile_id_sent, Unset):
            risk_profile_id = UNSET
        else:
            risk_profile_id = _risk_profile_id_sent

        _team_id_sent = UNSET if self.team_id is None else self.team_id
        team_id: None | str | Unset
        if isinstance(_team_id_sent, Unset):
            team_id = UNSET
        else:
            team_id = _team_id_sent

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if name is not UNSET:
            field_dict["name"] = name
        if description is not UNSET:
            field_dict["description"] = description
        if owner_person_id is not UNSET:
            field_dict["owner_person_id"] = owner_person_id
        if risk_profile_id is not UNSET:
            field_dict["risk_profile_id"] = risk_profile_id
        if team_id is not UNSET:
            field_dict["team_id"] = team_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
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
