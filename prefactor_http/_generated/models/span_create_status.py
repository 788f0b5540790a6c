from typing import Literal

SpanCreateStatus = Literal["active", "cancelled", "complete", "failed", "pending"]

SPAN_CREATE_STATUS_VALUES: set[SpanCreateStatus] = {
    "active",
    "cancelled",
    "complete",
    "failed",
    "pending",
}


def check_span_create_status(value: str) -> SpanCreateStatus:
    if value in SPAN_CREATE_STATUS_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {SPAN_CREATE_STATUS_VALUES!r}"
    )
