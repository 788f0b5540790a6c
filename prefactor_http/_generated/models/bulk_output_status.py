from typing import Literal

BulkOutputStatus = Literal["error", "success"]

BULK_OUTPUT_STATUS_VALUES: set[BulkOutputStatus] = {
    "error",
    "success",
}


def check_bulk_output_status(value: str) -> BulkOutputStatus:
    if value in BULK_OUTPUT_STATUS_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {BULK_OUTPUT_STATUS_VALUES!r}"
    )
