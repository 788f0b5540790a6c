from typing import Literal

ShowAgentIncludeCounts = Literal["false", "true"]

SHOW_AGENT_INCLUDE_COUNTS_VALUES: set[ShowAgentIncludeCounts] = {
    "false",
    "true",
}


def check_show_agent_include_counts(value: str) -> ShowAgentIncludeCounts:
    if value in SHOW_AGENT_INCLUDE_COUNTS_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {SHOW_AGENT_INCLUDE_COUNTS_VALUES!r}"
    )
