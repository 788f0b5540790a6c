"""pytest plugin: the `prefactor_server` fixture, a running local API with fresh state per test.

Registered through the `pytest11` entry point, so installing the package is
enough. It lives outside `prefactor_http.server`, whose import needs aiohttp,
and imports the server only when a test asks for the fixture: without the
`server` extra, pytest still starts.

`prefactor_server` answers in full (every field, null where unset) unless
parametrized indirectly with a mode; `prefactor_server_sparse` always leaves
null fields out. To run tests against both:

    pytestmark = pytest.mark.parametrize("prefactor_server", ["full", "sparse"], indirect=True)
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from prefactor_http.server import LocalServer

# The session fixture that holds the server of each mode.
SESSION_FIXTURES = {
    "full": "prefactor_server_session",
    "sparse": "prefactor_server_sparse_session",
}


@pytest.fixture(scope="session")
def prefactor_server_session() -> Iterator[LocalServer]:
    """One local server for the whole session; prefer `prefactor_server`, which resets it."""
    from prefactor_http.server import LocalServer

    with LocalServer() as server:
        yield server


@pytest.fixture(scope="session")
def prefactor_server_sparse_session() -> Iterator[LocalServer]:
    """One sparse local server for the whole session; prefer `prefactor_server_sparse`."""
    from prefactor_http.server import LocalServer

    with LocalServer(sparse=True) as server:
        yield server


def _fresh(server: LocalServer) -> Iterator[LocalServer]:
    server.reset()
    yield server
    server.reset()


@pytest.fixture
def prefactor_server(request: pytest.FixtureRequest) -> Iterator[LocalServer]:
    """The session's local server, emptied of state, faults and logs before each test.

    Full answers by default; parametrized indirectly with `"full"` or
    `"sparse"`, the server of that mode.
    """
    mode = getattr(request, "param", "full")
    if mode not in SESSION_FIXTURES:
        raise ValueError(f"prefactor_server mode must be 'full' or 'sparse', not {mode!r}")
    server: LocalServer = request.getfixturevalue(SESSION_FIXTURES[mode])
    yield from _fresh(server)


@pytest.fixture
def prefactor_server_sparse(prefactor_server_sparse_session: LocalServer) -> Iterator[LocalServer]:
    """The session's sparse local server (null fields left out of answers), emptied likewise."""
    yield from _fresh(prefactor_server_sparse_session)
