"""`http_client=` usages, checked by mypy --strict (never run): each client takes its own kind."""

from __future__ import annotations

import httpx

from prefactor_http import (
    HttpClientConfig,
    PrefactorEventLoopError,
    PrefactorForkedClientError,
    PrefactorHttpClient,
    SyncPrefactorHttpClient,
)

CONFIG = HttpClientConfig(api_url="https://app.prefactorai.com", api_token="token")


async def async_usage() -> None:
    async with (
        httpx.AsyncClient() as http,
        PrefactorHttpClient(CONFIG, "my-sdk@1.0", http_client=http) as client,
    ):
        try:
            await client.validate_token()
        except PrefactorEventLoopError as exc:
            print(exc)


def blocking_usage() -> None:
    with (
        httpx.Client() as http,
        SyncPrefactorHttpClient(CONFIG, http_client=http) as client,
    ):
        try:
            client.validate_token()
        except PrefactorForkedClientError as exc:
            print(exc)


def wrong_kinds() -> None:
    PrefactorHttpClient(CONFIG, http_client=httpx.Client())  # type: ignore[arg-type]
    SyncPrefactorHttpClient(CONFIG, http_client=httpx.AsyncClient())  # type: ignore[arg-type]
