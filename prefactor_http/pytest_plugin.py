"""pytest plugin: the `prefactor_server` fixture, a running local API with fresh state per test.

Registered through the `pytest11` entry point, so installing the package is
enough. It lives outside `prefactor_http.server`, whose import needs aiohttp,
and imports the server only when a test asks for the fixture: without the
`server` extra, pytest still starts.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from prefactor_http.server import LocalServer


@pytest.fixture(scope="session")
def prefactor_server_session() -> Iterator[LocalServer]:
    """One local server for the whole session; prefer `prefactor_server`, which resets it."""
    from prefactor_http.server import LocalServer

    with LocalServer() as server:
        yield server


@pytest.fixture
def prefactor_server(prefactor_server_session: LocalServer) -> Iterator[LocalServer]:
    """The session's local server, emptied of state, faults and logs before each test."""
    prefactor_server_session.reset()
    yield prefactor_server_session
    prefactor_server_session.reset()
