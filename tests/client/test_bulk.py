"""Bulk: the items on the wire, partial failure, and checks made before sending."""

from __future__ import annotations

import json
import pickle

import pytest
from conftest import instance_json, sent, span_json, started_instance

from prefactor_http import (
    BulkItem,
    BulkOutput,
    BulkRequest,
    BulkResponse,
    PrefactorValidationError,
)
from prefactor_http._generated import limits
from prefactor_http._operations.bulk import encode_item, encode_items


def three_items() -> list[BulkItem]:
    return [
        BulkItem(
            _type="agent_instances/register",
            idempotency_key="register-instance-001",
            agent_id="agent_123",
            agent_version={"name": "My Agent", "external_identifier": "v1.0.0"},
            agent_schema_version={"external_identifier": "v1.0.0", "span_type_schemas": []},
        ),
        BulkItem(
            _type="agent_spans/create",
            idempotency_key="create-span-001",
            agent_instance_id="instance_123",
            schema_name="agent:llm",
            status="active",
        ),
        BulkItem(
            _type="agent_spans/finish",
            idempotency_key="finish-span-001",
            agent_span_id="span-1",
            status="complete",
        ),
    ]


def test_execute_sends_every_item_flat_with_its_type(server, twin):
    """Each item travels as `_type`, its key and its params, in order."""
    server.expect_request("/api/v1/bulk", method="POST").respond_with_json(
        {
            "status": "success",
            "outputs": {
                "register-instance-001": {"status": "success", "details": instance_json()},
                "create-span-001": {"status": "success", "details": span_json()},
                "finish-span-001": {"status": "success", "details": span_json(status="complete")},
            },
        }
    )

    response = twin(lambda c: c.bulk.execute(BulkRequest(items=three_items())))

    [(method, path, headers, body)] = sent(server)
    assert (method, path) == ("POST", "/api/v1/bulk")
    assert headers["content-type"] == "application/json"
    assert body == {"items": [item.to_dict() for item in three_items()]}
    assert body["items"][1] == {
        "_type": "agent_spans/create",
        "idempotency_key": "create-span-001",
        "agent_instance_id": "instance_123",
        "schema_name": "agent:llm",
        "status": "active",
        "payload": {},  # filled in, as agent_spans.create fills it in
    }
    assert isinstance(response, BulkResponse)
    assert response.outputs["create-span-001"].status == "success"
    assert response.outputs["create-span-001"].details["id"] == "span-1"
    assert response.succeeded == ["register-instance-001", "create-span-001", "finish-span-001"]
    assert response.failed is None
    assert response.not_processed == []
    assert response.ok


def test_partial_failure_says_what_ran_failed_and_never_ran(server, twin):
    """When the API stops at a failed item, the response names each group of keys."""
    server.expect_request("/api/v1/bulk").respond_with_json(
        {
            "status": "success",
            "outputs": {
                "register-instance-001": {"status": "success", "details": instance_json()},
                "create-span-001": {
                    "status": "error",
                    "code": "validation_error",
                    "message": "Validation failed",
                    "errors": {"schema_name": ["is not registered"]},
                    "trace_id": "t-9",
                },
            },
        }
    )

    response = twin(lambda c: c.bulk.execute(BulkRequest(items=three_items())))

    assert response.succeeded == ["register-instance-001"]
    assert response.failed == "create-span-001"
    assert response.not_processed == ["finish-span-001"]
    assert not response.ok
    failure = response.outputs["create-span-001"]
    assert (failure.status, failure.code, failure.message) == (
        "error",
        "validation_error",
        "Validation failed",
    )
    assert failure.errors == {"schema_name": ["is not registered"]}
    assert failure.trace_id == "t-9"
    assert "finish-span-001" not in response.outputs


def test_unknown_action_types_pass_through(server, twin):
    """A `_type` this client does not know is sent untouched: the server decides."""
    server.expect_request("/api/v1/bulk").respond_with_json(
        {"status": "success", "outputs": {"list-agents-01": {"status": "success", "details": []}}}
    )

    response = twin(
        lambda c: c.bulk.execute(
            BulkRequest(
                items=[BulkItem(_type="agents/list", idempotency_key="list-agents-01", limit=5)]
            )
        )
    )

    assert sent(server)[0][3] == {
        "items": [{"_type": "agents/list", "idempotency_key": "list-agents-01", "limit": 5}]
    }
    assert response.outputs["list-agents-01"].details == []


@pytest.mark.parametrize(
    ("make_items", "field", "problem"),
    [
        (lambda: [], "items", "at least 1 item"),
        (
            lambda: [three_items()[0], three_items()[0]],
            "items[1].idempotency_key",
            "repeats 'register-instance-001' of items[0]",
        ),
        (lambda: [three_items()[0], {"_type": "x"}], "items[1]", "must be a BulkItem"),
    ],
)
def test_bad_requests_are_refused_before_sending(server, twin, make_items, field, problem):
    """No items, a repeated key or a non-item is refused naming the item; nothing is sent."""
    request = BulkRequest(items=three_items())
    request.items[:] = make_items()

    with pytest.raises(PrefactorValidationError) as caught:
        twin(lambda c: c.bulk.execute(request))

    assert problem in caught.value.errors[field][0]
    assert caught.value.status_code is None
    assert sent(server) == []


BULK_KEY_TOO_SHORT = "k" * (limits.BULK_KEY_MIN_LENGTH - 1)
BULK_KEY_TOO_LONG = "k" * (limits.BULK_KEY_MAX_LENGTH + 1)


@pytest.mark.parametrize("key", [BULK_KEY_TOO_SHORT, BULK_KEY_TOO_LONG, "", None, 12345678])
def test_item_keys_outside_the_spec_bounds_are_refused(key):
    """A bulk item's key must hold 8 to 64 characters (the spec's bounds); the error names it."""
    with pytest.raises(PrefactorValidationError) as caught:
        BulkItem(_type="agent_spans/create", idempotency_key=key)

    [message] = caught.value.errors["idempotency_key"]
    assert f"{limits.BULK_KEY_MIN_LENGTH} to {limits.BULK_KEY_MAX_LENGTH} characters" in message
    assert "'agent_spans/create'" in message
    assert repr(key) in message


def test_an_item_json_cannot_encode_is_refused_naming_it(server, twin):
    """A param JSON cannot hold is named by its place in the request; nothing is sent."""
    items = [*three_items()[:1], BulkItem(_type="a/b", idempotency_key="odd-item-1", when={1, 2})]

    with pytest.raises(PrefactorValidationError) as caught:
        twin(lambda c: c.bulk.execute(BulkRequest(items=items)))

    assert list(caught.value.errors) == ["items[1].when"]
    assert sent(server) == []


def test_the_reference_validators_exist():
    """BulkRequest.validate_unique_idempotency_keys and BulkOutput.validate_status work."""
    items = three_items()

    assert BulkRequest.validate_unique_idempotency_keys(items) == items
    with pytest.raises(PrefactorValidationError):
        BulkRequest.validate_unique_idempotency_keys([items[0], items[0]])
    assert BulkOutput.validate_status("error") == "error"
    with pytest.raises(PrefactorValidationError):
        BulkOutput.validate_status("partial")


def test_keys_at_the_spec_bounds_are_accepted():
    """The bounds themselves are valid keys."""
    for length in (limits.BULK_KEY_MIN_LENGTH, limits.BULK_KEY_MAX_LENGTH):
        assert BulkItem(_type="a/b", idempotency_key="k" * length).idempotency_key == "k" * length


def test_request_construction_refuses_repeated_keys():
    """BulkRequest checks its items when made, naming the repeat."""
    item = three_items()[1]

    with pytest.raises(PrefactorValidationError, match=r"items\[1\]\.idempotency_key"):
        BulkRequest(items=[item, item])


def test_items_keep_their_params_and_cannot_change():
    """Params are readable as attributes and the item is immutable once checked."""
    item = three_items()[1]

    assert item.type == "agent_spans/create"
    assert item.schema_name == "agent:llm"
    assert item.params["status"] == "active"
    with pytest.raises(AttributeError):
        item.idempotency_key = "x"  # type: ignore[misc]
    with pytest.raises(AttributeError):
        _ = item.not_a_param


def odd_items() -> list[BulkItem]:
    """Items whose params hold what JSON escapes or nests: non-ASCII, quotes, floats, nulls."""
    return [
        *three_items(),
        BulkItem(
            _type='a/"b"',
            idempotency_key='key-"\\-01',
            text="déjà vu \u4e2d \U0001f600 \n\t\x00",
            numbers=[0.1, -0.0, 1e300, 12345678901234567890, True, None],
            nested={"a": {"b": [{"c": []}, {}]}},
        ),
        BulkItem(_type="a/b", idempotency_key="no-params-01"),
    ]


def test_execute_sends_the_bytes_of_each_item_encoded_alone(server, twin):
    """The items are encoded together, and the body is byte for byte the one joined item by item."""
    items = odd_items()
    server.expect_request("/api/v1/bulk").respond_with_json(
        {"outputs": {item.idempotency_key: {"status": "success"} for item in items}}
    )

    twin(lambda c: c.bulk.execute(BulkRequest(items=items)))

    [(request, _)] = server.log
    alone = [encode_item(item, "item") for item in items]
    assert request.get_data() == b'{"items":[' + b",".join(alone) + b"]}"
    assert encode_items(items) == b",".join(alone)


def test_items_some_of_which_need_the_stdlib_encoder_carry_the_same_values():
    """A tuple or an int key (the stdlib's to encode) in one item changes no value of any item."""
    items = [
        *odd_items(),
        BulkItem(_type="a/b", idempotency_key="tuple-item-1", pair=(1e16, 2), by_id={7: "x"}),
    ]

    together = json.loads(b"[" + encode_items(items) + b"]")

    assert together == [json.loads(encode_item(item, "item")) for item in items]
    assert together[-1] == {
        "pair": [1e16, 2],
        "by_id": {"7": "x"},
        "_type": "a/b",
        "idempotency_key": "tuple-item-1",
    }


@pytest.mark.parametrize(
    "bad",
    [{1, 2}, float("nan"), "lone \ud800 surrogate", {"a": {(1, 2): 1}}],
    ids=["set", "nan", "surrogate", "tuple-key"],
)
def test_an_item_json_cannot_encode_is_refused_as_when_encoded_alone(bad):
    """Encoding a list refuses its first bad item with the message of that item encoded alone."""
    items = [*odd_items(), BulkItem(_type="a/b", idempotency_key="bad-item-01", bad=bad)]

    with pytest.raises(PrefactorValidationError) as together:
        encode_items(items, first=10)
    with pytest.raises(PrefactorValidationError) as alone:
        encode_item(items[-1], f"items[{10 + len(items) - 1}]")

    assert str(together.value) == str(alone.value)
    assert together.value.errors == alone.value.errors


def test_an_item_keeps_its_params_apart_from_its_type_and_key():
    """`params`, `to_dict()`, `==`, repr and pickle read as before; the caller's dict is kept."""
    params = {"agent_span_id": "span-1", "status": "complete"}
    item = BulkItem(_type="agent_spans/finish", idempotency_key="finish-span-001", **params)

    assert params == {"agent_span_id": "span-1", "status": "complete"}
    assert item.params == params
    assert item.params is not item.params
    assert list(item.to_dict().items()) == [
        *params.items(),
        ("_type", "agent_spans/finish"),
        ("idempotency_key", "finish-span-001"),
    ]
    assert item.to_dict() is not item.to_dict()
    assert item == three_items()[2]
    assert item != BulkItem(_type="agent_spans/finish", idempotency_key="finish-span-002", **params)
    assert repr(item) == (
        "BulkItem(_type='agent_spans/finish', idempotency_key='finish-span-001', "
        "agent_span_id='span-1', status='complete')"
    )
    assert pickle.loads(pickle.dumps(item)) == item
    with pytest.raises(AttributeError):
        _ = item._wire_is_private


class TaggedItem(BulkItem):
    """A caller's own kind of item."""


@pytest.mark.parametrize(
    ("items", "field"),
    [
        (["x", *three_items(), three_items()[0]], "items[0]"),
        ([*three_items(), three_items()[0], "x"], "items[3].idempotency_key"),
        ([*three_items()[:2], None, three_items()[1]], "items[2]"),
        (
            [*three_items(), TaggedItem(_type="a/b", idempotency_key="create-span-001")],
            "items[3].idempotency_key",
        ),
    ],
    ids=["non-item-first", "repeat-first", "none", "repeat-of-a-subclass"],
)
def test_the_first_problem_in_order_is_named(items, field):
    """A non-item or a repeated key, whichever comes first, is the one named."""
    with pytest.raises(PrefactorValidationError) as caught:
        BulkRequest(items=items)

    assert list(caught.value.errors) == [field]


def test_items_of_a_subclass_are_items():
    """A subclass of BulkItem passes the checks like BulkItem itself."""
    items = [*three_items(), TaggedItem(_type="a/b", idempotency_key="tagged-item-1")]

    assert BulkRequest(items=items).items == items


def test_a_span_create_item_takes_what_the_single_call_takes(api, prefactor_server, twin):
    """Without a payload, a bulk span create is filled in as `agent_spans.create` fills it."""
    instance_id = started_instance(api)
    client = twin.new_client(api_url=prefactor_server.url, api_token=prefactor_server.token)
    single = twin(lambda c: c.agent_spans.create(instance_id, "agent:llm", "active"), client)
    item = BulkItem(
        _type="agent_spans/create",
        idempotency_key="bulk-span-without-payload",
        agent_instance_id=instance_id,
        schema_name="agent:llm",
        status="active",
    )

    response = twin(lambda c: c.bulk.execute(BulkRequest(items=[item])), client)

    output = response.outputs["bulk-span-without-payload"]
    assert output.status == "success", output
    assert output.details["payload"] == single.payload == {}
    assert [span["payload"] for span in prefactor_server.state()["spans"].values()] == [{}, {}]
