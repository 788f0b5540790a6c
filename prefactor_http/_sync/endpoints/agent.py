# Generated from prefactor_http/endpoints/agent.py by scripts/unasync.py.
# Do not edit: change the async source, then run `make generate`.
"""prefactor-http 0.4.3's module path for the agents group: `SyncAgentClient` is in `agents`."""

from prefactor_http._sync.endpoints.agents import SyncAgentClient

__all__ = ["SyncAgentClient"]
