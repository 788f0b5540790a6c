"""prefactor-http 0.4.3's module path for the agents group: `AgentClient` is in `agents`."""

from prefactor_http.endpoints.agents import AgentClient

__all__ = ["AgentClient"]
