from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field
from prefactor_http._model_methods import PydanticMethods

from ..types import UNSET, TypeMismatch, Unset

# JsonObject's recursion names JsonValue: typing.get_type_hints looks for it here.
from ..types import JsonValue as JsonValue

T = TypeVar("T", bound="AgentListEnvelope")
# UNSET typed as object, so that a field of any type may be compared with it.
_UNSET: object = UNSET


@_attrs_define
class AgentListEnvelope(PydanticMethods):
    """
    Attributes:
        summaries (list[AgentSummary]):
        status (str | None):
        pagination (None | Pagination):
        sorting (None | Sorting):
    """

    summaries: list[AgentSummary]
    status: str | None = None
    pagination: None | Pagination = None
    sorting: None | Sorting = None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)
    # For model_dump(): wire name -> attribute name, unannotated so that attrs leaves it alone.
    _wire_fields = {
        "summaries": "summaries",
        "status": "status",
        "pagination": "pagination",
        "sorting": "sorting",
    }

    def to_dict(self) -> dict[str, Any]:
        field_dict: dict[str, Any] = dict(self.additional_properties)
        field_dict.update(
            {
                "summaries": [item.to_dict() for item in self.summaries],
            }
        )
        if (status := self.status) is not None and status is not _UNSET:
            field_dict["status"] = status
        if (pagination := self.pagination) is not None and not isinstance(
            pagination, Unset
        ):
            field_dict["pagination"] = (
                pagination.to_dict()
                if isinstance(pagination, Pagination)
                else pagination
            )
        if (sorting := self.sorting) is not None and not isinstance(sorting, Unset):
            field_dict["sorting"] = (
                sorting.to_dict() if isinstance(sorting, Sorting) else sorting
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
        summaries: Any = src_dict["summaries"]
        summaries_items: list[AgentSummary] = []
        for item in summaries:
            try:
                summaries_items.append(AgentSummary.from_dict(item))
            except TypeMismatch as error:
                bad = bad or error.within(f"summaries[{len(summaries_items)}]")
                summaries_items.append(error.model)
        summaries = summaries_items

        status: Any = src_dict.get("status")
        if status is not None and not isinstance(status, str):
            bad = bad or TypeMismatch("status", "null or str", status)

        pagination: Any = src_dict.get("pagination")
        if pagination is not None:
            if isinstance(pagination, dict):
                try:
                    pagination = Pagination.from_dict(pagination)
                except TypeMismatch as error:
                    pagination = error.model
                    bad = bad or error.within("pagination")
                except (TypeError, ValueError, AttributeError, KeyError):
                    bad = bad or TypeMismatch(
                        "pagination", "Pagination or null", pagination
                    )
            elif not isinstance(pagination, Pagination):
                bad = bad or TypeMismatch(
                    "pagination", "Pagination or null", pagination
                )

        sorting: Any = src_dict.get("sorting")
        if sorting is not None:
            if isinstance(sorting, dict):
                try:
                    sorting = Sorting.from_dict(sorting)
                except TypeMismatch as error:
                    sorting = error.model
                    bad = bad or error.within("sorting")
                except (TypeError, ValueError, AttributeError, KeyError):
                    bad = bad or TypeMismatch("sorting", "Sorting or null", sorting)
            elif not isinstance(sorting, Sorting):
                bad = bad or TypeMismatch("sorting", "Sorting or null", sorting)

        agent_list_envelope = cls(
            summaries,
            status,
            pagination,
            sorting,
        )
        if not _DECLARED_KEYS.issuperset(src_dict):
            agent_list_envelope.additional_properties = {
                key: value for key, value in src_dict.items() if key not in _DECLARED
            }
        if bad is not None:
            bad.model = agent_list_envelope
            raise bad
        return agent_list_envelope

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
    "summaries": "summaries",
    "status": "status",
    "pagination": "pagination",
    "sorting": "sorting",
}
# The wire names as a set: issuperset() looks for an undeclared key in
# about 60% of the time a comparison of dict key views takes.
_DECLARED_KEYS = frozenset(_DECLARED)
# Imported after the class: a model that refers back to this one finds it defined.
from ..models.agent_summary import AgentSummary  # noqa: E402
from ..models.pagination import Pagination  # noqa: E402
from ..models.sorting import Sorting  # noqa: E402
