"""prefactor-http 0.4.3's module path for the spans group, which lives in `agent_spans`.

Every name 0.4.3's module exported imports from here too.
"""

from prefactor_http.endpoints.agent_spans import AgentSpanClient
from prefactor_http.exceptions import PrefactorResponseContractError
from prefactor_http.models.agent_span import (
    AgentSpan,
    AgentStatus,
    CreateAgentSpanRequest,
    FinishSpanRequest,
    FinishStatus,
)
from prefactor_http.models.base import ApiResponse

__all__ = [
    "AgentSpan",
    "AgentStatus",
    "ApiResponse",
    "CreateAgentSpanRequest",
    "FinishSpanRequest",
    "FinishStatus",
    "PrefactorResponseContractError",
]
__all__ += ["AgentSpanClient"]
