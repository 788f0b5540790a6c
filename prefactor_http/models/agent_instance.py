"""An agent instance as the API returns it (generated from openapi.yaml)."""

from prefactor_http._generated.models.agent_instance import AgentInstance
from prefactor_http._generated.models.span_counts import SpanCounts

__all__ = ["AgentInstance", "SpanCounts"]
