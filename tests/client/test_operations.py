"""Every operation of openapi.yaml, from the one table, on every client, over the wire.

The fault matrix (tests/client/test_faults.py) runs the same table under faults.
"""

from __future__ import annotations

import re

import pytest
from conftest import SPEC

from prefactor_http import HttpClientConfig, PrefactorValidationError, SyncPrefactorHttpClient
from tests.support.operations import OPERATIONS, UNWRAPPED

SPEC_OPERATIONS = {
    operation["operationId"]: (method.upper(), path)
    for path, methods in SPEC["paths"].items()
    for method, operation in methods.items()
}


def test_every_operation_of_the_spec_is_in_the_table_or_deliberately_unwrapped():
    """A new operation in openapi.yaml fails here until the clients wrap it (or say why not)."""
    table = {operation.name: (operation.method, operation.path) for operation in OPERATIONS}

    assert set(SPEC_OPERATIONS) - set(table) - set(UNWRAPPED) == set()
    assert {name: SPEC_OPERATIONS.get(name) for name in table} == table
    assert set(UNWRAPPED) <= set(SPEC_OPERATIONS)


def _pattern(template: str) -> re.Pattern[str]:
    return re.compile("^" + re.sub(r"\{[^}]+\}", "[^/]+", template) + "$")


@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda op: op.name)
def test_each_operation_sends_its_request_and_reads_its_answer(twin, prefactor_server, operation):
    """The call crosses the wire as the spec's method and path, and its answer is read."""
    config = HttpClientConfig(api_url=prefactor_server.url, api_token=prefactor_server.token)
    with SyncPrefactorHttpClient(config) as setup:
        ids = operation.prepare(setup)
    client = twin.new_client(api_url=prefactor_server.url, api_token=prefactor_server.token)
    seen = len(prefactor_server.requests)

    result = twin(lambda c: operation.call(c, ids), client)

    [request] = prefactor_server.requests[seen:]
    assert request.method == operation.method
    assert _pattern(operation.path).match(request.path.split("?", 1)[0]), request.path
    operation.check(prefactor_server.state(), ids, result)


@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda op: op.name)
def test_each_operation_refuses_bad_input_before_sending(twin, prefactor_server, operation):
    """Input the API would refuse is refused by the client first: nothing is sent."""
    client = twin.new_client(api_url=prefactor_server.url, api_token=prefactor_server.token)
    seen = len(prefactor_server.requests)

    with pytest.raises(PrefactorValidationError) as caught:
        twin(operation.refused, client)

    assert caught.value.status_code is None
    assert prefactor_server.requests[seen:] == []
