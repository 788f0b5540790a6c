from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.bulk_output_status import BulkOutputStatus, check_bulk_output_status
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.field_errors import FieldErrors


T = TypeVar("T", bound="BulkOutput")


@_attrs_define
class BulkOutput:
    """One item's outcome: `status` `success` with the action's `details`,
    or `error` with `code`, `message` and, for validation, `errors`.

        Attributes:
            status (BulkOutputStatus):
            details (Any | Unset):
            code (str | Unset):
            message (str | Unset):
            errors (FieldErrors | Unset): Validation messages keyed by field name.
    """

    status: BulkOutputStatus
    details: Any | Unset = UNSET
    code: str | Unset = UNSET
    message: str | Unset = UNSET
    errors: FieldErrors | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        status: str = self.status

        details = self.details

        code = self.code

        message = self.message

        errors: dict[str, Any] | Unset = UNSET
        if not isinstance(self.errors, Unset):
            errors = self.errors.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "status": status,
            }
        )
        if details is not UNSET:
            field_dict["details"] = details
        if code is not UNSET:
            field_dict["code"] = code
        if message is not UNSET:
            field_dict["message"] = message
        if errors is not UNSET:
            field_dict["errors"] = errors

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.field_errors import FieldErrors  # noqa: PLC0415

        d = dict(src_dict)
        status = check_bulk_output_status(d.pop("status"))

        details = d.pop("details", UNSET)

        code = d.pop("code", UNSET)

        message = d.pop("message", UNSET)

        _errors = d.pop("errors", UNSET)
        errors: FieldErrors | Unset
        if isinstance(_errors, Unset):
            errors = UNSET
        else:
            errors = FieldErrors.from_dict(_errors)

        bulk_output = cls(
            status=status,
            details=details,
            code=code,
            message=message,
            errors=errors,
        )

        bulk_output.additional_properties = d
        return bulk_output

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
