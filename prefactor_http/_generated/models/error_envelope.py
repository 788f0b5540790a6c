from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field
from prefactor_http._model_methods import PydanticMethods

# JsonObject's recursion names JsonValue: typing.get_type_hints looks for it here.
from ..types import JsonValue as JsonValue
from ..types import TypeMismatch, Unset

T = TypeVar("T", bound="ErrorEnvelope")


@_attrs_define
class ErrorEnvelope(PydanticMethods):
    """
    Attributes:
        status (str):
        code (str):
        message (str):
        errors (FieldErrors | None): Validation messages keyed by field name.
    """

    status: str
    code: str
    message: str
    errors: FieldErrors | None = None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)
    # For model_dump(): wire name -> attribute name, unannotated so that attrs leaves it alone.
    _wire_fields = {
        "status": "status",
        "code": "code",
        "message": "message",
        "errors": "errors",
    }

    def to_dict(self) -> dict[str, Any]:
        field_dict: dict[str, Any] = dict(self.additional_properties)
        field_dict.update(
            {
                "status": self.status,
                "code": self.code,
                "message": self.message,
            }
        )
        if (errors := self.errors) is not None and not isinstance(errors, Unset):
            field_dict["errors"] = errors.to_dict()

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
        status: Any = src_dict["status"]
        if not isinstance(status, str):
            bad = bad or TypeMismatch("status", "str", status)

        code: Any = src_dict["code"]
        if not isinstance(code, str):
            bad = bad or TypeMismatch("code", "str", code)

        message: Any = src_dict["message"]
        if not isinstance(message, str):
            bad = bad or TypeMismatch("message", "str", message)

        errors: Any = src_dict.get("errors")
        if errors is not None:
            try:
                errors = FieldErrors.from_dict(errors)
            except TypeMismatch as error:
                errors = error.model
                bad = bad or error.within("errors")

        error_envelope = cls(
            status,
            code,
            message,
            errors,
        )
        if not _DECLARED_KEYS.issuperset(src_dict):
            error_envelope.additional_properties = {
                key: value for key, value in src_dict.items() if key not in _DECLARED
            }
        if bad is not None:
            bad.model = error_envelope
            raise bad
        return error_envelope

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
    "status": "status",
    "code": "code",
    "message": "message",
    "errors": "errors",
}
# The wire names as a set: issuperset() looks for an undeclared key in
# about 60% of the time a comparison of dict key views takes.
_DECLARED_KEYS = frozenset(_DECLARED)
# Imported after the class: a model that refers back to this one finds it defined.
from ..models.field_errors import FieldErrors  # noqa: E402
