from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset, read_datetime

T = TypeVar("T", bound="AgentSummary")


@_attrs_define
class AgentSummary:
    """An agent in a list; as Agent, without `risk_profile_id` and `instance_counts`.

    Attributes:
        type_ (str):
        id (str):
        name (str):
        status (str):
        description (None | str):
        external_identifier (None | str):
        owner_person_id (None | str):
        team_id (None | str):
        available_actions (AgentAvailableActions | None):
        inserted_at (datetime.datetime | None):
        updated_at (datetime.datetime | None):
    """

    type_: str
    id: str
    name: str
    status: str
    description: None | str = None
    external_identifier: None | str = None
    owner_person_id: None | str = None
    team_id: None | str = None
    available_actions: AgentAvailableActions | None = None
    inserted_at: datetime.datetime | None = None
    updated_at: datetime.datetime | None = None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_

        id = self.id

        name = self.name

        status = self.status

        _description_sent = UNSET if self.description is None else self.description
        description: None | str | Unset
        if isinstance(_description_sent, Unset):
            description = UNSET
        else:
            description = _description_sent

        _external_identifier_sent = (
            UNSET if self.external_identifier is None else self.external_identifier
        )
        external_identifier: None | str | Unset
        if isinstance(_external_identifier_sent, Unset):
            external_identifier = UNSET
        else:
            external_identifier = _external_identifier_sent

        _owner_person_id_sent = (
            UNSET if self.owner_person_id is None else self.owner_person_id
        )
        owner_person_id: None | str | Unset
        if isinstance(_owner_person_id_sent, Unset):
            owner_person_id = UNSET
        else:
            owner_person_id = _owner_person_id_sent

        _team_id_sent = UNSET if self.team_id is None else self.team_id
        team_id: None | str | Unset
        if isinstance(_team_id_sent, Unset):
            team_id = UNSET
        else:
            team_id = _team_id_sent

        _available_actions_sent = (
            UNSET if self.available_actions is None else self.available_actions
        )
        available_actions: dict[str, Any] | None | Unset
        if isinstance(_available_actions_sent, Unset):
            available_actions = UNSET
        elif isinstance(_available_actions_sent, AgentAvailableActions):
            available_actions = _available_actions_sent.to_dict()
        else:
            available_actions = _available_actions_sent

        _inserted_at_sent = UNSET if self.inserted_at is None else self.inserted_at
        inserted_at: None | str | Unset
        if isinstance(_inserted_at_sent, Unset):
            inserted_at = UNSET
        elif isinstance(_inserted_at_sent, datetime.datetime):
            inserted_at = _inserted_at_sent.isoformat()
        else:
            inserted_at = _inserted_at_sent

        _updated_at_sent = UNSET if self.updated_at is None else self.updated_at
        updated_at: None | str | Unset
        if isinstance(_updated_at_sent, Unset):
            updated_at = UNSET
        elif isinstance(_updated_at_sent, datetime.datetime):
            updated_at = _updated_at_sent.isoformat()
        else:
            updated_at = _updated_at_sent

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "type": type_,
                "id": id,
                "name": name,
                "status": status,
            }
        )
        if description is not UNSET:
            field_dict["description"] = description
        if external_identifier is not UNSET:
            field_dict["external_identifier"] = external_identifier
        if owner_person_id is not UNSET:
            field_dict["owner_person_id"] = owner_person_id
        if team_id is not UNSET:
            field_dict["team_id"] = team_id
        if available_actions is not UNSET:
            field_dict["available_actions"] = available_actions
        if inserted_at is not UNSET:
            field_dict["inserted_at"] = inserted_at
        if updated_at is not UNSET:
            field_dict["updated_at"] = updated_at

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        type_ = d.pop("type")

        id = d.pop("id")

        name = d.pop("name")

        status = d.pop("status")

        description = (
            UNSET if (_given := d.pop("description", None)) is None else _given
        )

        external_identifier = (
            UNSET if (_given := d.pop("external_identifier", None)) is None else _given
        )

        owner_person_id = (
            UNSET if (_given := d.pop("owner_person_id", None)) is None else _given
        )

        team_id = UNSET if (_given := d.pop("team_id", None)) is None else _given

        def _parse_available_actions(
            data: object,
        ) -> AgentAvailableActions | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                available_actions_type_0 = AgentAvailableActions.from_dict(data)

                return available_actions_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(AgentAvailableActions | None | Unset, data)

        available_actions = _parse_available_actions(
            UNSET if (_given := d.pop("available_actions", None)) is None else _given
        )

        def _parse_inserted_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                inserted_at_type_0 = read_datetime(data)

                return inserted_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        inserted_at = _parse_inserted_at(
            UNSET if (_given := d.pop("inserted_at", None)) is None else _given
        )

        def _parse_updated_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                updated_at_type_0 = read_datetime(data)

                return updated_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        updated_at = _parse_updated_at(
            UNSET if (_given := d.pop("updated_at", None)) is None else _given
        )

        agent_summary = cls(
            type_=type_,
            id=id,
            name=name,
            status=status,
            description=None if isinstance(description, Unset) else description,
            external_identifier=None
            if isinstance(external_identifier, Unset)
            else external_identifier,
            owner_person_id=None
            if isinstance(owner_person_id, Unset)
            else owner_person_id,
            team_id=None if isinstance(team_id, Unset) else team_id,
            available_actions=None
            if isinstance(available_actions, Unset)
            else available_actions,
            inserted_at=None if isinstance(inserted_at, Unset) else inserted_at,
            updated_at=None if isinstance(updated_at, Unset) else updated_at,
        )

        agent_summary.additional_properties = d
        return agent_summary

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
    "type": "type_",
    "id": "id",
    "name": "name",
    "status": "status",
    "description": "description",
    "external_identifier": "external_identifier",
    "owner_person_id": "owner_person_id",
    "team_id": "team_id",
    "available_actions": "available_actions",
    "inserted_at": "inserted_at",
    "updated_at": "updated_at",
}
# Imported after the class: a model that refers back to this one finds it defined.
from ..models.agent_available_actions import AgentAvailableActions  # noqa: E402
