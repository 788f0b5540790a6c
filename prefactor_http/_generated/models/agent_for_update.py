from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

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
        d = dict(src_dict)
        name = UNSET if (_given := d.pop("name", None)) is None else _given

        description = (
            UNSET if (_given := d.pop("description", None)) is None else _given
        )

        owner_person_id = (
            UNSET if (_given := d.pop("owner_person_id", None)) is None else _given
        )

        risk_profile_id = (
            UNSET if (_given := d.pop("risk_profile_id", None)) is None else _given
        )

        team_id = UNSET if (_given := d.pop("team_id", None)) is None else _given

        agent_for_update = cls(
            name=None if isinstance(name, Unset) else name,
            description=None if isinstance(description, Unset) else description,
            owner_person_id=None
            if isinstance(owner_person_id, Unset)
            else owner_person_id,
            risk_profile_id=None
            if isinstance(risk_profile_id, Unset)
            else risk_profile_id,
            team_id=None if isinstance(team_id, Unset) else team_id,
        )

        return agent_for_update
