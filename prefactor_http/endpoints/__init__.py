"""The endpoint groups of both clients."""

from prefactor_http._sync.endpoints.agent_instances import SyncAgentInstanceClient
from prefactor_http._sync.endpoints.agent_spans import SyncAgentSpanClient
from prefactor_http._sync.endpoints.agents import SyncAgentClient, SyncAgentPages
from prefactor_http._sync.endpoints.bulk import SyncBulkClient
from prefactor_http.endpoints.agent_instances import AgentInstanceClient
from prefactor_http.endpoints.agent_spans import AgentSpanClient
from prefactor_http.endpoints.agents import AgentClient, AgentPages
from prefactor_http.endpoints.bulk import BulkClient

__all__ = [
    "AgentClient",
    "AgentInstanceClient",
    "AgentPages",
    "AgentSpanClient",
    "BulkClient",
    "SyncAgentClient",
    "SyncAgentInstanceClient",
    "SyncAgentPages",
    "SyncAgentSpanClient",
    "SyncBulkClient",
]
