"""Reading bulk answers: outputs' details read on first use, exactly as if read with the answer."""

from __future__ import annotations

import copy
import json
import math
import pickle
import sys

import pytest
from conftest import instance_json, span_json

from prefactor_http import BulkItem, BulkOutput, BulkRequest
from prefactor_http._bodies import Answer
from prefactor_http._operations import bulk
from prefactor_http.exceptions import PrefactorResponseContractError

KEYS = ["bulk-key-01", "bulk-key-02", "bulk-key-03"]
SPAN = span_json(payload={"model": "m", "n": [1, 2.5, None, True], "text": "d\u00e9j\u00e0 \u4e2d"})


def items() -> list[BulkItem]:
    return [BulkItem(_type="agent_spans/create", idempotency_key=key) for key in KEYS]


def answer(body: bytes) -> Answer:
    return Answer(200, {"content-type": "application/json"}, body, "OK", {})


def outputs(key_body: str) -> bytes:
    return ('{"status":"success","outputs":{' + key_body + "}}").encode()


def details_body(details: str) -> bytes:
    return outputs('"bulk-key-01":{"status":"success","details":' + details + "}")


WELL_FORMED = [
    json.dumps(
        {
            "status": "success",
            "outputs": {
                "bulk-key-01": {"status": "success", "details": SPAN},
                "bulk-key-02": {"status": "success", "details": instance_json()},
                "bulk-key-03": {
                    "status": "error",
                    "code": "validation_error",
                    "message": "Validation failed",
                    "errors": {"schema_name": ["is not registered"]},
                },
            },
        },
        ensure_ascii=False,
    ).encode(),
    b'{"outputs":{"bulk-key-01":{"status":"success"},"bulk-key-02":{"status":"success",'
    b'"details":null,"code":null,"message":null,"errors":null}}}',
    b'{"status":"","outputs":{"bulk-key-01":{"status":"success","errors":{}}}}',
    b'{"status":null,"outputs":{}}',
    details_body('{"a":1,"a":2,"b":[]}'),  # a repeated name: the last value, in the first place
    outputs('"bulk-key-01":{"status":"error"},"bulk-key-01":{"status":"success","details":1}'),
    details_body("[1e400,-1e400,1e-400,-0.0,12345678901234567890123456789,1E+2]"),
    details_body('"\\ud83d\\ude00 \\u00e9 \\/"'),
    details_body("[" * 60 + "]" * 60),
]
# Each is read by the checked read only: refused, or holding what the typed read leaves to it.
OTHERS = [
    b"",
    b"[]",
    b"nul",
    b'{"status":"success"}',
    b'{"status":"success","outputs":[]}',
    b'{"status":0,"outputs":{}}',
    b'{"status":false,"outputs":{}}',
    b'{"status":["x"],"outputs":{}}',
    b'{"status":"success","outputs":{},"trace":"t"}',
    outputs('"bulk-key-01":"success"'),
    outputs('"bulk-key-01":{}'),
    outputs('"bulk-key-01":{"status":"partial"}'),
    outputs('"bulk-key-01":{"status":null}'),
    outputs('"bulk-key-01":{"status":"error","errors":"bad"}'),
    outputs('"bulk-key-01":{"status":"error","errors":["a"]}'),
    outputs('"bulk-key-01":{"status":"error","errors":0}'),
    outputs('"bulk-key-01":{"status":"error","errors":[]}'),
    outputs('"bulk-key-01":{"status":"error","errors":""}'),
    outputs('"bulk-key-01":{"status":"error","code":5,"message":["m"]}'),
    outputs('"bulk-key-01":{"status":"error","errors":{"a":1e400}}'),
    outputs('"bulk-key-01":{"status":"error","trace_id":"t-9","_x":1}'),
    outputs('"bulk-key-01":{"status":"error","extra":{"a":1}}'),
    "\ufeff".encode() + WELL_FORMED[0],  # a byte order mark
    WELL_FORMED[0].decode().encode("utf-16"),
    details_body("NaN"),
    details_body("[Infinity]"),
    details_body('"\\ud800"'),  # a lone surrogate
    details_body('"\\x"'),
    details_body("[1,]"),
    details_body("[01]"),
    details_body("[" * 5000 + "]" * 5000),
    details_body("1" * 5000),
    details_body("[" + "1" * 5000 + ".5]"),  # long enough to be read now: msgspec refuses it
]
RAW_BYTES = [  # not text at all, in `details` where the typed read does not look at it
    details_body('"@"').replace(b"@", b"\xff"),
    details_body('"@"').replace(b"@", b"\xed\xa0\x80"),  # an encoded surrogate: json reads it
    details_body('"@"').replace(b"@", b"\xc0\xaf"),
    details_body('{"@":1}').replace(b"@", b"\xf4\x90\x80\x80"),
]


def outcome(read, body: bytes, keep_details: bool) -> object:
    """What a caller can see of reading `body`: the error, or every field of every output."""
    try:
        response = read(KEYS, answer(body), keep_details)
    except PrefactorResponseContractError as exc:
        return type(exc), str(exc)
    return (
        response.status,
        response.requested_keys,
        [
            (
                key,
                output is bulk._DELIVERED,
                repr(output.details),
                output.status,
                output.code,
                output.message,
                repr(output.errors),
                repr(output.extra),
                repr(output),
            )
            for key, output in response.outputs.items()
        ],
    )


@pytest.mark.parametrize("keep_details", [True, False])
@pytest.mark.parametrize("body", WELL_FORMED + OTHERS + RAW_BYTES)
def test_the_typed_read_and_the_checked_read_agree(body, keep_details):
    """Every answer reads as the checked read (msgspec, then json) reads it, or fails as it does."""
    assert outcome(bulk._bulk_response, body, keep_details) == outcome(
        bulk._checked_response, body, keep_details
    )


@pytest.mark.parametrize("body", WELL_FORMED)
def test_well_formed_answers_take_the_typed_read(body):
    """The answers the API sends leave their details unread until asked for."""
    assert bulk._typed_response(KEYS, body, True, {}) is not None


@pytest.mark.parametrize("body", OTHERS + RAW_BYTES)
def test_anything_else_takes_the_checked_read(body):
    """A field or type the typed read does not know, and any unreadable answer, is read checked."""
    assert bulk._typed_response(KEYS, body, True, {}) is None


def test_details_read_on_first_use_equal_those_of_the_answer(server, twin):
    """Each client's outputs hold the answer's details and errors, the details read when asked."""
    body = WELL_FORMED[0]
    server.expect_request("/api/v1/bulk").respond_with_data(body, content_type="application/json")

    response = twin(lambda c: c.bulk.execute(BulkRequest(items=items())))

    wire = json.loads(body)["outputs"]
    first = response.outputs["bulk-key-01"]
    assert first._raw is not None  # not read yet
    assert first.details == SPAN == wire["bulk-key-01"]["details"]
    assert first.details is first.details
    assert response.outputs["bulk-key-02"].details == wire["bulk-key-02"]["details"]
    failed = response.outputs["bulk-key-03"]
    assert (failed.code, failed.errors, failed.extra) == (
        "validation_error",
        {"schema_name": ["is not registered"]},
        {},
    )
    assert response.failed == "bulk-key-03"


def test_numbers_a_double_cannot_hold_read_as_json_reads_them(server, twin):
    """A float beyond a double is infinite, as the stdlib reads it, and the answer still reads."""
    server.expect_request("/api/v1/bulk").respond_with_data(
        details_body('{"big":1e400,"small":-1e999,"n":123456789012345678901234567890}'),
        content_type="application/json",
    )

    # One item, the one the answer holds: an answer missing the others breaks the bulk contract.
    response = twin(lambda c: c.bulk.execute(BulkRequest(items=items()[:1])))

    assert response.outputs["bulk-key-01"].details == {
        "big": math.inf,
        "small": -math.inf,
        "n": 123456789012345678901234567890,
    }


@pytest.fixture
def digit_limit():
    """Set `sys.set_int_max_str_digits` for the test; put it back after."""
    before = sys.get_int_max_str_digits()
    yield sys.set_int_max_str_digits
    sys.set_int_max_str_digits(before)


def test_an_integer_over_the_digit_limit_is_refused_with_the_answer(digit_limit):
    """Details json cannot read are refused when the answer is read, not when first used."""
    body = details_body("[" + "7" * 700 + "]")
    digit_limit(640)

    assert bulk._typed_response(KEYS, body, False, {}) is None
    with pytest.raises(PrefactorResponseContractError, match="not a JSON object"):
        bulk._bulk_response(KEYS, answer(body), False)


def test_details_read_before_the_digit_limit_was_lowered_still_read(digit_limit):
    """The answer was read under the limit then in force; lowering it later changes nothing."""
    body = details_body("[" + "7" * 2000 + "]")
    expected = [int("7" * 2000)]
    output = bulk._bulk_response(KEYS, answer(body), True).outputs["bulk-key-01"]
    digit_limit(640)

    assert output.details == expected


def test_errors_and_extra_made_on_first_use_are_each_outputs_own():
    """Outputs that had none get a dict of their own when read, kept for the next read."""
    body = outputs('"bulk-key-01":{"status":"error"},"bulk-key-02":{"status":"error"}')
    first, second = bulk._bulk_response(KEYS, answer(body), False).outputs.values()

    first.errors["f"] = ["bad"]
    first.extra["trace_id"] = "t"

    assert (second.errors, second.extra) == ({}, {})
    assert first.errors == {"f": ["bad"]}
    assert first.trace_id == "t"
    with pytest.raises(AttributeError, match="trace_id"):
        _ = second.trace_id


def test_details_set_before_first_use_replace_the_answers():
    """Assigning `details` wins over the answer's, read or not."""
    output = bulk._bulk_response(KEYS, answer(details_body("[1]")), True).outputs["bulk-key-01"]

    output.details = {"mine": True}

    assert output.details == {"mine": True}


def test_an_output_read_from_an_answer_pickles_as_one_built_whole():
    """Details not yet read pickle (and copy) as the same state as an output made by hand."""
    body = WELL_FORMED[0]
    read = bulk._bulk_response(KEYS, answer(body), True).outputs
    wire = json.loads(body)["outputs"]

    for key in wire:
        whole = BulkOutput(**wire[key])
        assert pickle.dumps(read[key]) == pickle.dumps(whole)
        assert pickle.loads(pickle.dumps(read[key])) == whole
        assert copy.copy(read[key]) == whole
        assert copy.deepcopy(read[key]) == whole


def test_an_output_kept_holds_its_own_details_not_the_whole_answer():
    """Details left as JSON are each output's own bytes, not a view keeping the answer alive."""
    response = bulk._bulk_response(KEYS, answer(WELL_FORMED[0]), True)

    for output in response.outputs.values():
        if output._raw is not None:
            assert output._raw.copy() is output._raw  # already its own buffer


def test_details_that_could_hold_an_over_long_integer_are_read_with_the_answer(digit_limit):
    """Details longer than the digit limit are read at once, and read as the checked read does."""
    digit_limit(640)
    body = details_body('{"text":"' + "x" * 700 + '","n":[' + "9" * 600 + "]}")

    output = bulk._typed_response(KEYS, body, True, {}).outputs["bulk-key-01"]

    assert output._raw is None
    assert output.details == {"text": "x" * 700, "n": [int("9" * 600)]}
    assert outcome(bulk._bulk_response, body, True) == outcome(bulk._checked_response, body, True)
