from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.agent_status import AgentStatus, check_agent_status
from ..types import UNSET, Unset

T = TypeVar("T", bound="AgentSpan")


@_attrs_define
class AgentSpan:
    """A step inside an agent instance. Fields the server adds later are kept.

    Attributes:
        type_ (str):
        id (str):
        agent_instance_id (str):
        schema_name (str):
        status (AgentStatus):
        payload (Any | Unset): A JSON object of the caller's own shape (span payloads, JSON Schemas).
            Deliberately left without `type` so that the generated code passes it
            through as a plain `dict` rather than wrapping it in a model class;
            the facade refuses anything that is not a mapping before sending.
        account_id (None | str | Unset):
        agent_id (None | str | Unset):
        parent_span_id (None | str | Unset):
        schema_title (None | str | Unset):
        result_payload (Any | Unset): A JSON object of the caller's own shape (span payloads, JSON Schemas).
            Deliberately left without `type` so that the generated code passes it
            through as a plain `dict` rather than wrapping it in a model class;
            the facade refuses anything that is not a mapping before sending.
        summary (None | str | Unset):
        started_at (datetime.datetime | None | Unset):
        inserted_at (datetime.datetime | None | Unset):
        updated_at (datetime.datetime | None | Unset):
        finished_at (datetime.datetime | None | Unset):
    """

    type_: str
    id: str
    agent_instance_id: str
    schema_name: str
    status: AgentStatus
    payload: Any | Unset = UNSET
    account_id: None | str | Unset = UNSET
    agent_id: None | str | Unset = UNSET
    parent_span_id: None | str | Unset = UNSET
    schema_title: None | str | Unset = UNSET
    result_payload: Any | Unset = UNSET
    summary: None | str | Unset = UNSET
    started_at: datetime.datetime | None | Unset = UNSET
    inserted_at: datetime.datetime | None | Unset = UNSET
    updated_at: datetime.datetime | None | Unset = UNSET
    finished_at: datetime.datetime | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_

        id = self.id

        agent_instance_id = self.agent_instance_id

        schema_name = self.schema_name

        status: str = self.status

        payload = self.payload

        account_id: None | str | Unset
        if isinstance(self.account_id, Unset):
            account_id = UNSET
        else:
            account_id = self.account_id

        agent_id: None | str | Unset
        if isinstance(self.agent_id, Unset):
            agent_id = UNSET
        else:
            agent_id = self.agent_id

        parent_span_id: None | str | Unset
        if isinstance(self.parent_span_id, Unset):
            parent_span_id = UNSET
        else:
            parent_span_id = self.parent_span_id

        schema_title: None | str | Unset
        if isinstance(self.schema_title, Unset):
            schema_title = UNSET
        else:
            schema_title = self.schema_title

        result_payload = self.result_payload

        summary: None | str | Unset
        if isinstance(self.summary, Unset):
            summary = UNSET
        else:
            summary = self.summary

        started_at: None | str | Unset
        if isinstance(self.started_at, Unset):
            started_at = UNSET
        elif isinstance(self.started_at, datetime.datetime):
            started_at = self.started_at.isoformat()
        else:
            started_at = self.started_at

        inserted_at: None | str | Unset
        if isinstance(self.inserted_at, Unset):
            inserted_at = UNSET
        elif isinstance(self.inserted_at, datetime.datetime):
            inserted_at = self.inserted_at.isoformat()
        else:
            inserted_at = self.inserted_at

        updated_at: None | str | Unset
        if isinstance(self.updated_at, Unset):
            updated_at = UNSET
        elif isinstance(self.updated_at, datetime.datetime):
            updated_at = self.updated_at.isoformat()
        else:
            updated_at = self.updated_at

        finished_at: None | str | Unset
        if isinstance(self.finished_at, Unset):
            finished_at = UNSET
        elif isinstance(self.finished_at, datetime.datetime):
            finished_at = self.finished_at.isoformat()
        else:
            finished_at = self.finished_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "type": type_,
                "id": id,
                "agent_instance_id": agent_instance_id,
                "schema_name": schema_name,
                "status": status,
            }
        )
        if payload is not UNSET:
            field_dict["payload"] = payload
        if account_id is not UNSET:
            field_dict["account_id"] = account_id
        if agent_id is not UNSET:
            field_dict["agent_id"] = agent_id
        if parent_span_id is not UNSET:
            field_dict["parent_span_id"] = parent_span_id
        if schema_title is not UNSET:
            field_dict["schema_title"] = schema_title
        if result_payload is not UNSET:
            field_dict["result_payload"] = result_payload
        if summary is not UNSET:
            field_dict["summary"] = summary
        if started_at is not UNSET:
            field_dict["started_at"] = started_at
        if inserted_at is not UNSET:
            field_dict["inserted_at"] = inserted_at
        if updated_at is not UNSET:
            field_dict["updated_at"] = updated_at
        if finished_at is not UNSET:
            field_dict["finished_at"] = finished_at

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        type_ = d.pop("type")

        id = d.pop("id")

        agent_instance_id = d.pop("agent_instance_id")

        schema_name = d.pop("schema_name")

        status = check_agent_status(d.pop("status"))

        payload = d.pop("payload", UNSET)

        def _parse_account_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        account_id = _parse_account_id(d.pop("account_id", UNSET))

        def _parse_agent_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        agent_id = _parse_agent_id(d.pop("agent_id", UNSET))

        def _parse_parent_span_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        parent_span_id = _parse_parent_span_id(d.pop("parent_span_id", UNSET))

        def _parse_schema_title(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        schema_title = _parse_schema_title(d.pop("schema_title", UNSET))

        result_payload = d.pop("result_payload", UNSET)

        def _parse_summary(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        summary = _parse_summary(d.pop("summary", UNSET))

        def _parse_started_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                started_at_type_0 = datetime.datetime.fromisoformat(data)

                return started_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        started_at = _parse_started_at(d.pop("started_at", UNSET))

        def _parse_inserted_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                inserted_at_type_0 = datetime.datetime.fromisoformat(data)

                return inserted_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        inserted_at = _parse_inserted_at(d.pop("inserted_at", UNSET))

        def _parse_updated_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                updated_at_type_0 = datetime.datetime.fromisoformat(data)

                return updated_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        updated_at = _parse_updated_at(d.pop("updated_at", UNSET))

        def _parse_finished_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                finished_at_type_0 = datetime.datetime.fromisoformat(data)

                return finished_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        finished_at = _parse_finished_at(d.pop("finished_at", UNSET))

        agent_span = cls(
            type_=type_,
            id=id,
            agent_instance_id=agent_instance_id,
            schema_name=schema_name,
            status=status,
            payload=payload,
            account_id=account_id,
            agent_id=agent_id,
            parent_span_id=parent_span_id,
            schema_title=schema_title,
            result_payload=result_payload,
            summary=summary,
            started_at=started_at,
            inserted_at=inserted_at,
            updated_at=updated_at,
            finished_at=finished_at,
        )

        agent_span.additional_properties = d
        return agent_span

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
