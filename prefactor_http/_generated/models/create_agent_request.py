from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from prefactor_http._model_methods import PydanticMethods

# JsonObject's recursion names JsonValue: typing.get_type_hints looks for it here.
from ..types import JsonValue as JsonValue
from ..types import TypeMismatch, Unset

T = TypeVar("T", bound="CreateAgentRequest")


@_attrs_define
class CreateAgentRequest(PydanticMethods):
    """
    Attributes:
        details (AgentForCreate): The fields of a new agent, sent inside `details`.
        idempotency_key (None | str):
    """

    details: AgentForCreate
    idempotency_key: None | str = None
    # For model_dump(): wire name -> attribute name, unannotated so that attrs leaves it alone.
    _wire_fields = {
        "details": "details",
        "idempotency_key": "idempotency_key",
    }

    def to_dict(self) -> dict[str, Any]:
        field_dict: dict[str, Any] = {
            "details": self.details.to_dict(),
        }
        if (idempotency_key := self.idempotency_key) is not None and not isinstance(
            idempotency_key, Unset
        ):
            field_dict["idempotency_key"] = idempotency_key

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
            details = AgentForCreate.from_dict(details)
        except TypeMismatch as error:
            details = error.model
            bad = bad or error.within("details")

        idempotency_key: Any = src_dict.get("idempotency_key")
        if idempotency_key is not None and not isinstance(idempotency_key, str):
            bad = bad or TypeMismatch("idempotency_key", "null or str", idempotency_key)

        create_agent_request = cls(
            details,
            idempotency_key,
        )
        if bad is not None:
            bad.model = create_agent_request
            raise bad
        return create_agent_request


# Imported after the class: a model that refers back to this one finds it defined.
from ..models.agent_for_create import AgentForCreate  # noqa: E402
