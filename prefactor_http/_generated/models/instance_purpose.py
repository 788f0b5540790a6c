from typing import Literal

InstancePurpose = Literal["eval", "live", "smoke_test"]

INSTANCE_PURPOSE_VALUES: set[InstancePurpose] = {
    "eval",
    "live",
    "smoke_test",
}


def check_instance_purpose(value: str) -> InstancePurpose:
    if value in INSTANCE_PURPOSE_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {INSTANCE_PURPOSE_VALUES!r}"
    )
