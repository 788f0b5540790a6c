"""The endpoint groups of both clients."""

from prefactor_http._sync.agent_instances import SyncAgentInstanceClient
from prefactor_http._sync.agent_spans import SyncAgentSpanClient
from prefactor_http._sync.bulk import SyncBulkClient
from prefactor_http.endpoints.agent_instances import AgentInstanceClient
from prefactor_http.endpoints.agent_spans import AgentSpanClient
from prefactor_http.endpoints.bulk import BulkClient

__all__ = [
    "AgentInstanceClient",
    "AgentSpanClient",
    "BulkClient",
    "SyncAgentInstanceClient",
    "SyncAgentSpanClient",
    "SyncBulkClient",
]
