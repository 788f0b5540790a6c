"""The endpoint groups of both clients."""

from prefactor_http._sync.endpoints._pages import SyncItemPages
from prefactor_http._sync.endpoints.agent_instances import SyncAgentInstanceClient
from prefactor_http._sync.endpoints.agent_spans import SyncAgentSpanClient
from prefactor_http._sync.endpoints.agents import SyncAgentClient
from prefactor_http._sync.endpoints.bulk import SyncBulkClient
from prefactor_http.endpoints._pages import ItemPages
from prefactor_http.endpoints.agent_instances import AgentInstanceClient
from prefactor_http.endpoints.agent_spans import AgentSpanClient
from prefactor_http.endpoints.agents import AgentClient
from prefactor_http.endpoints.bulk import BulkClient

# Before every paged operation shared one iterator, agents had their own.
AgentPages = ItemPages
SyncAgentPages = SyncItemPages

__all__ = [
    "AgentClient",
    "AgentInstanceClient",
    "AgentPages",
    "AgentSpanClient",
    "BulkClient",
    "ItemPages",
    "SyncAgentClient",
    "SyncAgentInstanceClient",
    "SyncAgentPages",
    "SyncAgentSpanClient",
    "SyncBulkClient",
    "SyncItemPages",
]
