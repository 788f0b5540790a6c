from typing import Literal

AgentSorting = Literal[
    "-id",
    "-inserted_at",
    "-name",
    "-status",
    "-updated_at",
    "id",
    "inserted_at",
    "name",
    "status",
    "updated_at",
]

AGENT_SORTING_VALUES: set[AgentSorting] = {
    "-id",
    "-inserted_at",
    "-name",
    "-status",
    "-updated_at",
    "id",
    "inserted_at",
    "name",
    "status",
    "updated_at",
}


def check_agent_sorting(value: str) -> AgentSorting:
    if value in AGENT_SORTING_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {AGENT_SORTING_VALUES!r}"
    )
