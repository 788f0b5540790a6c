"""X-Prefactor-SDK with a wrapper's entry: ours is appended after it; 0.4.3 sent the entry alone.

The difference is deliberate (docs/compatibility.md): the API sees every layer.
"""

from __future__ import annotations

import pytest
from conftest import sent, success

from prefactor_http import PACKAGE_VERSION
from prefactor_http.client import DEFAULT_SDK_HEADER
from tests.support.public_client import run_public

PUBLIC_PING = """
import asyncio
from prefactor_http import HttpClientConfig, PrefactorHttpClient
async def main():
    config = HttpClientConfig(api_url=sys.argv[1], api_token="t", max_retries=0)
    for entry in (None, "prefactor-core@0.5.3"):
        async with PrefactorHttpClient(config, sdk_header=entry) as client:
            await client.validate_token()
asyncio.run(main())
print("{}")
"""


@pytest.mark.slow
def test_our_entry_follows_a_wrappers_where_0_4_3_sent_the_wrappers_alone(server, twin):
    server.expect_request("/api/v1/ping").respond_with_json(success({"ok": True}))
    run_public(PUBLIC_PING, None, server.url_for("/").rstrip("/"))
    theirs = [headers["x-prefactor-sdk"] for _, _, headers, _ in sent(server)]
    assert theirs == ["prefactor-http@0.4.3", "prefactor-core@0.5.3"]
    server.clear_log()
    twin(lambda c: c.validate_token())
    wrapped = twin.new_client(sdk_header="prefactor-core@0.5.3")
    twin(lambda c: c.validate_token(), wrapped)
    ours = [headers["x-prefactor-sdk"] for _, _, headers, _ in sent(server)]
    own = f"prefactor-http@{PACKAGE_VERSION}"
    assert ours == [own, f"prefactor-core@0.5.3 {own}"]
    assert own == DEFAULT_SDK_HEADER
