"""A contract error never hides a write: an unreadable 2xx names the key the call carried."""

from __future__ import annotations

import pickle

import pytest
from conftest import AUTO_KEY, TOKEN, sent, success

from prefactor_http import (
    BulkRequest,
    PrefactorDeliveryError,
    PrefactorResponseContractError,
)
from tests.support.bulk import span_items
from tests.support.writers import NEVER, Writers

START_PATH = "/api/v1/agent_instance/inst-1/start"
BULK_PATH = "/api/v1/bulk"
NO_DETAILS = success({})
HTML = "<html><body>Welcome to the proxy</body></html>"

# Each mutating call, by name: (path, action given an optional key, where the body holds the key).
SCHEMAS = {
    "external_identifier": "s1",
    "span_type_schemas": [{"name": "agent:llm", "params_schema": {}}],
}
OPERATIONS = {
    "register": (
        "/api/v1/agent_instance/register",
        lambda c, key: c.agent_instances.register(
            agent_version={"name": "bot", "external_identifier": "v1"},
            agent_schema_version=SCHEMAS,
            idempotency_key=key,
        ),
        (),
    ),
    "start": (
        START_PATH,
        lambda c, key: c.agent_instances.start("inst-1", idempotency_key=key),
        (),
    ),
    "finish": (
        "/api/v1/agent_instance/inst-1/finish",
        lambda c, key: c.agent_instances.finish("inst-1", idempotency_key=key),
        (),
    ),
    "record_quality": (
        "/api/v1/agent_instance/inst-1/record_quality",
        lambda c, key: c.agent_instances.record_quality(
            "inst-1", "tone", {"score": 1}, idempotency_key=key
        ),
        (),
    ),
    "span create": (
        "/api/v1/agent_spans",
        lambda c, key: c.agent_spans.create("inst-1", "agent:llm", "active", idempotency_key=key),
        ("details",),
    ),
    "span finish": (
        "/api/v1/agent_spans/span-1/finish",
        lambda c, key: c.agent_spans.finish("span-1", idempotency_key=key),
        (),
    ),
}


def answer(server, path, body, method="POST"):
    """Every request to `path` gets a 200 with `body`: JSON for a dict, else an HTML page."""
    expectation = server.expect_request(path, method=method)
    if isinstance(body, dict):
        expectation.respond_with_json(body)
    else:
        expectation.respond_with_data(body, content_type="text/html")


def wire_keys(server, where=()):
    """Each request's (Idempotency-Key header, body key read at `where`)."""
    keys = []
    for _, _, headers, body in sent(server):
        for step in where:
            body = body[step]
        keys.append((headers.get("idempotency-key"), body.get("idempotency_key")))
    return keys


def contract_error(twin, action, client=None):
    with pytest.raises(PrefactorResponseContractError) as caught:
        twin(action, client)
    return caught.value


@pytest.mark.parametrize("body", [NO_DETAILS, HTML], ids=["no-details", "html"])
@pytest.mark.parametrize("name", list(OPERATIONS))
def test_a_made_key_is_on_the_contract_error_as_on_the_wire(server, twin, name, body):
    """Without a caller's key, the error names the made key that went in header and body."""
    path, action, where = OPERATIONS[name]
    answer(server, path, body)

    err = contract_error(twin, lambda c: action(c, None))

    assert AUTO_KEY.match(err.idempotency_key)
    assert wire_keys(server, where) == [(err.idempotency_key, err.idempotency_key)]


@pytest.mark.parametrize("name", list(OPERATIONS))
def test_resending_with_the_errors_key_sends_that_key_again(server, twin, name):
    """`idempotency_key=err.idempotency_key` puts the first call's key on the wire again."""
    path, action, where = OPERATIONS[name]
    answer(server, path, NO_DETAILS)

    first = contract_error(twin, lambda c: action(c, None))
    second = contract_error(twin, lambda c: action(c, first.idempotency_key))

    assert second.idempotency_key == first.idempotency_key
    assert wire_keys(server, where) == [(first.idempotency_key, first.idempotency_key)] * 2


def test_a_callers_key_is_on_the_contract_error(server, twin):
    """The caller's own key is the one the error names."""
    answer(server, START_PATH, HTML)

    err = contract_error(
        twin, lambda c: c.agent_instances.start("inst-1", idempotency_key="mine-1")
    )

    assert err.idempotency_key == "mine-1"
    assert wire_keys(server) == [("mine-1", "mine-1")]


def test_the_message_names_the_key_and_never_the_token(server, twin):
    """str() says the server may have acted and which key replays it; the token stays out."""
    answer(server, START_PATH, NO_DETAILS)

    err = contract_error(twin, lambda c: c.agent_instances.start("inst-1"))

    message = str(err)
    assert message.startswith(f"POST {START_PATH}: HTTP 200 ")
    assert f"the server may have acted: idempotency key {err.idempotency_key!r}" in message
    assert TOKEN not in message
    assert TOKEN not in repr(err)


def test_a_gets_contract_error_has_no_key(server, twin):
    """A read acts on nothing: its contract error carries no key and says nothing of one."""
    answer(server, "/api/v1/agent_instance/inst-1", NO_DETAILS, method="GET")

    err = contract_error(twin, lambda c: c.agent_instances.get("inst-1"))

    assert err.idempotency_key is None
    assert "idempotency key" not in str(err)


def test_a_raw_gets_contract_error_has_no_key(server, twin):
    """`request("GET", ...)` answered with HTML: no key on the error."""
    answer(server, "/api/v1/ping", HTML, method="GET")

    err = contract_error(twin, lambda c: c.request("GET", "/api/v1/ping"))

    assert err.idempotency_key is None


def test_a_raw_requests_key_in_json_data_is_on_the_contract_error(server, twin):
    """A key the caller put in `json_data` is the one the error names."""
    answer(server, START_PATH, HTML)

    err = contract_error(
        twin, lambda c: c.request("POST", START_PATH, json_data={"idempotency_key": "raw-key-1"})
    )

    assert err.idempotency_key == "raw-key-1"
    assert wire_keys(server) == [("raw-key-1", "raw-key-1")]


def test_a_raw_requests_made_key_is_on_the_contract_error_and_resent(server, twin):
    """A raw POST's made header key is on the error; resending with it sends it in the body too."""
    answer(server, START_PATH, HTML)

    first = contract_error(twin, lambda c: c.request("POST", START_PATH, json_data={}))
    second = contract_error(
        twin,
        lambda c: c.request(
            "POST", START_PATH, json_data={}, idempotency_key=first.idempotency_key
        ),
    )

    assert AUTO_KEY.match(first.idempotency_key)
    assert second.idempotency_key == first.idempotency_key
    key = first.idempotency_key
    assert wire_keys(server) == [(key, None), (key, key)]


def test_a_bulk_contract_error_names_the_requests_header_key(server, twin):
    """`execute` answered without `outputs`: the error names the key of the request's header."""
    answer(server, BULK_PATH, {"status": "success"})
    items = span_items(2)

    err = contract_error(twin, lambda c: c.bulk.execute(BulkRequest(items=items)))

    ((_, _, headers, body),) = sent(server)
    assert AUTO_KEY.match(err.idempotency_key)
    assert err.idempotency_key == headers["idempotency-key"]
    assert [item["idempotency_key"] for item in body["items"]] == ["span-key-0000", "span-key-0001"]


def test_execute_many_reports_the_contract_error_with_its_requests_key(server, twin):
    """A chunk answered with HTML stops the run; `result.error` names that request's key."""
    answer(server, BULK_PATH, HTML)
    items = span_items(3)

    result = twin(lambda c: c.bulk.execute_many(items, chunk_size=2))

    ((_, _, headers, _),) = sent(server)
    assert isinstance(result.error, PrefactorResponseContractError)
    assert result.error.idempotency_key == headers["idempotency-key"]
    assert result.unconfirmed == ["span-key-0000", "span-key-0001"]


def test_a_writers_undelivered_items_carry_the_contract_error_with_its_key(server, twin):
    """A writer's batch answered with HTML: each failure's error names the request's key."""
    answer(server, BULK_PATH, HTML)
    writers = Writers(twin)
    writer = writers.make(max_items=100, flush_interval=NEVER)
    writers.write(writer, span_items(2))

    with pytest.raises(PrefactorDeliveryError) as caught:
        writers.run(writer.flush)
    writers.run(writer.close)

    ((_, _, headers, _),) = sent(server)
    errors = [failure.error for failure in caught.value.failures]
    assert len(errors) == 2
    for err in errors:
        assert isinstance(err, PrefactorResponseContractError)
        assert err.idempotency_key == headers["idempotency-key"]


def test_the_contract_error_pickles_with_its_key(server, twin):
    """A pickled and unpickled error keeps its key, status, snippet, method, path and message."""
    answer(server, START_PATH, HTML)
    err = contract_error(twin, lambda c: c.agent_instances.start("inst-1"))

    copy = pickle.loads(pickle.dumps(err))

    assert type(copy) is PrefactorResponseContractError
    assert AUTO_KEY.match(copy.idempotency_key)
    assert copy.idempotency_key == err.idempotency_key
    assert (copy.status_code, copy.body_snippet) == (200, HTML)
    assert (copy.method, copy.path) == ("POST", START_PATH)
    assert str(copy) == str(err)
