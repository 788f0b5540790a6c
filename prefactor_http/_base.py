"""What both clients hold that involves no I/O: settings, headers, retry policy, state."""

from __future__ import annotations

import asyncio

import httpx

from prefactor_http._retry import RetryPolicy
from prefactor_http._version import PACKAGE_NAME, PACKAGE_VERSION
from prefactor_http.config import HttpClientConfig
from prefactor_http.exceptions import PrefactorClientError, PrefactorConfigError, PrefactorHttpError

SDK_HEADER = "X-Prefactor-SDK"
OWN_SDK_ENTRY = f"{PACKAGE_NAME}@{PACKAGE_VERSION}"


def sdk_header_value(upstream: object) -> str:
    """Our entry, after the wrapping SDK's own entries if there are any."""
    if upstream is not None and not isinstance(upstream, str):
        raise PrefactorConfigError(f"sdk_header must be a string, got {upstream!r}")
    upstream = upstream.strip() if upstream else ""
    if not all(" " <= char <= "~" for char in upstream):
        raise PrefactorConfigError(
            f"sdk_header must be printable ASCII such as 'my-sdk@1.0', got {upstream!r}"
        )
    return f"{upstream} {OWN_SDK_ENTRY}" if upstream else OWN_SDK_ENTRY


class ClientBase:
    """The shared, I/O-free half of PrefactorHttpClient and SyncPrefactorHttpClient."""

    _http: httpx.Client | httpx.AsyncClient

    def __init__(self, config: HttpClientConfig, sdk_header: str | None = None) -> None:
        if not isinstance(config, HttpClientConfig):
            raise PrefactorConfigError(
                f"config must be an HttpClientConfig, got {type(config).__name__}"
            )
        self._config = config
        self._retry = RetryPolicy.from_config(config)
        self._closed = False
        self._headers = {
            "Authorization": f"Bearer {config.api_token}",
            "Accept": "application/json",
            SDK_HEADER: sdk_header_value(sdk_header),
        }
        self._timeout = httpx.Timeout(config.request_timeout, connect=config.connect_timeout)
        self._limits = httpx.Limits(
            max_connections=config.max_connections,
            max_keepalive_connections=config.max_keepalive_connections,
            keepalive_expiry=config.keepalive_expiry,
        )
        self._upstream_sdk = sdk_header

    @property
    def config(self) -> HttpClientConfig:
        """The settings this client was made with."""
        return self._config

    @property
    def _sdk_header(self) -> str | None:
        """The wrapping SDK's header entries; settable, as prefactor-core does after creation."""
        return self._upstream_sdk

    @_sdk_header.setter
    def _sdk_header(self, value: str | None) -> None:
        self._upstream_sdk = value
        self._headers[SDK_HEADER] = sdk_header_value(value)
        self._http.headers[SDK_HEADER] = self._headers[SDK_HEADER]

    def _check_open(self) -> None:
        if self._closed:
            raise PrefactorClientError(
                f"{type(self).__name__} is closed: create a new client to make more calls"
            )

    def _check_open_to_retry(self, method: str, path: str, error: PrefactorHttpError) -> None:
        """Before a retry: a client closed meanwhile ends the call, which may already have acted."""
        if self._closed:
            raise PrefactorClientError(
                f"{method} {path}: {type(self).__name__} was closed while the call waited to "
                f"retry; an earlier attempt may have reached the server (last error: {error})"
            ) from error

    def __repr__(self) -> str:
        state = "closed" if self._closed else "open"
        return f"<{type(self).__name__} {self._config.api_url} {state}>"


class AsyncClientBase(ClientBase):
    """ClientBase for the async client: it also stays in the event loop it first ran in.

    httpx's pooled connections belong to one loop; using them from another
    fails deep inside httpcore, so the client says so plainly instead.
    (The blocking twin derives from ClientBase: scripts/unasync.py maps the name.)
    """

    _loop: asyncio.AbstractEventLoop | None = None

    def _async_transport(self) -> httpx.AsyncBaseTransport | None:
        """The transport `config.async_transport` names; None is httpx's default.

        (The blocking twin always uses httpx's: scripts/unasync.py writes None there.)
        """
        if self._config.async_transport == "aiohttp":
            from prefactor_http._aiohttp import aiohttp_transport

            return aiohttp_transport(self._limits)
        return None

    def _check_open(self) -> None:
        super()._check_open()
        loop = asyncio.get_running_loop()
        if self._loop is None:
            self._loop = loop
        elif loop is not self._loop:
            raise PrefactorClientError(
                f"{type(self).__name__} was first used in another event loop: create one "
                "client per event loop, e.g. inside the coroutine that asyncio.run() runs"
            )
