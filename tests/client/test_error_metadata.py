"""Errors carry the URL called and, when an answer came, its status, headers and request id."""

from __future__ import annotations

import pickle
import re

import pytest
from conftest import TOKEN, error

from prefactor_http import (
    PrefactorNetworkError,
    PrefactorNotFoundError,
    PrefactorResponseContractError,
    PrefactorResponseTooLargeError,
    PrefactorRetryExhaustedError,
    PrefactorServerError,
)

GET_PATH = "/api/v1/agent_instance/inst-1"
SERVER_ID = re.compile(r"^req_[0-9a-f]{24}$")


def test_an_api_error_carries_the_request_id_headers_and_url(server, twin):
    """A 404: the answer's request id and headers, the URL called, the status."""
    server.expect_request(GET_PATH).respond_with_json(
        error("not_found", "no such instance"),
        status=404,
        headers={"X-Request-Id": "req-404", "X-Other": "o"},
    )

    with pytest.raises(PrefactorNotFoundError) as caught:
        twin(lambda c: c.agent_instances.get("inst-1"))

    assert caught.value.request_id == "req-404"
    assert caught.value.status_code == 404
    assert caught.value.url == server.url_for(GET_PATH)
    assert caught.value.headers is not None
    assert caught.value.headers["x-other"] == "o"
    assert str(caught.value).startswith(f"GET {GET_PATH}: HTTP 404 [not_found]")


def test_the_message_names_the_path_actually_called_under_api_url_with_a_path(
    prefactor_server, twin
):
    """`api_url` ending in /api/v1: the call goes to /api/v1/api/v1/..., and the error says so."""
    client = twin.new_client(api_url=f"{prefactor_server.url}/api/v1", api_token=TOKEN)

    with pytest.raises(PrefactorNotFoundError) as caught:
        twin(lambda c: c.agent_spans.finish("span-1"), client)

    called = "/api/v1/api/v1/agent_spans/span-1/finish"
    assert prefactor_server.requests[-1].path == called
    assert caught.value.path == called
    assert str(caught.value).startswith(f"POST {called}: HTTP 404")
    assert caught.value.url == f"{prefactor_server.url}{called}"
    assert SERVER_ID.match(caught.value.request_id or "")


def test_a_contract_error_carries_the_request_id_and_url(server, twin):
    """A 200 that is not the API's JSON: the answer's request id, its status, the URL."""
    server.expect_request(GET_PATH).respond_with_data(
        "<html>proxy</html>", content_type="text/html", headers={"X-Request-Id": "req-html"}
    )

    with pytest.raises(PrefactorResponseContractError) as caught:
        twin(lambda c: c.agent_instances.get("inst-1"))

    assert caught.value.request_id == "req-html"
    assert caught.value.status_code == 200
    assert caught.value.url == server.url_for(GET_PATH)


def test_a_too_large_answer_still_carries_its_request_id(server, twin):
    """An answer dropped for its size: its headers were read, so its request id is there."""
    server.expect_request(GET_PATH).respond_with_data(
        "x" * 2000, headers={"X-Request-Id": "req-big"}
    )
    client = twin.new_client(max_response_bytes=1024)

    with pytest.raises(PrefactorResponseTooLargeError) as caught:
        twin(lambda c: c.agent_instances.get("inst-1"), client)

    assert caught.value.request_id == "req-big"
    assert caught.value.url == server.url_for(GET_PATH)


def test_retries_exhausted_carry_the_last_answer(server, twin):
    """Every attempt a 503: the exhausted error has the last answer's id, status and URL."""
    for number in (1, 2):
        server.expect_ordered_request(GET_PATH).respond_with_json(
            error("unavailable", "later"),
            status=503,
            headers={"X-Request-Id": f"req-{number}"},
        )
    client = twin.new_client(max_retries=1)

    with pytest.raises(PrefactorRetryExhaustedError) as caught:
        twin(lambda c: c.agent_instances.get("inst-1"), client)

    exhausted = caught.value
    assert exhausted.request_id == "req-2"
    assert exhausted.status_code == 503
    assert exhausted.url == server.url_for(GET_PATH)
    assert isinstance(exhausted.last_error, PrefactorServerError)
    assert exhausted.last_error.request_id == "req-2"


def test_a_network_error_carries_the_url_and_no_request_id(twin, refusing_url):
    """No answer: the URL called, and neither headers nor a request id."""
    client = twin.new_client(api_url=refusing_url, max_retries=0)

    with pytest.raises(PrefactorNetworkError) as caught:
        twin(lambda c: c.agent_instances.get("inst-1"), client)

    assert caught.value.url == f"{refusing_url}{GET_PATH}"
    assert caught.value.request_id is None
    assert caught.value.headers is None


def test_the_url_and_message_hide_the_token(server, twin):
    """A token in the path called is redacted in `url` and the message alike."""
    path = f"/api/v1/agent_instance/{TOKEN}"
    server.expect_request(path).respond_with_json(error("not_found", "gone"), status=404)

    with pytest.raises(PrefactorNotFoundError) as caught:
        twin(lambda c: c.agent_instances.get(TOKEN))

    assert TOKEN not in (caught.value.url or "")
    assert "[redacted]" in (caught.value.url or "")
    assert TOKEN not in str(caught.value)


def test_an_error_pickles_with_its_answer_metadata(server, twin):
    """A process pool hands the error over with its request id, URL and headers."""
    server.expect_request(GET_PATH).respond_with_json(
        error("not_found", "gone"), status=404, headers={"X-Request-Id": "req-pickled"}
    )
    with pytest.raises(PrefactorNotFoundError) as caught:
        twin(lambda c: c.agent_instances.get("inst-1"))

    copy = pickle.loads(pickle.dumps(caught.value))

    assert (copy.request_id, copy.url) == ("req-pickled", server.url_for(GET_PATH))
    assert copy.headers is not None
    assert copy.headers["X-Request-Id"] == "req-pickled"
    assert str(copy) == str(caught.value)
