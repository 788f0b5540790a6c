"""The shapes that cross the wire: generated resources, literal types and bulk models.

Also every name prefactor-http 0.4.3 exported here: the agents models and
its request shapes (`prefactor_http.models.compat`).
"""

from prefactor_http.models.agent import (
    Agent,
    AgentAvailableActions,
    AgentForCreate,
    AgentForUpdate,
    AgentInstanceCounts,
    AgentSummary,
)
from prefactor_http.models.agent_instance import AgentInstance, SpanCounts
from prefactor_http.models.agent_span import AgentSpan, ControlSignal
from prefactor_http.models.base import ApiResponse
from prefactor_http.models.bulk import (
    BulkBatchResult,
    BulkItem,
    BulkOutput,
    BulkRequest,
    BulkResponse,
    WriteFailure,
    WriterStats,
)
from prefactor_http.models.compat import (
    AgentInstanceRecordQuality,
    AgentInstanceSpanCounts,
    AgentSchemaVersionForRegister,
    AgentVersionForRegister,
    FinishInstanceRequest,
    QualitySchemaDetails,
    QualitySchemaForCreate,
    RuntimeEnvironment,
    SpanTypeSchemaForCreate,
)
from prefactor_http.models.compat_risk import ActionProfile, DataCategories, DataRisk
from prefactor_http.models.types import AgentStatus, FinishStatus, InstancePurpose, SpanCreateStatus

__all__ = [
    "ActionProfile",
    "Agent",
    "AgentAvailableActions",
    "AgentForCreate",
    "AgentForUpdate",
    "AgentInstance",
    "AgentInstanceCounts",
    "AgentInstanceRecordQuality",
    "AgentInstanceSpanCounts",
    "AgentSchemaVersionForRegister",
    "AgentSpan",
    "AgentStatus",
    "AgentSummary",
    "AgentVersionForRegister",
    "ApiResponse",
    "BulkBatchResult",
    "BulkItem",
    "BulkOutput",
    "BulkRequest",
    "BulkResponse",
    "ControlSignal",
    "DataCategories",
    "DataRisk",
    "FinishInstanceRequest",
    "FinishStatus",
    "InstancePurpose",
    "QualitySchemaDetails",
    "QualitySchemaForCreate",
    "RuntimeEnvironment",
    "SpanCounts",
    "SpanCreateStatus",
    "SpanTypeSchemaForCreate",
    "WriteFailure",
    "WriterStats",
]
