"""A span as the API returns it, and the control signal that may come with it."""

from prefactor_http._generated.models.agent_span import AgentSpan
from prefactor_http._generated.models.control_signal import ControlSignal

__all__ = ["AgentSpan", "ControlSignal"]
