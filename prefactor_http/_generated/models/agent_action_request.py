from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="AgentActionRequest")


@_attrs_define
class AgentActionRequest:
    """The body of retire, reinstate and delete, which may be left out.

    Attributes:
        idempotency_key (None | str):
    """

    idempotency_key: None | str = None

    def to_dict(self) -> dict[str, Any]:
        _idempotency_key_sent = (
            UNSET if self.idempotency_key is None else self.idempotency_key
        )
        idempotency_key: None | str | Unset
        if isinstance(_idempotency_key_sent, Unset):
            idempotency_key = UNSET
        else:
            idempotency_key = _idempotency_key_sent

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if idempotency_key is not UNSET:
            field_dict["idempotency_key"] = idempotency_key

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        idempotency_key = (
            UNSET if (_given := d.pop("idempotency_key", None)) is None else _given
        )

        agent_action_request = cls(
            idempotency_key=None
            if isinstance(idempotency_key, Unset)
            else idempotency_key,
        )

        return agent_action_request
