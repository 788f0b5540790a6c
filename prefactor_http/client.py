"""The client for asyncio code."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from types import TracebackType
from typing import Any, TypeVar

import httpx

from prefactor_http import _calls
from prefactor_http._base import AsyncClientBase
from prefactor_http._calls import Call
from prefactor_http._responses import error_from_transport, invalid_url
from prefactor_http.config import HttpClientConfig
from prefactor_http.endpoints.agent_instances import AgentInstanceClient
from prefactor_http.endpoints.agent_spans import AgentSpanClient
from prefactor_http.endpoints.bulk import BulkClient
from prefactor_http.exceptions import PrefactorHttpError

__all__ = ["PrefactorHttpClient"]

T = TypeVar("T")


class PrefactorHttpClient(AsyncClientBase):
    """Async client for the Prefactor API, with retries and typed errors.

    Usage:
        async with PrefactorHttpClient(config) as client:
            instance = await client.agent_instances.register(...)
            span = await client.agent_spans.create(...)

    """

    _http: httpx.AsyncClient

    def __init__(self, config: HttpClientConfig, sdk_header: str | None = None) -> None:
        super().__init__(config, sdk_header)
        self._http = httpx.AsyncClient(
            base_url=config.api_url, headers=self._headers, timeout=self._timeout
        )
        self._agent_instances = AgentInstanceClient(self)
        self._agent_spans = AgentSpanClient(self)
        self._bulk = BulkClient(self)

    @property
    def agent_instances(self) -> AgentInstanceClient:
        """Register, start, finish, evaluate and fetch agent instances."""
        return self._agent_instances

    @property
    def agent_spans(self) -> AgentSpanClient:
        """Create and finish spans."""
        return self._agent_spans

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
    ) -> dict[str, Any]:
        """Call any API path with the client's auth, retries and error mapping.

        `idempotency_key` is added to the JSON body, where the API reads it.
        Returns the answer's JSON object as it came.
        """
        return await self._execute(
            _calls.raw_call(method, path, params, json_data, idempotency_key)
        )

    async def validate_token(self) -> dict[str, Any]:
        """Call `GET /api/v1/ping`; raises PrefactorAuthError if the token is refused."""
        return await self._execute(_calls.ping_call())

    async def close(self) -> None:
        """Release the connection pool. Closing twice is harmless."""
        if not self._closed:
            self._closed = True
            await self._http.aclose()

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

    async def _execute(self, call: Call[T]) -> T:
        """Send `call` until it succeeds or the retry policy gives up."""
        self._check_open()
        attempts = 0
        while True:
            try:
                return call.read(await self._http.request(**call.request))
            except httpx.InvalidURL as exc:
                raise invalid_url(call.method, call.path, exc) from exc
            except httpx.HTTPError as exc:
                error = error_from_transport(call.method, call.path, exc, self._timeout)
            except PrefactorHttpError as exc:
                error = exc
            attempts += 1
            await asyncio.sleep(self._retry.wait_or_raise(attempts, error, call.replay_safe))
