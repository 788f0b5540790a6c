"""Sparse mode: the local server leaves null fields out of its answers, as the hosted API may."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from conftest import register_body, registered_instance, span_body, started_instance

from prefactor_http.server import LocalServer

INSTANCE_REQUIRED = {
    "type",
    "id",
    "account_id",
    "agent_id",
    "agent_version_id",
    "environment_id",
    "agent_deployment_id",
    "status",
    "inserted_at",
    "updated_at",
}


@pytest.fixture
def sparse_api(prefactor_server_sparse: Any) -> Iterator[httpx.Client]:
    """Raw HTTP to the plugin's sparse local server, with its token."""
    headers = {"Authorization": f"Bearer {prefactor_server_sparse.token}"}
    with httpx.Client(base_url=prefactor_server_sparse.url, headers=headers, timeout=10) as client:
        yield client


def test_a_new_instance_answer_leaves_out_its_null_fields(sparse_api):
    """No `started_at`, `finished_at`, `termination_reason`, `external_identifier`: all null."""
    answer = sparse_api.post("/api/v1/agent_instance/register", json=register_body())

    assert answer.status_code == 200, answer.text
    details = answer.json()["details"]
    assert set(details) == INSTANCE_REQUIRED | {"span_counts", "purpose"}
    assert details["span_counts"]["total"] == 0


def test_an_instance_answer_keeps_fields_once_they_have_a_value(sparse_api):
    """A started instance answers its `started_at`; finished, its `finished_at`."""
    instance_id = started_instance(sparse_api, external_identifier="run-7")

    answer = sparse_api.post(f"/api/v1/agent_instance/{instance_id}/finish", json={})

    details = answer.json()["details"]
    assert {"started_at", "finished_at", "external_identifier"} <= set(details)
    assert "termination_reason" not in details


def test_a_span_answer_leaves_out_its_null_fields(sparse_api):
    """A root span without a title or result has no `parent_span_id`, `schema_title`, ..."""
    instance_id = started_instance(sparse_api)

    answer = sparse_api.post(
        "/api/v1/agent_spans", json=span_body(instance_id, schema_name="agent:untitled")
    )

    assert answer.status_code == 200, answer.text
    details = answer.json()["details"]
    for absent in ("parent_span_id", "schema_title", "result_payload", "summary", "finished_at"):
        assert absent not in details
    assert details["payload"] == {"prompt": "Hello"}


def test_a_null_inside_a_payload_stays_in_a_sparse_answer(sparse_api):
    """Only the resource's own fields are left out; the caller's payload comes back whole."""
    instance_id = started_instance(sparse_api)
    payload = {"prompt": None, "options": {"temperature": None}}

    answer = sparse_api.post("/api/v1/agent_spans", json=span_body(instance_id, payload=payload))

    assert answer.json()["details"]["payload"] == payload


def test_bulk_outputs_are_sparse_too(sparse_api):
    """Each output's `details` leaves out its null fields like the single endpoint's answer."""
    item = {"_type": "agent_instances/register", "idempotency_key": "sparse-reg-1"}

    answer = sparse_api.post("/api/v1/bulk", json={"items": [{**item, **register_body()}]})

    assert answer.status_code == 200, answer.text
    output = answer.json()["outputs"]["sparse-reg-1"]
    assert output["status"] == "success"
    assert set(output["details"]) == INSTANCE_REQUIRED | {"span_counts", "purpose"}


def test_a_replay_is_as_sparse_as_the_first_answer(sparse_api):
    """The stored outcome is replayed in the server's mode: equal to the first answer."""
    body = register_body(idempotency_key="sparse-replay-1")

    first = sparse_api.post("/api/v1/agent_instance/register", json=body)
    again = sparse_api.post("/api/v1/agent_instance/register", json=body)

    assert again.json() == first.json()
    assert "started_at" not in again.json()["details"]


def test_the_state_snapshot_keeps_null_fields_in_sparse_mode(sparse_api, prefactor_server_sparse):
    """`state()` reads the same in both modes: every field, null where unset."""
    instance_id = registered_instance(sparse_api)

    stored = prefactor_server_sparse.state()["instances"][instance_id]

    assert stored["started_at"] is None


def test_a_full_server_sends_null_fields(api):
    """Without sparse mode every field is sent, null where it has no value."""
    details = api.post("/api/v1/agent_instance/register", json=register_body()).json()["details"]

    assert (details["started_at"], details["termination_reason"]) == (None, None)


def test_local_server_takes_sparse_and_shows_it():
    """`LocalServer(sparse=True)` answers sparse and says so in its repr; the default is full."""
    with LocalServer(sparse=True) as server:
        headers = {"Authorization": f"Bearer {server.token}"}
        url = f"{server.url}/api/v1/agent_instance/register"
        details = httpx.post(url, json=register_body(), headers=headers).json()["details"]

    assert "started_at" not in details
    assert (server.sparse, LocalServer().sparse) == (True, False)
    assert "sparse=True" in repr(server)


BOTH_MODES_TESTS = """
import httpx
import pytest

BODY = {
    "agent_version": {"name": "bot", "external_identifier": "v1"},
    "agent_schema_version": {"external_identifier": "s1"},
}


@pytest.mark.parametrize("prefactor_server", ["full", "sparse"], indirect=True)
def test_register(prefactor_server, request):
    auth = {"Authorization": f"Bearer {prefactor_server.token}"}
    url = f"{prefactor_server.url}/api/v1/agent_instance/register"
    details = httpx.post(url, json=BODY, headers=auth).json()["details"]
    assert ("started_at" in details) is request.node.name.endswith("[full]")
    assert prefactor_server.sparse is request.node.name.endswith("[sparse]")


def test_the_sparse_fixture(prefactor_server_sparse):
    assert prefactor_server_sparse.sparse
"""


@pytest.mark.slow  # pytest in a child process
def test_the_fixture_runs_a_test_in_both_modes_when_parametrized(pytester):
    """Indirect parametrization over "full" and "sparse" serves each mode; a sparse fixture too."""
    pytester.makepyfile(test_modes=BOTH_MODES_TESTS)

    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-v")

    result.assert_outcomes(passed=3)
    result.stdout.fnmatch_lines(["*test_register?full? PASSED*", "*test_register?sparse? PASSED*"])


@pytest.mark.slow  # pytest in a child process
def test_the_fixture_refuses_an_unknown_mode(pytester):
    """A mode other than "full" or "sparse" is an error naming it."""
    pytester.makepyfile(
        test_bad_mode="""
import pytest

@pytest.mark.parametrize("prefactor_server", ["thin"], indirect=True)
def test_it(prefactor_server):
    pass
"""
    )

    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")

    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*mode must be 'full' or 'sparse', not 'thin'*"])
