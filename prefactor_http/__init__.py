"""Python client for the Prefactor API: async `PrefactorHttpClient` and its blocking twin."""

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
    PrefactorDeliveryError,
    PrefactorHttpError,
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
)
from prefactor_http.writer import SpanWriter, SyncSpanWriter

__version__ = PACKAGE_VERSION

__all__ = [
    "PACKAGE_NAME",
    "PACKAGE_VERSION",
    "AgentInstance",
    "AgentSpan",
    "BulkBatchResult",
    "BulkItem",
    "BulkOutput",
    "BulkRequest",
    "BulkResponse",
    "HttpClientConfig",
    "PrefactorApiError",
    "PrefactorAuthError",
    "PrefactorBufferFullError",
    "PrefactorClientError",
    "PrefactorConfigError",
    "PrefactorConflictError",
    "PrefactorDeliveryError",
    "PrefactorHttpClient",
    "PrefactorHttpError",
    "PrefactorNetworkError",
    "PrefactorNotFoundError",
    "PrefactorRateLimitError",
    "PrefactorResponseContractError",
    "PrefactorResponseTooLargeError",
    "PrefactorRetryExhaustedError",
    "PrefactorServerError",
    "PrefactorTimeoutError",
    "PrefactorValidationError",
    "SpanWriter",
    "SyncPrefactorHttpClient",
    "SyncSpanWriter",
    "WriteFailure",
    "__version__",
    "is_permanent_http_error",
    "is_transient_http_error",
]
