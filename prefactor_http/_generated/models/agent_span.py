from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="AgentSpan")


@_attrs_define
class AgentSpan:
    """A step inside an agent instance. Every field listed is always sent
    (null where allowed); fields the server adds later are kept. `status`
    is a plain string for the same reason as on AgentInstance.

        Attributes:
            type_ (str):
            id (str):
            agent_instance_id (str):
            schema_name (str):
            status (str):
            payload (Any): A JSON object of the caller's own shape (a span payload, a JSON Schema).
            account_id (None | str):
            agent_id (None | str):
            parent_span_id (None | str):
            schema_title (None | str):
            result_payload (Any): A JSON object of the caller's own shape (a span payload, a JSON Schema).
            summary (None | str):
            started_at (datetime.datetime | None):
            inserted_at (datetime.datetime | None):
            updated_at (datetime.datetime | None):
            finished_at (datetime.datetime | None):
    """

    type_: str
    id: str
    agent_instance_id: str
    schema_name: str
    status: str
    payload: Any
    account_id: None | str
    agent_id: None | str
    parent_span_id: None | str
    schema_title: None | str
    result_payload: Any
    summary: None | str
    started_at: datetime.datetime | None
    inserted_at: datetime.datetime | None
    updated_at: datetime.datetime | None
    finished_at: datetime.datetime | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_

        id = self.id

        agent_instance_id = self.agent_instance_id

        schema_name = self.schema_name

        status = self.status

        payload = self.payload

        account_id: None | str
        account_id = self.account_id

        agent_id: None | str
        agent_id = self.agent_id

        parent_span_id: None | str
        parent_span_id = self.parent_span_id

        schema_title: None | str
        schema_title = self.schema_title

        result_payload = self.result_payload

        summary: None | str
        summary = self.summary

        started_at: None | str
        if isinstance(self.started_at, datetime.datetime):
            started_at = self.started_at.isoformat()
        else:
            started_at = self.started_at

        inserted_at: None | str
        if isinstance(self.inserted_at, datetime.datetime):
            inserted_at = self.inserted_at.isoformat()
        else:
            inserted_at = self.inserted_at

        updated_at: None | str
        if isinstance(self.updated_at, datetime.datetime):
            updated_at = self.updated_at.isoformat()
        else:
            updated_at = self.updated_at

        finished_at: None | str
        if isinstance(self.finished_at, datetime.datetime):
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
                "payload": payload,
                "account_id": account_id,
                "agent_id": agent_id,
                "parent_span_id": parent_span_id,
                "schema_title": schema_title,
                "result_payload": result_payload,
                "summary": summary,
                "started_at": started_at,
                "inserted_at": inserted_at,
                "updated_at": updated_at,
                "finished_at": finished_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        type_ = d.pop("type")

        id = d.pop("id")

        agent_instance_id = d.pop("agent_instance_id")

        schema_name = d.pop("schema_name")

        status = d.pop("status")

        payload = d.pop("payload")

        def _parse_account_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        account_id = _parse_account_id(d.pop("account_id"))

        def _parse_agent_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        agent_id = _parse_agent_id(d.pop("agent_id"))

        def _parse_parent_span_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        parent_span_id = _parse_parent_span_id(d.pop("parent_span_id"))

        def _parse_schema_title(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        schema_title = _parse_schema_title(d.pop("schema_title"))

        result_payload = d.pop("result_payload")

        def _parse_summary(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        summary = _parse_summary(d.pop("summary"))

        def _parse_started_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                started_at_type_0 = datetime.datetime.fromisoformat(data)

                return started_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        started_at = _parse_started_at(d.pop("started_at"))

        def _parse_inserted_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                inserted_at_type_0 = datetime.datetime.fromisoformat(data)

                return inserted_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        inserted_at = _parse_inserted_at(d.pop("inserted_at"))

        def _parse_updated_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                updated_at_type_0 = datetime.datetime.fromisoformat(data)

                return updated_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        updated_at = _parse_updated_at(d.pop("updated_at"))

        def _parse_finished_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                finished_at_type_0 = datetime.datetime.fromisoformat(data)

                return finished_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        finished_at = _parse_finished_at(d.pop("finished_at"))

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
