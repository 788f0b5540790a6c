from typing import Literal

FinishStatus = Literal["cancelled", "complete", "failed"]

FINISH_STATUS_VALUES: set[FinishStatus] = {
    "cancelled",
    "complete",
    "failed",
}


def check_finish_status(value: str) -> FinishStatus:
    if value in FINISH_STATUS_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {FINISH_STATUS_VALUES!r}"
    )
