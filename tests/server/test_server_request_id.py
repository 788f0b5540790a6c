"""Every answer of the local server names its request in `X-Request-Id`, in both modes."""

from __future__ import annotations

import re

import httpx
import pytest
from conftest import register_body

from prefactor_http.server import Fault, LocalServer

REQUEST_ID = re.compile(r"^req_[0-9a-f]{24}$")


@pytest.fixture(params=[False, True], ids=["full", "sparse"])
def local(request: pytest.FixtureRequest):
    with LocalServer(sparse=request.param) as server:
        yield server


def test_every_kind_of_answer_carries_a_request_id_of_its_own(local):
    """A success, an API error, a refused token, an injected fault and a control answer."""
    token = {"Authorization": f"Bearer {local.token}"}
    with httpx.Client(base_url=local.url, timeout=10) as http:
        answers = [
            http.post("/api/v1/agent_instance/register", json=register_body(), headers=token),
            http.get("/api/v1/agent_instance/nope", headers=token),
            http.get("/api/v1/ping", headers={"Authorization": "Bearer wrong"}),
        ]
        local.inject(Fault.status(503), path="/api/v1/ping")
        answers.append(http.get("/api/v1/ping", headers=token))
        answers.append(http.get("/_control/state"))

    assert [a.status_code for a in answers] == [200, 404, 401, 503, 200]
    ids = [a.headers.get("x-request-id", "") for a in answers]
    assert all(REQUEST_ID.match(i) for i in ids), ids
    assert len(set(ids)) == len(ids)
