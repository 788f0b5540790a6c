"""A span as the API returns it, the control signal that may come with it, and its request bodies.

`CreateAgentSpanRequest` and `FinishSpanRequest` (and the literal types)
are here at the module path where prefactor-http 0.4.3 exported them.
"""

from prefactor_http._generated.models.agent_span import AgentSpan
from prefactor_http._generated.models.control_signal import ControlSignal
from prefactor_http.models.compat_bodies import CreateAgentSpanRequest, FinishSpanRequest
from prefactor_http.models.types import AgentStatus, FinishStatus

__all__ = [
    "AgentSpan",
    "AgentStatus",
    "ControlSignal",
    "CreateAgentSpanRequest",
    "FinishSpanRequest",
    "FinishStatus",
]
