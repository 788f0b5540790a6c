from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="CreateAgentRequest")


@_attrs_define
class CreateAgentRequest:
    """
    Attributes:
        details (AgentForCreate): The fields of a new agent, sent inside `details`.
        idempotency_key (None | str):
    """

    details: AgentForCreate
    idempotency_key: None | str = None

    def to_dict(self) -> dict[str, Any]:
        details = self.details.to_dict()

        _idempotency_key_sent = (
            UNSET if self.idempotency_key is None else self.idempotency_key
        )
        idempotency_key: None | str | Unset
        if isinstance(_idempotency_key_sent, Unset):
            idempotency_key = UNSET
        else:
            idempotency_key = _idempotency_key_sent

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "details": details,
            }
        )
        if idempotency_key is not UNSET:
            field_dict["idempotency_key"] = idempotency_key

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        details = AgentForCreate.from_dict(d.pop("details"))

        idempotency_key = (
            UNSET if (_given := d.pop("idempotency_key", None)) is None else _given
        )

        create_agent_request = cls(
            details=details,
            idempotency_key=None
            if isinstance(idempotency_key, Unset)
            else idempotency_key,
        )

        return create_agent_request


# Imported after the class: a model that refers back to this one finds it defined.
from ..models.agent_for_create import AgentForCreate  # noqa: E402
