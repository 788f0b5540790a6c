"""Python client for the Prefactor API: async `PrefactorHttpClient` and its blocking twin."""

from prefactor_http._logs import setup_logging
from prefactor_http._metadata import RawResponse
from prefactor_http._sync.client import SyncPrefactorHttpClient
from prefactor_http._version import PACKAGE_NAME, PACKAGE_VERSION
from prefactor_http.client import PrefactorHttpClient
from prefactor_http.config import HttpClientConfig
from prefactor_http.exceptions import (
    PrefactorApiError,
    PrefactorAuthError,
    PrefactorBufferFullError,
    PrefactorClientError,
    PrefactorConfigError,
    PrefactorConflictError,
    PrefactorDataLossWarning,
    PrefactorDeliveryError,
    PrefactorEventLoopError,
    PrefactorForkedClientError,
    PrefactorHttpError,
    PrefactorInputError,
    PrefactorInsecureTransportWarning,
    PrefactorNetworkError,
    PrefactorNotFoundError,
    PrefactorRateLimitError,
    PrefactorResponseContractError,
    PrefactorResponseTooLargeError,
    PrefactorRetryExhaustedError,
    PrefactorServerError,
    PrefactorTimeoutError,
    PrefactorValidationError,
    is_permanent_http_error,
    is_transient_http_error,
)
from prefactor_http.models import (
    AgentInstance,
    AgentSpan,
    BulkBatchResult,
    BulkItem,
    BulkOutput,
    BulkRequest,
    BulkResponse,
    WriteFailure,
    WriterStats,
)
from prefactor_http.models.base import ApiResponse
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
from prefactor_http.models.types import AgentStatus, FinishStatus, InstancePurpose, SpanCreateStatus
from prefactor_http.writer import SpanWriter, SyncSpanWriter

__version__ = PACKAGE_VERSION

setup_logging()

__all__ = [
    "PACKAGE_NAME",
    "PACKAGE_VERSION",
    "AgentInstance",
    "AgentInstanceRecordQuality",
    "AgentInstanceSpanCounts",
    "AgentSchemaVersionForRegister",
    "AgentSpan",
    "AgentStatus",
    "AgentVersionForRegister",
    "ApiResponse",
    "BulkBatchResult",
    "BulkItem",
    "BulkOutput",
    "BulkRequest",
    "BulkResponse",
    "FinishInstanceRequest",
    "FinishStatus",
    "HttpClientConfig",
    "InstancePurpose",
    "PrefactorApiError",
    "PrefactorAuthError",
    "PrefactorBufferFullError",
    "PrefactorClientError",
    "PrefactorConfigError",
    "PrefactorConflictError",
    "PrefactorDataLossWarning",
    "PrefactorDeliveryError",
    "PrefactorEventLoopError",
    "PrefactorForkedClientError",
    "PrefactorHttpClient",
    "PrefactorHttpError",
    "PrefactorInputError",
    "PrefactorInsecureTransportWarning",
    "PrefactorNetworkError",
    "PrefactorNotFoundError",
    "PrefactorRateLimitError",
    "PrefactorResponseContractError",
    "PrefactorResponseTooLargeError",
    "PrefactorRetryExhaustedError",
    "PrefactorServerError",
    "PrefactorTimeoutError",
    "PrefactorValidationError",
    "QualitySchemaDetails",
    "QualitySchemaForCreate",
    "RawResponse",
    "RuntimeEnvironment",
    "SpanCreateStatus",
    "SpanTypeSchemaForCreate",
    "SpanWriter",
    "SyncPrefactorHttpClient",
    "SyncSpanWriter",
    "WriteFailure",
    "WriterStats",
    "__version__",
    "is_permanent_http_error",
    "is_transient_http_error",
]
