"""What both clients hold that involves no I/O: settings, headers, retry policy, state.

Connections are pooled per process, and for the async client per event loop
too: a forked child (gunicorn --preload, Celery prefork, multiprocessing)
must never read from sockets its parent also reads, and an asyncio
connection cannot be used from a loop other than its own. A pool made for
another process is left alone, never closed, so the child cannot disturb the
parent's connections. Each pool is a sender (`_senders`), which sends an
attempt and reads its answer.

A user's httpx client (`http_client=`) is one pool we neither made nor
close, refused in a forked child and (async) in another event loop.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import os
import re
import sys
import threading
import typing
import urllib.request
from collections.abc import AsyncGenerator, Mapping
from typing import Any, Generic, Self, TypeVar

import httpx

from prefactor_http import _async_libraries, _validate
from prefactor_http._httpx import AsyncHttpxSender
from prefactor_http._loopback import warn_if_token_in_clear
from prefactor_http._options import extra_headers, merged
from prefactor_http._retry import RetryPolicy
from prefactor_http._senders import AsyncSender, ParsedUrls, PoolOptions, Sender
from prefactor_http._version import PACKAGE_NAME, PACKAGE_VERSION
from prefactor_http.config import HttpClientConfig
from prefactor_http.exceptions import (
    PrefactorClientError,
    PrefactorConfigError,
    PrefactorHttpError,
)

SDK_HEADER = "X-Prefactor-SDK"
# How long close() waits for another live event loop to close its own pool.
OTHER_LOOP_CLOSE_SECONDS = 5.0
OWN_SDK_ENTRY = f"{PACKAGE_NAME}@{PACKAGE_VERSION}"
PYTHON_VERSION = "{}.{}.{}".format(*sys.version_info[:3])


def user_agent(library: str) -> str:
    """The same User-Agent on every transport: ours, Python's, then the sending library's."""
    return f"{PACKAGE_NAME}/{PACKAGE_VERSION} Python/{PYTHON_VERSION} {library}"


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


Pool = TypeVar("Pool", Sender, AsyncSender)


def environment_proxy(url: str) -> str | None:
    """The proxy HTTP(S)_PROXY / ALL_PROXY names for `url`, unless NO_PROXY exempts its host.

    A proxy named without a scheme is an http one, as httpx reads it.

    Read once per pool rather than per request: aiohttp's own lookup
    (trust_env) costs more than the rest of a call.
    """
    proxies = urllib.request.getproxies_environment()
    parsed = httpx.URL(url)
    proxy = proxies.get(parsed.scheme) or proxies.get("all")
    if not proxy or urllib.request.proxy_bypass(parsed.host):
        return None
    # httpx reads "host:port" as an http proxy; the senders' libraries would refuse it.
    return proxy if "://" in proxy else f"http://{proxy}"


# In a request target httpx builds: an escape (made upper case), a '%' that starts none, or
# a character httpx leaves as it is but urllib3 escapes.
_TARGET_FIXES = re.compile(r"%[0-9A-Fa-f]{2}|%|[\[\]\\^`{|}]")


def _fixed(match: re.Match[str]) -> str:
    text = match.group()
    return text.upper() if len(text) == 3 else f"%{ord(text):02X}"


def _escaped_once(url: httpx.URL) -> str:
    """`url` with its request target escaped as urllib3 would send it, so it sends it as is.

    urllib3 escapes every '%' of a path or query holding one stray '%', so an
    escape httpx kept (`%2F`) would reach the server escaped twice (`%252F`).
    """
    target = url.raw_path.decode("ascii")
    text = str(url)
    fixed = _TARGET_FIXES.sub(_fixed, target)
    if fixed == target:
        return text
    return text[: text.index(target, len(url.scheme) + 3)] + fixed


class ClientBase(Generic[Pool]):
    """The shared, I/O-free half of PrefactorHttpClient and SyncPrefactorHttpClient."""

    # What `http_client=` takes: httpx.Client for the blocking client, AsyncClient for the async.
    _HTTP_CLIENT: type[httpx.Client | httpx.AsyncClient]

    def __init__(
        self,
        config: HttpClientConfig,
        sdk_header: str | None = None,
        default_headers: Mapping[str, str] | None = None,
        http_client: httpx.Client | httpx.AsyncClient | None = None,
    ) -> None:
        if not isinstance(config, HttpClientConfig):
            raise PrefactorConfigError(
                f"config must be an HttpClientConfig, got {type(config).__name__}"
            )
        if http_client is not None:
            from prefactor_http._httpx_client import check_http_client

            check_http_client(config, http_client, self._HTTP_CLIENT)
        self._http_client = http_client
        self._owner_pid = os.getpid()
        self._config = config
        warn_if_token_in_clear(config.api_url)
        self._retry = RetryPolicy.from_config(config)
        self._closed = False
        own = {
            "Authorization": f"Bearer {config.api_token}",
            "Accept": "application/json",
            # Only what _bodies decodes itself, with a size cap.
            "Accept-Encoding": "gzip, deflate",
            SDK_HEADER: sdk_header_value(sdk_header),
            "User-Agent": user_agent(self._library()),
        }
        self._headers = merged(own, extra_headers("default_headers", default_headers))
        # with_options: what every call takes unless it gives its own; the client owning the pools.
        self._call_timeout: float | None = None
        self._call_retries: int | None = None
        self._root: ClientBase[Pool] = self
        self._timeout = httpx.Timeout(config.request_timeout, connect=config.connect_timeout)
        self._limits = httpx.Limits(
            max_connections=config.max_connections,
            max_keepalive_connections=config.max_keepalive_connections,
            keepalive_expiry=config.keepalive_expiry,
        )
        self._upstream_sdk = sdk_header
        self._pools: dict[object, Pool] = {}
        self._pools_lock = threading.Lock()
        # Each path's URL, as the senders get it: parsing is costly.
        self._urls = ParsedUrls(self._path_url)

    def _new_pool(self) -> Pool:
        raise NotImplementedError

    def _library(self) -> str:
        """The library that will send, and its version, as the User-Agent names it."""
        raise NotImplementedError

    def _pool_options(self) -> PoolOptions:
        """What every sender is made with: pool limits, timeouts, proxy, certificates."""
        config = self._config
        return PoolOptions(
            limits=self._limits,
            timeout=self._timeout,
            proxy=config.proxy or environment_proxy(config.api_url),
            ca_bundle=config.ca_bundle,
        )

    def _url(self, path: str, params: Mapping[str, Any] | None) -> str:
        """The URL of `path` with `params`, as httpx encodes it whatever the sender.

        httpx refuses a URL it cannot build (httpx.InvalidURL) before any
        sender is asked. Kept per path: parsing is costly. What httpx leaves
        unescaped and urllib3 would escape is escaped here (`_escaped_once`),
        so every sender sends the same request target.
        """
        url = self._urls(path)
        if params:
            return _escaped_once(httpx.URL(url, params=params))
        return url

    def _path_url(self, path: str) -> str:
        return _escaped_once(httpx.URL(self._config.api_url + path))

    def _headers_of(self, request: Mapping[str, Any]) -> Mapping[str, str]:
        """The client's headers, with the call's own over them."""
        headers = request.get("headers")
        return {**self._headers, **headers} if headers else self._headers

    def _pool_key(self) -> object:
        return os.getpid()

    def _pool(self, key: object) -> Pool:
        """The connection pool of `key` (`_pool_key()`: this process, and event loop), made once."""
        pool = self._pools.get(key)
        if pool is None:
            with self._pools_lock:  # threads of one process share one pool
                pool = self._pools.get(key)
                if pool is None:
                    pool = self._pools[key] = self._new_pool()
        return pool

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

    def _copied(
        self, timeout: float | None, max_retries: int | None, headers: Mapping[str, str] | None
    ) -> Self:
        """A client sharing this one's pools, writers' set and state, with these options.

        Its groups are bound to it by the caller; its `_headers` is its own dict.
        """
        self._check_open()
        clone = copy.copy(self)
        if timeout is not None:
            clone._call_timeout = _validate.seconds("timeout", timeout)
        if max_retries is not None:
            clone._call_retries = _validate.count("max_retries", max_retries, minimum=0)
        clone._headers = merged(self._headers, extra_headers("headers", headers))
        return clone

    def _check_open(self) -> None:
        if self._closed or self._root._closed:
            raise PrefactorClientError(
                f"{type(self).__name__} is closed: create a new client to make more calls"
            )

    def _check_open_to_retry(self, method: str, path: str, error: PrefactorHttpError) -> None:
        """Before a retry: a client closed meanwhile ends the call, which may already have acted."""
        if self._closed or self._root._closed:
            raise PrefactorClientError(
                f"{method} {path}: {type(self).__name__} was closed while the call waited to "
                f"retry; an earlier attempt may have reached the server (last error: {error})"
            ) from error

    def __repr__(self) -> str:
        state = "closed" if self._closed or self._root._closed else "open"
        return f"<{type(self).__name__} {self._config.api_url} {state}>"


class SyncClientBase(ClientBase[Sender]):
    """ClientBase for the blocking client: one pool per process, shared by its threads."""

    _HTTP_CLIENT = httpx.Client

    def _library(self) -> str:
        if self._http_client is not None:
            return f"httpx/{httpx.__version__}"
        from prefactor_http._urllib3 import Urllib3Sender  # imported on first use

        return Urllib3Sender.library

    def _new_pool(self) -> Sender:
        if self._http_client is not None:
            from prefactor_http._httpx_client import ClientSender, check_process

            check_process(self._owner_pid, type(self).__name__)
            return ClientSender(typing.cast(httpx.Client, self._http_client))
        from prefactor_http._urllib3 import Urllib3Sender  # imported on first use

        return Urllib3Sender(self._pool_options())

    def _open_pool(self) -> Sender:
        return self._pool(self._pool_key())

    def _close_pools(self) -> None:
        """Close this process's pool (a parent's, inherited by fork, stays untouched)."""
        pool = self._pools.pop(os.getpid(), None)
        if pool is not None:
            pool.close()


async def _closed_with_its_loop(pool: AsyncSender) -> AsyncGenerator[None, None]:
    """Parks until its loop shuts down its async generators (asyncio.run does), then closes `pool`.

    So a pool made in a loop that ends without the client being closed
    (asyncio.run called twice, say) still closes its connections in that
    loop, while it can.
    """
    try:
        yield
    finally:
        await pool.aclose()


class AsyncClientBase(ClientBase[AsyncSender]):
    """ClientBase for the async client: one pool per process and event loop.

    (The blocking twin derives from SyncClientBase: scripts/unasync.py maps the name.)
    """

    _HTTP_CLIENT = httpx.AsyncClient

    def __init__(
        self,
        config: HttpClientConfig,
        sdk_header: str | None = None,
        default_headers: Mapping[str, str] | None = None,
        http_client: httpx.AsyncClient | None = None,
    ) -> None:
        super().__init__(config, sdk_header, default_headers, http_client)
        self._closers: dict[object, AsyncGenerator[None, None]] = {}

    def _library(self) -> str:
        if self._http_client is not None or self._config.async_transport == "httpx":
            return AsyncHttpxSender.library
        from prefactor_http._aiohttp import AiohttpSender  # imported on first use

        return AiohttpSender.library

    def _new_pool(self) -> AsyncSender:
        if self._http_client is not None:
            return self._new_user_pool()
        options = self._pool_options()
        if self._config.async_transport == "aiohttp":
            from prefactor_http._aiohttp import AiohttpSender  # imported on first use

            return AiohttpSender(options)
        return AsyncHttpxSender(options)

    def _new_user_pool(self) -> AsyncSender:
        """The sender over the user's AsyncClient, for the first event loop that calls."""
        from prefactor_http._httpx_client import AsyncClientSender, another_loop, check_process

        check_process(self._owner_pid, type(self).__name__)
        if self._pools:
            raise another_loop(type(self).__name__)
        return AsyncClientSender(typing.cast(httpx.AsyncClient, self._http_client))

    def _pool_key(self) -> object:
        if self._http_client is not None:
            return os.getpid(), _async_libraries.loop_token()
        return os.getpid(), _async_libraries.running_loop()

    async def _open_pool(self) -> AsyncSender:
        """The running loop's pool, closed by the loop's shutdown unless the client closes first."""
        key = self._pool_key()
        pool = self._pool(key)
        if self._http_client is not None:
            return pool  # the user's client: nothing of ours to close with the loop
        if key not in self._closers:
            closer = self._closers[key] = _closed_with_its_loop(pool)
            await closer.__anext__()
        return pool

    async def _close_pools(self) -> None:
        """Close this process's pools: the running loop's now, a live other loop's in that loop.

        A pool whose loop has ended was closed by that loop's shutdown, or has
        no connections left to close cleanly.
        """
        pid = os.getpid()
        mine = [key for key in self._pools if typing.cast(tuple[int, object], key)[0] == pid]
        if self._http_client is not None or not mine:
            # Nothing to hang up (the user's client stays its owner's); nothing asyncio's.
            for key in mine:
                await self._pools.pop(key).aclose()
            return
        here = asyncio.get_running_loop()
        for key in mine:
            loop = typing.cast(tuple[int, asyncio.AbstractEventLoop], key)[1]
            pool = self._pools.pop(key)
            closer = self._closers.pop(key, None)
            if loop.is_closed():
                continue
            if loop is here:
                await (closer.aclose() if closer else pool.aclose())
            elif loop.is_running():
                closing = asyncio.run_coroutine_threadsafe(
                    closer.aclose() if closer else pool.aclose(), loop
                )
                # Bounded: a stuck loop must not hang this close; its pool is then left as is.
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(asyncio.wrap_future(closing), OTHER_LOOP_CLOSE_SECONDS)
