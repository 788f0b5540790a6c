from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="AgentListEnvelope")


@_attrs_define
class AgentListEnvelope:
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

    def to_dict(self) -> dict[str, Any]:
        summaries = []
        for summaries_item_data in self.summaries:
            summaries_item = summaries_item_data.to_dict()
            summaries.append(summaries_item)

        _status_sent = UNSET if self.status is None else self.status
        status = _status_sent

        _pagination_sent = UNSET if self.pagination is None else self.pagination
        pagination: dict[str, Any] | None | Unset
        if isinstance(_pagination_sent, Unset):
            pagination = UNSET
        elif isinstance(_pagination_sent, Pagination):
            pagination = _pagination_sent.to_dict()
        else:
            pagination = _pagination_sent

        _sorting_sent = UNSET if self.sorting is None else self.sorting
        sorting: dict[str, Any] | None | Unset
        if isinstance(_sorting_sent, Unset):
            sorting = UNSET
        elif isinstance(_sorting_sent, Sorting):
            sorting = _sorting_sent.to_dict()
        else:
            sorting = _sorting_sent

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "summaries": summaries,
            }
        )
        if status is not UNSET:
            field_dict["status"] = status
        if pagination is not UNSET:
            field_dict["pagination"] = pagination
        if sorting is not UNSET:
            field_dict["sorting"] = sorting

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        summaries = []
        _summaries = d.pop("summaries")
        for summaries_item_data in _summaries:
            summaries_item = AgentSummary.from_dict(summaries_item_data)

            summaries.append(summaries_item)

        status = UNSET if (_given := d.pop("status", None)) is None else _given

        def _parse_pagination(data: object) -> None | Pagination | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                pagination_type_0 = Pagination.from_dict(data)

                return pagination_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Pagination | Unset, data)

        pagination = _parse_pagination(
            UNSET if (_given := d.pop("pagination", None)) is None else _given
        )

        def _parse_sorting(data: object) -> None | Sorting | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                sorting_type_0 = Sorting.from_dict(data)

                return sorting_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Sorting | Unset, data)

        sorting = _parse_sorting(
            UNSET if (_given := d.pop("sorting", None)) is None else _given
        )

        agent_list_envelope = cls(
            summaries=summaries,
            status=None if isinstance(status, Unset) else status,
            pagination=None if isinstance(pagination, Unset) else pagination,
            sorting=None if isinstance(sorting, Unset) else sorting,
        )

        agent_list_envelope.additional_properties = d
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
# Imported after the class: a model that refers back to this one finds it defined.
from ..models.agent_summary import AgentSummary  # noqa: E402
from ..models.pagination import Pagination  # noqa: E402
from ..models.sorting import Sorting  # noqa: E402
