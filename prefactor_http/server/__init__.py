"""A local Prefactor API for running and testing agents without the hosted platform.

It answers every operation of the packaged `openapi.json` (the project's
`openapi.yaml`), refuses requests the spec does not allow, keeps instances
and spans in memory with the API's status rules and idempotency, and
misbehaves on demand (`Fault`) to exercise a client's retries. Needs the
`server` extra: `pip install 'prefactor-http[server]'`.

    with LocalServer() as srv:
        config = HttpClientConfig(api_url=srv.url, api_token=srv.token)
"""

# ruff: noqa: E402

from __future__ import annotations

from prefactor_http.server._extra import require_server_extra

# Before the modules below: any of them would fail on the first library it misses.
require_server_extra()

from prefactor_http.server._app import RecordedRequest
from prefactor_http.server._faults import Fault
from prefactor_http.server._local import DEFAULT_TOKEN, LocalServer
from prefactor_http.server._store import Effect
from prefactor_http.server.tree import render_tree

__all__ = ["DEFAULT_TOKEN", "Effect", "Fault", "LocalServer", "RecordedRequest", "render_tree"]
