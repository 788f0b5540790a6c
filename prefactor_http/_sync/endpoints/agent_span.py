# Generated from prefactor_http/endpoints/agent_span.py by scripts/unasync.py.
# Do not edit: change the async source, then run `make generate`.
"""prefactor-http 0.4.3's module path for the spans group, which lives in `agent_spans`.

Every name 0.4.3's module exported imports from here too.
"""

from prefactor_http._sync.endpoints.agent_spans import SyncAgentSpanClient
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
__all__ += ["SyncAgentSpanClient"]
