"""A span writer refused at creation holds nothing: no spool file, no thread left running."""

from __future__ import annotations

import asyncio
import threading

import pytest

from prefactor_http import (
    HttpClientConfig,
    PrefactorClientError,
    PrefactorHttpClient,
    SpanWriter,
    SyncPrefactorHttpClient,
    SyncSpanWriter,
)

CONFIG = HttpClientConfig(api_url="http://127.0.0.1:9", api_token="refused-writer-token")


def refuse_async(tmp_path, copy: bool) -> None:
    async def main() -> None:
        client = PrefactorHttpClient(CONFIG)
        made = client.with_options(max_retries=0) if copy else client
        await client.close()
        with pytest.raises(PrefactorClientError, match="is closed"):
            SpanWriter(made, spool_dir=tmp_path)

    asyncio.run(main())


def refuse_sync(tmp_path, copy: bool) -> None:
    client = SyncPrefactorHttpClient(CONFIG)
    made = client.with_options(max_retries=0) if copy else client
    client.close()
    with pytest.raises(PrefactorClientError, match="is closed"):
        SyncSpanWriter(made, spool_dir=tmp_path)


@pytest.mark.parametrize("copy", [False, True], ids=["client", "with_options copy"])
@pytest.mark.parametrize("refuse", [refuse_async, refuse_sync], ids=["async", "sync"])
def test_a_writer_over_a_closed_client_opens_no_spool_and_starts_no_thread(refuse, copy, tmp_path):
    before = set(threading.enumerate())
    refuse(tmp_path, copy)
    started = [t.name for t in set(threading.enumerate()) - before if t.is_alive()]
    assert started == []
    assert list(tmp_path.iterdir()) == []
