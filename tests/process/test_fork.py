"""A client used on both sides of a real os.fork() (gunicorn --preload, Celery prefork).

Parent and child must never share a pooled connection: a shared socket lets
one process read the other's answers, so a get() returns another instance.
"""

from __future__ import annotations

import json
import os

import pytest

from prefactor_http import HttpClientConfig
from tests.support.pipes import read_all

# Real forks: `make test-fast` leaves them out.
pytestmark = pytest.mark.slow

CALLS = 60


def mismatches(twin, client, ids: list[str]) -> list[str]:
    """Fetch each id in turn; the ids that came back as another instance."""
    wrong = []
    for index in range(CALLS):
        wanted = ids[index % len(ids)]
        got = twin(lambda c, wanted=wanted: c.agent_instances.get(wanted), client)
        if got.id != wanted:
            wrong.append(f"{wanted}->{got.id}")
    return wrong


def test_a_forked_child_and_its_parent_each_read_their_own_answers(twin, prefactor_server):
    """After a fork both processes call at once; every answer is the one asked for."""
    config = HttpClientConfig(api_url=prefactor_server.url, api_token=prefactor_server.token)
    client = twin.new_client(api_url=config.api_url, api_token=config.api_token)
    version = {"name": "n", "external_identifier": "v1"}
    schema = {"external_identifier": "s1"}
    ids = [
        twin(
            lambda c: c.agent_instances.register(
                agent_version=version, agent_schema_version=schema
            ),
            client,
        ).id
        for _ in range(4)
    ]

    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: report what it saw, then leave without pytest's teardown
        code = 0
        try:
            os.close(read_end)
            if twin.is_async:
                twin.fresh_loop()
            report = {"wrong": mismatches(twin, client, ids), "error": None}
        except BaseException as exc:
            report = {"wrong": [], "error": repr(exc)}
            code = 1
        os.write(write_end, json.dumps(report).encode())
        os._exit(code)

    os.close(write_end)
    try:
        parent_wrong = mismatches(twin, client, ids)
        child_report = json.loads(read_all(read_end, timeout=60) or b'{"error": "no report"}')
    finally:
        os.close(read_end)
        _, status = os.waitpid(pid, 0)

    assert child_report == {"wrong": [], "error": None}
    assert parent_wrong == []
    assert os.waitstatus_to_exitcode(status) == 0
