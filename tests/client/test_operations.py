"""Every operation of openapi.yaml, from the one table, on every client, over the wire.

The fault matrix (tests/client/test_faults.py) runs the same table under faults.
"""

from __future__ import annotations

import re

import pytest

from prefactor_http import (
    HttpClientConfig,
    PrefactorConflictError,
    PrefactorValidationError,
    SyncPrefactorHttpClient,
)
from tests.support.operations import DERIVED, OPERATIONS, SPEC_OPERATIONS, UNWRAPPED


def test_every_operation_of_the_spec_is_in_the_table_or_deliberately_unwrapped():
    """Hand-written entries and derived ones together cover the spec (a new one is derived)."""
    names = [operation.name for operation in OPERATIONS]
    assert len(names) == len(set(names))
    assert set(SPEC_OPERATIONS) - set(names) - set(UNWRAPPED) == set()
    assert set(UNWRAPPED) <= set(SPEC_OPERATIONS)


def _pattern(template: str) -> re.Pattern[str]:
    return re.compile("^" + re.sub(r"\{[^}]+\}", "[^/]+", template) + "$")


# The hand-written entries, then every derived one (which a new endpoint gets).
EVERY_ENTRY = [
    *(pytest.param(op, id=op.name) for op in OPERATIONS),
    *(pytest.param(op, id=f"derived-{op.name}") for op in DERIVED),
]


@pytest.mark.parametrize("operation", EVERY_ENTRY)
def test_each_operation_sends_its_request_and_reads_its_answer(twin, prefactor_server, operation):
    """The call crosses the wire as the spec's method and path, and its answer is read."""
    config = HttpClientConfig(api_url=prefactor_server.url, api_token=prefactor_server.token)
    with SyncPrefactorHttpClient(config) as setup:
        ids = operation.prepare(setup)
    client = twin.new_client(api_url=prefactor_server.url, api_token=prefactor_server.token)
    seen = len(prefactor_server.requests)

    if operation in DERIVED:
        # A derived call knows the spec, not the lifecycle: the state it made may be one
        # the operation refuses (reinstating an agent never retired). The 409 still
        # crossed the wire as the spec's method and path and was read as its error.
        try:
            result = twin(lambda c: operation.call(c, ids), client)
        except PrefactorConflictError:
            result = None
    else:
        result = twin(lambda c: operation.call(c, ids), client)

    [request] = prefactor_server.requests[seen:]
    assert request.method == operation.method
    assert _pattern(operation.path).match(request.path.split("?", 1)[0]), request.path
    operation.check(prefactor_server.state(), ids, result)


@pytest.mark.parametrize("operation", EVERY_ENTRY)
def test_each_operation_refuses_bad_input_before_sending(twin, prefactor_server, operation):
    """Input the API would refuse is refused by the client first: nothing is sent."""
    client = twin.new_client(api_url=prefactor_server.url, api_token=prefactor_server.token)
    seen = len(prefactor_server.requests)

    with pytest.raises(PrefactorValidationError) as caught:
        twin(operation.refused, client)

    assert caught.value.status_code is None
    assert prefactor_server.requests[seen:] == []
