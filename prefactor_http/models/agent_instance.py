"""An agent instance as the API returns it (generated from openapi.yaml), and what registers one.

The request shapes, the data-risk shapes and the literal types are here too,
at the module path where prefactor-http 0.4.3 exported them.
"""

from prefactor_http._generated.models.agent_instance import AgentInstance
from prefactor_http._generated.models.span_counts import SpanCounts
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
from prefactor_http.models.compat_bodies import RegisterAgentInstanceRequest, TimestampRequest
from prefactor_http.models.compat_risk import ActionProfile, DataCategories, DataRisk
from prefactor_http.models.types import AgentStatus, FinishStatus, InstancePurpose

__all__ = [
    "ActionProfile",
    "AgentInstance",
    "AgentInstanceRecordQuality",
    "AgentInstanceSpanCounts",
    "AgentSchemaVersionForRegister",
    "AgentStatus",
    "AgentVersionForRegister",
    "DataCategories",
    "DataRisk",
    "FinishInstanceRequest",
    "FinishStatus",
    "InstancePurpose",
    "QualitySchemaDetails",
    "QualitySchemaForCreate",
    "RegisterAgentInstanceRequest",
    "RuntimeEnvironment",
    "SpanCounts",
    "SpanTypeSchemaForCreate",
    "TimestampRequest",
]
