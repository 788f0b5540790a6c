"""The shapes that cross the wire: generated resources, literal types and bulk models."""

from prefactor_http.models.agent_instance import AgentInstance, SpanCounts
from prefactor_http.models.agent_span import AgentSpan, ControlSignal
from prefactor_http.models.bulk import (
    BulkBatchResult,
    BulkItem,
    BulkOutput,
    BulkRequest,
    BulkResponse,
    WriteFailure,
    WriterStats,
)
from prefactor_http.models.types import AgentStatus, FinishStatus, InstancePurpose, SpanCreateStatus

__all__ = [
    "AgentInstance",
    "AgentSpan",
    "AgentStatus",
    "BulkBatchResult",
    "BulkItem",
    "BulkOutput",
    "BulkRequest",
    "BulkResponse",
    "ControlSignal",
    "FinishStatus",
    "InstancePurpose",
    "SpanCounts",
    "SpanCreateStatus",
    "WriteFailure",
    "WriterStats",
]
