"""Faults on demand, in-process and over `/_control`: their effect on the wire and the state."""

from __future__ import annotations

import httpx
import pytest
from conftest import register_body, registered_instance, started_instance

from prefactor_http.server import Effect, Fault
from prefactor_http.server._app import control_allowed

REGISTER = "/api/v1/agent_instance/register"


def test_a_status_fault_answers_the_error_envelope_with_retry_after(api, prefactor_server):
    """The request is not acted on; the answer is the status, the envelope and Retry-After."""
    prefactor_server.inject(Fault.status(503, retry_after="2"))

    answer = api.post(REGISTER, json=register_body())

    assert answer.status_code == 503
    assert answer.headers["retry-after"] == "2"
    assert answer.json() == {
        "status": "error",
        "code": "service_unavailable",
        "message": "injected fault: Service Unavailable",
    }
    assert prefactor_server.effects == []


def test_a_committing_status_fault_stores_the_write_then_fails(api, prefactor_server):
    """commit=True: the instance exists after the 503, and a resend with the key replays it."""
    prefactor_server.inject(Fault.status(503, commit=True))
    body = register_body(idempotency_key="reg-commit")

    failed = api.post(REGISTER, json=body)
    resent = api.post(REGISTER, json=body)

    assert failed.status_code == 503
    assert resent.status_code == 200
    instance_id = resent.json()["details"]["id"]
    assert prefactor_server.effects == [Effect("registerAgentInstance", "reg-commit", instance_id)]


def test_an_html_status_fault_answers_a_proxy_page(api):
    """html=True answers text/html, as a gateway in front of the API would."""
    with_fault = api.post(
        "/_control/faults", json={"kind": "status", "status": 502, "html": True}
    ).json()
    assert with_fault == {"queued": 1}

    answer = api.get("/api/v1/ping")

    assert answer.status_code == 502
    assert answer.headers["content-type"].startswith("text/html")
    assert "<h1>502 Bad Gateway</h1>" in answer.text


@pytest.mark.parametrize("commit", [False, True])
def test_a_drop_fault_closes_the_connection_without_an_answer(api, prefactor_server, commit):
    """The client sees the connection end; the write is stored only with commit=True."""
    prefactor_server.inject(Fault.drop(commit=commit))

    with pytest.raises(httpx.RemoteProtocolError):
        api.post(REGISTER, json=register_body())

    assert len(prefactor_server.effects) == int(commit)
    assert api.get("/api/v1/ping").status_code == 200


def test_a_delay_fault_stalls_then_answers_normally(prefactor_server):
    """A client that waits less than the delay times out; the request is still handled."""
    prefactor_server.inject(Fault.delay(1.0))
    auth = {"Authorization": f"Bearer {prefactor_server.token}"}

    with pytest.raises(httpx.ReadTimeout):
        httpx.get(f"{prefactor_server.url}/api/v1/ping", headers=auth, timeout=0.05)

    assert prefactor_server.pending_faults == []
    assert httpx.get(f"{prefactor_server.url}/api/v1/ping", headers=auth).status_code == 200


def test_wait_idle_returns_once_a_delayed_request_is_handled(prefactor_server):
    """The client gives up during the delay; after wait_idle() the write it sent is stored."""
    prefactor_server.inject(Fault.delay(0.5))
    auth = {"Authorization": f"Bearer {prefactor_server.token}"}
    body = register_body(idempotency_key="late-reg-1")

    with pytest.raises(httpx.ReadTimeout):
        httpx.post(f"{prefactor_server.url}{REGISTER}", json=body, headers=auth, timeout=0.05)
    prefactor_server.wait_idle()

    [effect] = prefactor_server.effects
    assert (effect.operation, effect.idempotency_key) == ("registerAgentInstance", "late-reg-1")


def test_wait_idle_raises_timeout_while_a_request_is_held(prefactor_server):
    """A request still held by a delay makes a short wait_idle() raise TimeoutError."""
    prefactor_server.inject(Fault.delay(0.5))  # ten times the client's read timeout
    auth = {"Authorization": f"Bearer {prefactor_server.token}"}
    with pytest.raises(httpx.ReadTimeout):
        httpx.get(f"{prefactor_server.url}/api/v1/ping", headers=auth, timeout=0.05)

    with pytest.raises(TimeoutError, match="still handles 1 request"):
        prefactor_server.wait_idle(timeout=0.01)
    prefactor_server.wait_idle()


def test_wait_idle_counts_a_dropped_request_as_finished(api, prefactor_server):
    """A dropped connection ends its request: wait_idle() returns and the server answers on."""
    prefactor_server.inject(Fault.drop())
    with pytest.raises(httpx.RemoteProtocolError):
        api.get("/api/v1/ping")

    prefactor_server.wait_idle()

    assert api.get("/api/v1/ping").status_code == 200


@pytest.mark.parametrize(
    ("peer", "allowed"),
    [
        ("127.0.0.1", True),
        ("127.8.9.10", True),
        ("::1", True),
        ("::ffff:127.0.0.1", True),
        ("10.0.0.5", False),
        ("192.168.1.20", False),
        ("2001:db8::1", False),
        ("::ffff:10.0.0.5", False),
        ("not-an-address", False),
        (None, False),
    ],
)
def test_control_answers_loopback_peers_only(peer, allowed):
    """The rule /_control applies to the peer address, e.g. under `--host 0.0.0.0`."""
    assert control_allowed(peer) is allowed


def test_control_still_answers_a_loopback_client(api):
    """The guard lets the usual loopback caller through."""
    assert api.get("/_control/state").status_code == 200


@pytest.mark.parametrize(
    ("content", "content_type"),
    [(b"", "application/json"), (b"[]", "application/json"), (b"<p>hi</p>", "text/html")],
)
def test_a_body_fault_answers_exactly_those_bytes(api, prefactor_server, content, content_type):
    """Raw 2xx bodies a contract check must catch, after committing the write."""
    prefactor_server.inject(Fault.body(200, content, content_type=content_type, commit=True))

    answer = api.post(REGISTER, json=register_body())

    assert (answer.status_code, answer.content) == (200, content)
    assert answer.headers["content-type"].startswith(content_type)
    assert len(prefactor_server.effects) == 1


def test_faults_are_consumed_in_order_one_per_request(api, prefactor_server):
    """times=2 then another fault: three requests take them oldest first, the fourth is normal."""
    prefactor_server.inject(Fault.status(500), times=2)
    prefactor_server.inject(Fault.status(429, retry_after="1"))

    statuses = [api.get("/api/v1/ping").status_code for _ in range(4)]

    assert statuses == [500, 500, 429, 200]


def test_a_fault_waits_for_a_request_matching_its_method_and_path(api, prefactor_server):
    """Requests that do not match pass untouched; a path may be the spec's template."""
    instance_id = registered_instance(api)
    template = "/api/v1/agent_instance/{agent_instance_id}/start"
    prefactor_server.inject(Fault.status(504), method="POST", path=template)
    prefactor_server.inject(Fault.status(500), method="GET", path="/api/v1/ping")

    assert api.post(REGISTER, json=register_body()).status_code == 200
    assert api.post(f"/api/v1/agent_instance/{instance_id}/start", json={}).status_code == 504
    assert api.post(f"/api/v1/agent_instance/{instance_id}/start", json={}).status_code == 200
    assert api.get("/api/v1/ping").status_code == 500
    assert prefactor_server.pending_faults == []


def test_control_requests_never_take_a_fault(api, prefactor_server):
    """Faults hit API requests only, so the state can still be read mid-test."""
    prefactor_server.inject(Fault.status(500))

    assert api.get("/_control/state").status_code == 200
    assert api.get("/_control/faults").json() == [
        {
            "kind": "status",
            "status": 500,
            "body": (
                '{"status": "error", "code": "internal_server_error", '
                '"message": "injected fault: Internal Server Error"}'
            ),
            "content_type": "application/json",
            "retry_after": None,
            "commit": False,
            "seconds": 0.0,
            "method": None,
            "path": None,
        }
    ]


def test_the_control_interface_queues_faults_and_reads_state(api, prefactor_server):
    """POST /_control/faults with method, path and times; GET state, effects and requests."""
    queued = api.post(
        "/_control/faults",
        json={
            "kind": "body",
            "status": 200,
            "body": "",
            "commit": True,
            "times": 2,
            "method": "post",
            "path": "/api/v1/agent_spans/{agent_span_id}/finish",
        },
    )
    assert queued.json() == {"queued": 2}
    instance_id = started_instance(api)

    state = api.get("/_control/state").json()
    effects = api.get("/_control/effects").json()
    logged = api.get("/_control/requests").json()

    assert state == prefactor_server.state()
    assert effects == [
        {"operation": op, "idempotency_key": None, "resource_id": instance_id}
        for op in ("registerAgentInstance", "startAgentInstance")
    ]
    assert [(r["method"], r["path"]) for r in logged] == [
        ("POST", REGISTER),
        ("POST", f"/api/v1/agent_instance/{instance_id}/start"),
    ]
    assert logged[0]["headers"]["authorization"] == "[redacted]"
    assert len(prefactor_server.pending_faults) == 2


def test_control_reset_and_terminate(api, prefactor_server):
    """POST /_control/terminate ends an instance; POST /_control/reset empties everything."""
    instance_id = started_instance(api)
    prefactor_server.inject(Fault.drop())

    terminated = api.post(
        "/_control/terminate", json={"agent_instance_id": instance_id, "reason": "stop"}
    )
    assert terminated.json() == {"terminated": instance_id}
    assert prefactor_server.state()["instances"][instance_id]["status"] == "terminated"
    assert api.post("/_control/terminate", json={"agent_instance_id": "x"}).status_code == 404

    assert api.post("/_control/reset").json() == {"reset": True}
    assert prefactor_server.state() == {"agents": {}, "instances": {}, "spans": {}, "quality": {}}
    assert prefactor_server.pending_faults == []


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ({"kind": "explode"}, "kind must be one of status, drop, delay, body"),
        ({"kind": "status", "status": "503"}, "status must be an integer"),
        ({"kind": "status", "status": 99}, "status must be an HTTP status code, got 99"),
        ({"kind": "status", "status": 503, "retry_after": 2}, "retry_after must be a string"),
        ({"kind": "drop", "commit": "yes"}, "commit must be true or false"),
        ({"kind": "delay", "seconds": -1}, "delay must be 0 seconds or more, got -1.0"),
        ({"kind": "delay"}, "seconds must be a number"),
        ({"kind": "drop", "times": 0}, "times must be a positive integer, got 0"),
        ({"kind": "drop", "path": 5}, "method and path must be strings"),
    ],
)
def test_a_bad_fault_description_is_refused_naming_the_problem(
    api, prefactor_server, spec, message
):
    """422 with a message saying what is wrong; nothing is queued."""
    answer = api.post("/_control/faults", json=spec)

    assert answer.status_code == 422
    assert answer.json() == {"status": "error", "code": "invalid_control", "message": message}
    assert prefactor_server.pending_faults == []


def test_in_process_fault_builders_check_their_arguments(prefactor_server):
    """A status outside 100-599, a negative delay or zero times raise ValueError."""
    with pytest.raises(ValueError, match="status must be an HTTP status code"):
        Fault.status(600)
    with pytest.raises(ValueError, match="delay must be 0 seconds or more"):
        Fault.delay(-0.5)
    with pytest.raises(ValueError, match="times must be a positive integer"):
        prefactor_server.inject(Fault.drop(), times=0)
