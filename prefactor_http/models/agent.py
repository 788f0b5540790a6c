"""Agents as the API returns them, and what a caller sends to create or change one.

All generated from openapi.yaml. In `AgentForCreate` and `AgentForUpdate`
None means "not given"; to clear `owner_person_id`, `risk_profile_id` or
`team_id`, name them in `client.agents.update(..., clear=[...])`.
"""

from prefactor_http._generated.models.agent import Agent
from prefactor_http._generated.models.agent_available_actions import AgentAvailableActions
from prefactor_http._generated.models.agent_for_create import AgentForCreate
from prefactor_http._generated.models.agent_for_update import AgentForUpdate
from prefactor_http._generated.models.agent_instance_counts import AgentInstanceCounts
from prefactor_http._generated.models.agent_list_envelope import AgentListEnvelope as AgentPage
from prefactor_http._generated.models.agent_sorting import AGENT_SORTING_VALUES, AgentSorting
from prefactor_http._generated.models.agent_summary import AgentSummary
from prefactor_http._generated.models.pagination import Pagination
from prefactor_http._generated.models.sorting import Sorting

__all__ = [
    "AGENT_SORTING_VALUES",
    "Agent",
    "AgentAvailableActions",
    "AgentForCreate",
    "AgentForUpdate",
    "AgentInstanceCounts",
    "AgentPage",
    "AgentSorting",
    "AgentSummary",
    "Pagination",
    "Sorting",
]
