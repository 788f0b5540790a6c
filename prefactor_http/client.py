"""The client for asyncio code."""

from __future__ import annotations

from collections.abc import Mapping
from types import TracebackType
from typing import Any, Protocol, TypeVar

import httpx

from prefactor_http import _async_libraries
from prefactor_http._base import OWN_SDK_ENTRY, AsyncClientBase
from prefactor_http._bodies import AnswerTooLarge
from prefactor_http._failures import SendFailure
from prefactor_http._metadata import claim, locate, recorded
from prefactor_http._operations import raw
from prefactor_http._operations._core import Call
from prefactor_http._responses import error_from_transport, invalid_url, too_large
from prefactor_http._version import PACKAGE_NAME, PACKAGE_VERSION
from prefactor_http.config import HttpClientConfig
from prefactor_http.endpoints.agent_instances import AgentInstanceClient
from prefactor_http.endpoints.agent_spans import AgentSpanClient
from prefactor_http.endpoints.agents import AgentClient
from prefactor_http.endpoints.bulk import BulkClient
from prefactor_http.exceptions import (
    PrefactorApiError,
    PrefactorAuthError,
    PrefactorClientError,
    PrefactorHttpError,
    PrefactorNotFoundError,
    PrefactorResponseContractError,
    PrefactorRetryExhaustedError,
    PrefactorValidationError,
    is_transient_http_error,
)
from prefactor_http.retry import RetryHandler

# What prefactor-http 0.4.3's module exported besides the client, importable from here too.
DEFAULT_SDK_HEADER = OWN_SDK_ENTRY

__all__ = [
    "DEFAULT_SDK_HEADER",
    "PACKAGE_NAME",
    "PACKAGE_VERSION",
    "HttpClientConfig",
    "PrefactorApiError",
    "PrefactorAuthError",
    "PrefactorClientError",
    "PrefactorNotFoundError",
    "PrefactorResponseContractError",
    "PrefactorRetryExhaustedError",
    "PrefactorValidationError",
    "RetryHandler",
    "is_transient_http_error",
]
__all__ += ["PrefactorHttpClient", "PrefactorHttpRawClient"]

T = TypeVar("T")


class _Writer(Protocol):
    """A span writer made for this client: closed, its items sent, before the client closes."""

    @property
    def _client(self) -> object: ...

    async def close(self) -> object: ...


class PrefactorHttpClient(AsyncClientBase):
    """Async client for the Prefactor API, with retries and typed errors.

    Usage:
        async with PrefactorHttpClient(config) as client:
            instance = await client.agent_instances.register(...)
            span = await client.agent_spans.create(...)

    `http_client` sends every call through an httpx.AsyncClient of yours:
    its transport, certificates, event hooks and pool apply, and it stays
    yours to close (docs/transports.md, which also says how to run on trio).
    """

    def __init__(
        self,
        config: HttpClientConfig,
        sdk_header: str | None = None,
        *,
        default_headers: Mapping[str, str] | None = None,
        http_client: httpx.AsyncClient | None = None,
    ) -> None:
        """Check the config and set up; no connection is made until the first call.

        Args:
            config: The API URL and token, timeouts, retries, pool limits and transport.
            sdk_header: An SDK built on this client, such as `my-sdk@1.0`: sent before this
                package's own entry in the X-Prefactor-SDK header (printable ASCII).
            default_headers: Headers sent with every call (the client's own names are
                refused).
            http_client: An httpx.AsyncClient of yours that every call goes through (its
                transport, certificates, event hooks and pool); it stays yours to close.
        """
        super().__init__(config, sdk_header, default_headers, http_client)
        self._writers: set[_Writer] = set()
        self._bind_groups()

    def _bind_groups(self) -> None:
        self._agent_instances = AgentInstanceClient(self)
        self._agent_spans = AgentSpanClient(self)
        self._bulk = BulkClient(self)
        self._agents = AgentClient(self)
        self._raw = PrefactorHttpRawClient(self)

    def with_options(
        self,
        *,
        timeout: float | None = None,
        max_retries: int | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> PrefactorHttpClient:
        """A client making every call with these options, over this one's connections.

        `timeout` (seconds for the whole call, retries included) and
        `max_retries` apply to every call that gives none of its own;
        `headers` are sent with every call, over `default_headers` (the
        client's own names are refused). What is not given stays as here.
        Closing the copy closes the span writers made from it, nothing
        else; closing this client closes the copy's writers and ends it too.

        Args:
            timeout: Seconds for each call, retries included, where the call gives none.
            max_retries: Retries for each call, where the call gives none.
            headers: Headers sent with every call, over `default_headers`.
        """
        clone = self._copied(timeout, max_retries, headers)
        clone._bind_groups()
        return clone

    @property
    def with_raw_response(self) -> PrefactorHttpRawClient:
        """`request` and `validate_token` answering a `RawResponse` (status, headers, request id).

        Each group has its own: `client.agent_spans.with_raw_response.create(...)`.
        """
        return self._raw

    @property
    def agent_instances(self) -> AgentInstanceClient:
        """Register, start, finish, evaluate and fetch agent instances."""
        return self._agent_instances

    @property
    def agent_spans(self) -> AgentSpanClient:
        """Create and finish spans."""
        return self._agent_spans

    @property
    def agents(self) -> AgentClient:
        """Create, fetch, change, list, retire, reinstate and delete agents."""
        return self._agents

    @property
    def bulk(self) -> BulkClient:
        """Run many actions in one request."""
        return self._bulk

    async def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json_data: Mapping[str, Any] | None = None,
        idempotency_key: str | None = None,
        timeout: float | None = None,
        max_retries: int | None = None,
    ) -> dict[str, Any]:
        """Call any API path with the client's auth, retries and error mapping.

        `idempotency_key` is added to the JSON body where the API reads it (in
        `details` for a wrapped body) and to the Idempotency-Key header; a key
        already in `json_data` counts as the caller's. Without any key, a POST
        or PATCH is retried only when the server surely did not act on it.
        Returns the answer's JSON object as it came.

        Args:
            method: The HTTP method, such as `GET` or `POST`.
            path: A path under the config's `api_url` (`/api/v1/...`); dot segments are refused.
            params: The query string's parameters.
            json_data: The JSON object to send as the body.
            idempotency_key: Makes a retried call act once; placed in the body and the Idempotency-
                Key header.
            timeout: Seconds for the whole call, retries included (overrides the config).
            max_retries: Retries for this call (overrides the config).
        """
        return await self._execute(
            raw.request(
                method=method,
                path=path,
                params=params,
                json_data=json_data,
                idempotency_key=idempotency_key,
            ),
            timeout,
            max_retries,
        )

    async def validate_token(
        self, *, timeout: float | None = None, max_retries: int | None = None
    ) -> dict[str, Any]:
        """Call `GET /api/v1/ping`; raises PrefactorAuthError if the token is refused.

        Args:
            timeout: Seconds for the whole call, retries included (overrides the config).
            max_retries: Retries for this call (overrides the config).
        """
        return await self._execute(raw.ping(), timeout, max_retries)

    async def close(self) -> None:
        """Close the client's open span writers (they send what they hold), then the pool.

        A writer's PrefactorDeliveryError (items it could not deliver) is
        raised once the pool is closed. Closing twice is harmless. A copy
        made by `with_options` closes only the writers made from it.
        """
        if self._closed:
            return
        problem: PrefactorClientError | None = None
        owner = self._root is self
        for writer in list(self._writers):
            if not owner and writer._client is not self:
                continue
            try:
                await writer.close()
            except PrefactorClientError as exc:
                problem = problem or exc
        self._closed = True
        if owner:
            await self._close_pools()
        if problem is not None:
            raise problem

    async def __aenter__(self) -> PrefactorHttpClient:
        self._check_open()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    async def _execute(
        self, call: Call[T], timeout: float | None = None, max_retries: int | None = None
    ) -> T:
        """Send `call` until it succeeds or its `Attempts` give up.

        Each attempt goes through the pool of this process and event loop and
        its answer is read whole by the attempt's deadline, within the size
        cap. The client is checked again before each retry, so a close()
        during a backoff ends the call with PrefactorClientError chained to
        the last error. `timeout` and `max_retries` not given are
        `with_options`' (then the config's). Each error gets the URL called
        and the answer's headers (`locate`); a `with_raw_response` call's
        record is filled on success.
        """
        self._check_open()
        attempts = self._retry.begin(
            call.method,
            call.path,
            call.replay_safe,
            self._call_timeout if timeout is None else timeout,
            self._call_retries if max_retries is None else max_retries,
            self._headers,
        )
        request = call.request
        try:
            url = self._url(call.path, request.get("params"))
        except httpx.InvalidURL as exc:
            raise invalid_url(call.method, call.path, exc) from exc
        content = request.get("content")
        record = claim()  # a with_raw_response call's, or None
        while True:
            limits = attempts.httpx_timeout(self._timeout) or self._timeout
            answered: Mapping[str, str] | None = None
            try:
                pool = await self._open_pool()
                response = await pool.send(
                    call.method,
                    url,
                    # Never a local of this frame: error trackers print those, token and all.
                    self._headers_of(request),
                    content,
                    limits,
                    attempts.attempt_deadline(self._timeout),
                    self._config.max_response_bytes,
                )
                answered = response.headers
                result = call.read(response)
            except SendFailure as exc:
                error = error_from_transport(call.method, call.path, exc, limits, self._headers)
                if attempts.resend_at_once(exc.kind):
                    # A close() meanwhile (which may be what ended the connection) ends the call.
                    self._check_open_to_retry(call.method, call.path, error)
                    continue
            except AnswerTooLarge as exc:
                error = too_large(call.method, call.path, exc)
                answered = exc.headers
            except PrefactorHttpError as exc:
                error = exc
            else:
                attempts.succeeded(response.status_code)
                if record is not None:
                    record.fill(
                        response.status_code, response.headers, url, attempts.sent, self._headers
                    )
                return result
            locate(error, url, answered, self._headers)
            if isinstance(error, PrefactorResponseContractError):
                # An answer the client cannot read: the server may have acted, so the
                # caller gets the key that lets it resend safely (never retried here).
                error.idempotency_key = call.idempotency_key
            await _async_libraries.sleep(attempts.failed(error))
            self._check_open_to_retry(call.method, call.path, error)


class PrefactorHttpRawClient:
    """The client's own calls, each answering a `RawResponse` around its usual result.

    Args:
        client: The client whose calls these are; made by its `with_raw_response`.
    """

    def __init__(self, client: PrefactorHttpClient) -> None:
        self.request = recorded(client.request)
        self.validate_token = recorded(client.validate_token)
