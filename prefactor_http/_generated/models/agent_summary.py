from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field
from prefactor_http._model_methods import PydanticMethods

# JsonObject's recursion names JsonValue: typing.get_type_hints looks for it here.
from ..types import JsonValue as JsonValue
from ..types import TypeMismatch, Unset, read_datetime

T = TypeVar("T", bound="AgentSummary")


@_attrs_define
class AgentSummary(PydanticMethods):
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
    # For model_dump(): wire name -> attribute name, unannotated so that attrs leaves it alone.
    _wire_fields = {
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

    def to_dict(self) -> dict[str, Any]:
        field_dict: dict[str, Any] = dict(self.additional_properties)
        field_dict.update(
            {
                "type": self.type_,
                "id": self.id,
                "name": self.name,
                "status": self.status,
            }
        )
        if (description := self.description) is not None and not isinstance(
            description, Unset
        ):
            field_dict["description"] = description
        if (
            external_identifier := self.external_identifier
        ) is not None and not isinstance(external_identifier, Unset):
            field_dict["external_identifier"] = external_identifier
        if (owner_person_id := self.owner_person_id) is not None and not isinstance(
            owner_person_id, Unset
        ):
            field_dict["owner_person_id"] = owner_person_id
        if (team_id := self.team_id) is not None and not isinstance(team_id, Unset):
            field_dict["team_id"] = team_id
        if (available_actions := self.available_actions) is not None and not isinstance(
            available_actions, Unset
        ):
            field_dict["available_actions"] = (
                available_actions.to_dict()
                if isinstance(available_actions, AgentAvailableActions)
                else available_actions
            )
        if (inserted_at := self.inserted_at) is not None and not isinstance(
            inserted_at, Unset
        ):
            field_dict["inserted_at"] = (
                inserted_at.isoformat()
                if isinstance(inserted_at, datetime.datetime)
                else inserted_at
            )
        if (updated_at := self.updated_at) is not None and not isinstance(
            updated_at, Unset
        ):
            field_dict["updated_at"] = (
                updated_at.isoformat()
                if isinstance(updated_at, datetime.datetime)
                else updated_at
            )

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
        type_: Any = src_dict["type"]
        if not isinstance(type_, str):
            bad = bad or TypeMismatch("type_", "str", type_)

        id: Any = src_dict["id"]
        if not isinstance(id, str):
            bad = bad or TypeMismatch("id", "str", id)

        name: Any = src_dict["name"]
        if not isinstance(name, str):
            bad = bad or TypeMismatch("name", "str", name)

        status: Any = src_dict["status"]
        if not isinstance(status, str):
            bad = bad or TypeMismatch("status", "str", status)

        description: Any = src_dict.get("description")
        if description is not None and not isinstance(description, str):
            bad = bad or TypeMismatch("description", "null or str", description)

        external_identifier: Any = src_dict.get("external_identifier")
        if external_identifier is not None and not isinstance(external_identifier, str):
            bad = bad or TypeMismatch(
                "external_identifier", "null or str", external_identifier
            )

        owner_person_id: Any = src_dict.get("owner_person_id")
        if owner_person_id is not None and not isinstance(owner_person_id, str):
            bad = bad or TypeMismatch("owner_person_id", "null or str", owner_person_id)

        team_id: Any = src_dict.get("team_id")
        if team_id is not None and not isinstance(team_id, str):
            bad = bad or TypeMismatch("team_id", "null or str", team_id)

        available_actions: Any = src_dict.get("available_actions")
        if available_actions is not None:
            if isinstance(available_actions, dict):
                try:
                    available_actions = AgentAvailableActions.from_dict(
                        available_actions
                    )
                except TypeMismatch as error:
                    available_actions = error.model
                    bad = bad or error.within("available_actions")
                except (TypeError, ValueError, AttributeError, KeyError):
                    bad = bad or TypeMismatch(
                        "available_actions",
                        "AgentAvailableActions or null",
                        available_actions,
                    )
            elif not isinstance(available_actions, AgentAvailableActions):
                bad = bad or TypeMismatch(
                    "available_actions",
                    "AgentAvailableActions or null",
                    available_actions,
                )

        inserted_at: Any = src_dict.get("inserted_at")
        if inserted_at is not None:
            if isinstance(inserted_at, str):
                try:
                    inserted_at = read_datetime(inserted_at)
                except (TypeError, ValueError, AttributeError, KeyError):
                    bad = bad or TypeMismatch(
                        "inserted_at", "datetime or null", inserted_at
                    )
            elif not isinstance(inserted_at, datetime.datetime):
                bad = bad or TypeMismatch(
                    "inserted_at", "datetime or null", inserted_at
                )

        updated_at: Any = src_dict.get("updated_at")
        if updated_at is not None:
            if isinstance(updated_at, str):
                try:
                    updated_at = read_datetime(updated_at)
                except (TypeError, ValueError, AttributeError, KeyError):
                    bad = bad or TypeMismatch(
                        "updated_at", "datetime or null", updated_at
                    )
            elif not isinstance(updated_at, datetime.datetime):
                bad = bad or TypeMismatch("updated_at", "datetime or null", updated_at)

        agent_summary = cls(
            type_,
            id,
            name,
            status,
            description,
            external_identifier,
            owner_person_id,
            team_id,
            available_actions,
            inserted_at,
            updated_at,
        )
        if not _DECLARED_KEYS.issuperset(src_dict):
            agent_summary.additional_properties = {
                key: value for key, value in src_dict.items() if key not in _DECLARED
            }
        if bad is not None:
            bad.model = agent_summary
            raise bad
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

    # Last in the class: a `type` defined earlier would shadow the builtin in later annotations.
    @property
    def type(self) -> str:
        """The API's `type` field by its wire name, as 0.4.3 named it (also `type_`)."""
        return self.type_


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
# The wire names as a set: issuperset() looks for an undeclared key in
# about 60% of the time a comparison of dict key views takes.
_DECLARED_KEYS = frozenset(_DECLARED)
# Imported after the class: a model that refers back to this one finds it defined.
from ..models.agent_available_actions import AgentAvailableActions  # noqa: E402
