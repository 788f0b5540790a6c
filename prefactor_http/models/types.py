"""The closed sets of strings the API accepts, as Literal types generated from openapi.yaml.

Also `JsonObject` (`dict[str, JsonValue]`), the type of the fields that hold a JSON
object of the caller's own shape, such as `AgentSpan.payload`.
"""

from prefactor_http._generated.models.agent_status import AGENT_STATUS_VALUES, AgentStatus
from prefactor_http._generated.models.finish_status import FINISH_STATUS_VALUES, FinishStatus
from prefactor_http._generated.models.instance_purpose import (
    INSTANCE_PURPOSE_VALUES,
    InstancePurpose,
)
from prefactor_http._generated.models.span_create_status import (
    SPAN_CREATE_STATUS_VALUES,
    SpanCreateStatus,
)
from prefactor_http._generated.types import JsonObject, JsonValue

__all__ = [
    "AGENT_STATUS_VALUES",
    "FINISH_STATUS_VALUES",
    "INSTANCE_PURPOSE_VALUES",
    "SPAN_CREATE_STATUS_VALUES",
    "AgentStatus",
    "FinishStatus",
    "InstancePurpose",
    "JsonObject",
    "JsonValue",
    "SpanCreateStatus",
]
