from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.agent_span import AgentSpan
    from ..models.control_signal import ControlSignal


T = TypeVar("T", bound="AgentSpanEnvelope")


@_attrs_define
class AgentSpanEnvelope:
    """
    Attributes:
        status (str):
        details (AgentSpan): A step inside an agent instance. Every field listed is always sent
            (null where allowed); fields the server adds later are kept. `status`
            is a plain string for the same reason as on AgentInstance.
        control (ControlSignal | None | Unset):
    """

    status: str
    details: AgentSpan
    control: ControlSignal | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.control_signal import ControlSignal  # noqa: PLC0415

        status = self.status

        details = self.details.to_dict()

        control: dict[str, Any] | None | Unset
        if isinstance(self.control, Unset):
            control = UNSET
        elif isinstance(self.control, ControlSignal):
            control = self.control.to_dict()
        else:
            control = self.control

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "status": status,
                "details": details,
            }
        )
        if control is not UNSET:
            field_dict["control"] = control

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.agent_span import AgentSpan  # noqa: PLC0415
        from ..models.control_signal import ControlSignal  # noqa: PLC0415

        d = dict(src_dict)
        status = d.pop("status")

        details = AgentSpan.from_dict(d.pop("details"))

        def _parse_control(data: object) -> ControlSignal | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                control_type_0 = ControlSignal.from_dict(data)

                return control_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ControlSignal | None | Unset, data)

        control = _parse_control(d.pop("control", UNSET))

        agent_span_envelope = cls(
            status=status,
            details=details,
            control=control,
        )

        agent_span_envelope.additional_properties = d
        return agent_span_envelope

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
