from typing import Literal

AgentStatus = Literal[
    "active", "cancelled", "complete", "failed", "pending", "terminated"
]

AGENT_STATUS_VALUES: set[AgentStatus] = {
    "active",
    "cancelled",
    "complete",
    "failed",
    "pending",
    "terminated",
}


def check_agent_status(value: str) -> AgentStatus:
    if value in AGENT_STATUS_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {AGENT_STATUS_VALUES!r}"
    )
