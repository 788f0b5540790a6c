from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="CreateAgentSpanRequest")


@_attrs_define
class CreateAgentSpanRequest:
    """
    Attributes:
        details (AgentSpanDetails): The fields of a new span, sent inside `details`.
    """

    details: AgentSpanDetails

    def to_dict(self) -> dict[str, Any]:
        details = self.details.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "details": details,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        details = AgentSpanDetails.from_dict(d.pop("details"))

        create_agent_span_request = cls(
            details=details,
        )

        return create_agent_span_request


# Imported after the class: a model that refers back to this one finds it defined.
from ..models.agent_span_details import AgentSpanDetails  # noqa: E402
