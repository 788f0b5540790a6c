from typing import Literal

ShowAgentIncludeRiskRollup = Literal["false", "true"]

SHOW_AGENT_INCLUDE_RISK_ROLLUP_VALUES: set[ShowAgentIncludeRiskRollup] = {
    "false",
    "true",
}


def check_show_agent_include_risk_rollup(value: str) -> ShowAgentIncludeRiskRollup:
    if value in SHOW_AGENT_INCLUDE_RISK_ROLLUP_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {SHOW_AGENT_INCLUDE_RISK_ROLLUP_VALUES!r}"
    )
