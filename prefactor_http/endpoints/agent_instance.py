"""prefactor-http 0.4.3's module path for the instances group, which lives in `agent_instances`.

Every name 0.4.3's module exported imports from here too.
"""

from prefactor_http.endpoints.agent_instances import AgentInstanceClient
from prefactor_http.exceptions import PrefactorResponseContractError
from prefactor_http.models.agent_instance import (
    AgentInstance,
    AgentInstanceRecordQuality,
    FinishInstanceRequest,
    FinishStatus,
    InstancePurpose,
)
from prefactor_http.models.base import ApiResponse

__all__ = [
    "AgentInstance",
    "AgentInstanceRecordQuality",
    "ApiResponse",
    "FinishInstanceRequest",
    "FinishStatus",
    "InstancePurpose",
    "PrefactorResponseContractError",
]
__all__ += ["AgentInstanceClient"]
