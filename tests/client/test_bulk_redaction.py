"""A bulk refusal that echoes the token hides it wherever it goes: results, errors, logs."""

from __future__ import annotations

import json
import logging
import pickle
import traceback

import pytest
from werkzeug import Request, Response

from prefactor_http import BulkRequest, PrefactorDeliveryError
from tests.support.bulk import keys_of, sent_keys, span_items
from tests.support.writers import NEVER, Writers, run_script

# A token with characters that percent-encoding and JSON escape: '/', '+', '='.
TOKEN = "pf-live/8c1e6f+Qx0Zk29aT/w=="
MARK = "[redacted]"


def echoing_bulk(shape: str):
    """A bulk handler that runs the first item and refuses the second, echoing the token.

    The refusal quotes the Authorization header it got in every field it has:
    code, message, errors (keys and messages), details, and, for the
    "checked" shape, a field the spec does not list (which sends the answer
    to the checked read instead of the typed one).
    """

    def handle(request: Request) -> Response:
        header = request.headers["Authorization"]
        first, second, *_ = json.loads(request.get_data())["items"]
        refusal = {
            "status": "error",
            "code": f"denied:{header}",
            "message": f"{header} may not write spans",
            "errors": {header: [f"{header} is not allowed"]},
            "details": {"echo": [header, {header: header}]},
        }
        if shape == "checked":
            refusal["hint"] = f"check {header}"
        outputs = {
            first["idempotency_key"]: {"status": "success", "details": {"id": "span-1"}},
            second["idempotency_key"]: refusal,
        }
        body = {"status": f"partial for {header}", "outputs": outputs}
        return Response(json.dumps(body), 200, content_type="application/json")

    return handle


def assert_hidden(shown: dict[str, str | bytes]) -> None:
    """No text shown holds the token, not even its first 8 characters."""
    for where, text in shown.items():
        part = TOKEN[:8].encode() if isinstance(text, bytes) else TOKEN[:8]
        assert part not in text, f"{where}: {text!r}"


def refusal_shown(output) -> dict[str, str | bytes]:
    """Every text of a refused output a caller may see."""
    return {
        "repr": repr(output),
        "code": str(output.code),
        "message": str(output.message),
        "errors": repr(output.errors),
        "details": repr(output.details),
        "extra": repr(output.extra),
        "pickle": pickle.dumps(output),
    }


@pytest.mark.parametrize("shape", ["typed", "checked"])
def test_execute_hides_a_token_a_refusal_echoes(server, twin, shape):
    """The refused output and the response hold the marker, never the token."""
    server.expect_request("/api/v1/bulk").respond_with_handler(echoing_bulk(shape))
    items = span_items(3)
    client = twin.new_client(api_token=TOKEN)

    response = twin(lambda c: c.bulk.execute(BulkRequest(items=items)), client)

    assert (response.succeeded, response.failed) == (keys_of(items[:1]), items[1].idempotency_key)
    refused = response.outputs[items[1].idempotency_key]
    assert_hidden(
        {
            **refusal_shown(refused),
            "status": response.status,
            "response": repr(response),
            "response pickle": pickle.dumps(response),
        }
    )
    assert refused.message == f"Bearer {MARK} may not write spans"
    assert refused.code == f"denied:Bearer {MARK}"
    assert refused.errors == {f"Bearer {MARK}": [f"Bearer {MARK} is not allowed"]}
    assert refused.details == {"echo": [f"Bearer {MARK}", {f"Bearer {MARK}": f"Bearer {MARK}"}]}
    if shape == "checked":
        assert refused.extra == {"hint": f"check Bearer {MARK}"}
    assert response.status == f"partial for Bearer {MARK}"


@pytest.mark.parametrize("shape", ["typed", "checked"])
def test_execute_many_hides_a_token_a_refusal_echoes(server, twin, shape):
    """The run's result, its refused output and its pickle hold the marker, never the token."""
    server.expect_request("/api/v1/bulk").respond_with_handler(echoing_bulk(shape))
    items = span_items(5)
    client = twin.new_client(api_token=TOKEN)

    result = twin(lambda c: c.bulk.execute_many(items, chunk_size=3), client)

    assert result.failed == items[1].idempotency_key
    assert result.not_sent == keys_of(items[3:])
    refused = result.outputs[result.failed]
    assert_hidden(
        {**refusal_shown(refused), "result": repr(result), "result pickle": pickle.dumps(result)}
    )
    assert MARK in refused.message


def test_a_writers_delivery_error_hides_a_token_a_refusal_echoes(server, twin, caplog):
    """PrefactorDeliveryError and its WriteFailure: str, repr, traceback, pickle and the log."""
    caplog.set_level(logging.DEBUG, logger="prefactor_http")
    server.expect_request("/api/v1/bulk").respond_with_handler(echoing_bulk("typed"))
    items = span_items(2)
    writers = Writers(twin)
    writer = writers.make(twin.new_client(api_token=TOKEN), max_items=100, flush_interval=NEVER)
    writers.write(writer, items)

    with pytest.raises(PrefactorDeliveryError) as caught:
        writers.run(writer.close)

    error = caught.value
    [failure] = error.failures
    assert failure.item is items[1]
    copy = pickle.loads(pickle.dumps(error))
    assert_hidden(
        {
            "str": str(error),
            "repr": repr(error),
            "traceback": "".join(traceback.format_exception(error)),
            "pickle": pickle.dumps(error),
            "failure": repr(failure),
            "unpickled str": str(copy),
            "unpickled failure": repr(copy.failures[0]),
            **refusal_shown(failure.output),
            "log": caplog.text,
        }
    )
    assert f"Bearer {MARK} may not write spans" in str(error)
    assert MARK in repr(failure)
    assert str(copy) == str(error)
    assert sent_keys(server) == [keys_of(items)]


EXIT_SCRIPT = """
import logging
logging.basicConfig()  # the package logger prints nothing until the application configures logging
from prefactor_http import BulkItem, HttpClientConfig, SyncPrefactorHttpClient, SyncSpanWriter
config = HttpClientConfig(api_url={url!r}, api_token={token!r}, max_retries=0)
writer = SyncSpanWriter(SyncPrefactorHttpClient(config), flush_interval=3600)
for i in range(2):
    writer.write(BulkItem(_type="agent_spans/create", idempotency_key=f"exit-key-{{i}}",
                          agent_instance_id="inst-1", schema_name="agent:llm",
                          status="active", payload={{}}))
"""


def test_the_writers_exit_log_line_hides_a_token_a_refusal_echoes(server):
    """The warning the blocking writer logs at interpreter exit names the refusal, redacted."""
    server.expect_request("/api/v1/bulk").respond_with_handler(echoing_bulk("typed"))
    url = server.url_for("/").rstrip("/")

    done = run_script(EXIT_SCRIPT.format(url=url, token=TOKEN))

    assert done.returncode == 0, done.stderr
    assert "1 accepted item(s) not delivered" in done.stderr
    assert f"Bearer {MARK} may not write spans" in done.stderr
    assert TOKEN[:8] not in done.stderr + done.stdout
