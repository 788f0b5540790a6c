from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from prefactor_http._model_methods import PydanticMethods

# JsonObject's recursion names JsonValue: typing.get_type_hints looks for it here.
from ..types import JsonValue as JsonValue
from ..types import TypeMismatch

T = TypeVar("T", bound="CreateAgentSpanRequest")


@_attrs_define
class CreateAgentSpanRequest(PydanticMethods):
    """
    Attributes:
        details (AgentSpanDetails): The fields of a new span, sent inside `details`.
    """

    details: AgentSpanDetails
    # For model_dump(): wire name -> attribute name, unannotated so that attrs leaves it alone.
    _wire_fields = {
        "details": "details",
    }

    def to_dict(self) -> dict[str, Any]:
        field_dict: dict[str, Any] = {
            "details": self.details.to_dict(),
        }

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
        details: Any = src_dict["details"]
        try:
            details = AgentSpanDetails.from_dict(details)
        except TypeMismatch as error:
            details = error.model
            bad = bad or error.within("details")

        create_agent_span_request = cls(
            details,
        )
        if bad is not None:
            bad.model = create_agent_span_request
            raise bad
        return create_agent_span_request


# Imported after the class: a model that refers back to this one finds it defined.
from ..models.agent_span_details import AgentSpanDetails  # noqa: E402
