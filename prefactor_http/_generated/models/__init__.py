"""Contains all the data models used in inputs/outputs"""

from .agent import Agent
from .agent_action_request import AgentActionRequest
from .agent_available_actions import AgentAvailableActions
from .agent_envelope import AgentEnvelope
from .agent_for_create import AgentForCreate
from .agent_for_update import AgentForUpdate
from .agent_instance import AgentInstance
from .agent_instance_counts import AgentInstanceCounts
from .agent_instance_envelope import AgentInstanceEnvelope
from .agent_list_envelope import AgentListEnvelope
from .agent_schema_version import AgentSchemaVersion
from .agent_sorting import AgentSorting
from .agent_span import AgentSpan
from .agent_span_details import AgentSpanDetails
from .agent_span_envelope import AgentSpanEnvelope
from .agent_status import AgentStatus
from .agent_summary import AgentSummary
from .agent_version import AgentVersion
from .bulk_item import BulkItem
from .bulk_output import BulkOutput
from .bulk_output_status import BulkOutputStatus
from .bulk_request import BulkRequest
from .bulk_response import BulkResponse
from .bulk_response_outputs import BulkResponseOutputs
from .control_signal import ControlSignal
from .create_agent_request import CreateAgentRequest
from .create_agent_span_request import CreateAgentSpanRequest
from .error_envelope import ErrorEnvelope
from .field_errors import FieldErrors
from .finish_agent_instance_request import FinishAgentInstanceRequest
from .finish_agent_span_request import FinishAgentSpanRequest
from .finish_status import FinishStatus
from .instance_purpose import InstancePurpose
from .pagination import Pagination
from .ping_envelope import PingEnvelope
from .quality_schema import QualitySchema
from .record_quality_request import RecordQualityRequest
from .register_agent_instance_request import RegisterAgentInstanceRequest
from .show_agent_include_counts import ShowAgentIncludeCounts
from .show_agent_include_risk_rollup import ShowAgentIncludeRiskRollup
from .sorting import Sorting
from .span_counts import SpanCounts
from .span_create_status import SpanCreateStatus
from .span_type_schema import SpanTypeSchema
from .start_agent_instance_request import StartAgentInstanceRequest
from .update_agent_request import UpdateAgentRequest

__all__ = (
    "Agent",
    "AgentActionRequest",
    "AgentAvailableActions",
    "AgentEnvelope",
    "AgentForCreate",
    "AgentForUpdate",
    "AgentInstance",
    "AgentInstanceCounts",
    "AgentInstanceEnvelope",
    "AgentListEnvelope",
    "AgentSchemaVersion",
    "AgentSorting",
    "AgentSpan",
    "AgentSpanDetails",
    "AgentSpanEnvelope",
    "AgentStatus",
    "AgentSummary",
    "AgentVersion",
    "BulkItem",
    "BulkOutput",
    "BulkOutputStatus",
    "BulkRequest",
    "BulkResponse",
    "BulkResponseOutputs",
    "ControlSignal",
    "CreateAgentRequest",
    "CreateAgentSpanRequest",
    "ErrorEnvelope",
    "FieldErrors",
    "FinishAgentInstanceRequest",
    "FinishAgentSpanRequest",
    "FinishStatus",
    "InstancePurpose",
    "Pagination",
    "PingEnvelope",
    "QualitySchema",
    "RecordQualityRequest",
    "RegisterAgentInstanceRequest",
    "ShowAgentIncludeCounts",
    "ShowAgentIncludeRiskRollup",
    "Sorting",
    "SpanCounts",
    "SpanCreateStatus",
    "SpanTypeSchema",
    "StartAgentInstanceRequest",
    "UpdateAgentRequest",
)
