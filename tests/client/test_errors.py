"""Error answers: each status becomes its exception, with method, path, status, code, message."""

from __future__ import annotations

import re

import pytest
from conftest import TOKEN, error, instance_json, sent, span_json, success

from prefactor_http import (
    PrefactorApiError,
    PrefactorAuthError,
    PrefactorConflictError,
    PrefactorHttpError,
    PrefactorNetworkError,
    PrefactorNotFoundError,
    PrefactorRateLimitError,
    PrefactorResponseContractError,
    PrefactorRetryExhaustedError,
    PrefactorServerError,
    PrefactorValidationError,
    is_permanent_http_error,
    is_transient_http_error,
)

STATUS_CLASSES = [
    (400, PrefactorValidationError),
    (401, PrefactorAuthError),
    (403, PrefactorAuthError),
    (404, PrefactorNotFoundError),
    (409, PrefactorConflictError),
    (422, PrefactorValidationError),
    (429, PrefactorRateLimitError),
    (500, PrefactorServerError),
    (502, PrefactorServerError),
    (503, PrefactorServerError),
    (504, PrefactorServerError),
    (418, PrefactorApiError),
]


@pytest.mark.parametrize(("status", "cls"), STATUS_CLASSES)
def test_each_error_status_maps_to_its_exception(server, twin, status, cls):
    """The error envelope becomes the status's exception, naming the call and the server's words."""
    server.expect_request("/api/v1/agent_instance/inst-1/finish").respond_with_json(
        error("some_code", "the server's message"), status=status
    )

    with pytest.raises(PrefactorHttpError) as caught:
        twin(
            lambda c: c.agent_instances.finish("inst-1", status="complete"),
            twin.new_client(max_retries=0),
        )

    err = caught.value
    assert type(err) is cls
    assert (err.status_code, err.code, err.message) == (status, "some_code", "the server's message")
    assert (err.method, err.path) == ("POST", "/api/v1/agent_instance/inst-1/finish")
    text = str(err)
    for part in (
        "POST",
        "/api/v1/agent_instance/inst-1/finish",
        str(status),
        "some_code",
        "the server's message",
    ):
        assert part in text
    assert len(sent(server)) == 1


def test_validation_errors_carry_the_fields(server, twin):
    """A 422 keeps the server's per-field messages in `.errors` and in the text."""
    server.expect_request("/api/v1/agent_spans").respond_with_json(
        error(
            "validation_error",
            "Validation failed",
            errors={
                "details.schema_name": ["is not registered"],
                "details.payload": ["bad", "worse"],
            },
        ),
        status=422,
    )

    with pytest.raises(PrefactorValidationError) as caught:
        twin(lambda c: c.agent_spans.create("inst-1", "agent:nope", "active"))

    assert caught.value.errors == {
        "details.schema_name": ["is not registered"],
        "details.payload": ["bad", "worse"],
    }
    assert "details.schema_name: is not registered" in str(caught.value)
    assert is_permanent_http_error(caught.value)
    assert not is_transient_http_error(caught.value)


def test_non_json_error_body_is_still_mapped(server, twin):
    """A proxy's HTML 404 becomes PrefactorNotFoundError with a snippet of the page."""
    server.expect_request("/api/v1/agent_instance/inst-1").respond_with_data(
        "<html><body>Not Found</body></html>", status=404, content_type="text/html"
    )

    with pytest.raises(PrefactorNotFoundError) as caught:
        twin(lambda c: c.agent_instances.get("inst-1"))

    assert caught.value.code is None
    assert "<html><body>Not Found" in str(caught.value)
    assert "GET /api/v1/agent_instance/inst-1" in str(caught.value)


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        ("<html>gateway says hi</html>", "text/html"),
        ("", "application/json"),
        ("[1, 2]", "application/json"),
        ('{"status": "success"}', "application/json"),
        ('{"status": "success", "details": {"id": "inst-1"}}', "application/json"),
    ],
    ids=["html", "empty", "array", "no-details", "details-missing-fields"],
)
def test_success_status_with_a_broken_body_is_a_contract_error(server, twin, body, content_type):
    """A 200 that is not the promised JSON raises PrefactorResponseContractError."""
    server.expect_request("/api/v1/agent_instance/inst-1").respond_with_data(
        body, status=200, content_type=content_type
    )

    with pytest.raises(PrefactorResponseContractError) as caught:
        twin(lambda c: c.agent_instances.get("inst-1"))

    err = caught.value
    assert err.status_code == 200
    assert err.body_snippet == body[:200]
    assert "GET /api/v1/agent_instance/inst-1" in str(err)
    assert is_permanent_http_error(err)
    assert len(sent(server)) == 1


def test_a_status_added_to_the_api_later_passes_through(server, twin):
    """A status outside today's set is handed back as it came, not an error after the fact."""
    server.expect_request("/api/v1/agent_instance/inst-1").respond_with_json(
        success(instance_json(status="hibernating"))
    )

    assert twin(lambda c: c.agent_instances.get("inst-1")).status == "hibernating"


@pytest.mark.parametrize(
    ("error_value", "transient"),
    [
        (PrefactorServerError("down", "x", 503), True),
        (PrefactorRateLimitError("slow", "x", 429), True),
        (PrefactorApiError("timeout", None, 408), True),
        (PrefactorNetworkError("refused"), True),
        (PrefactorRetryExhaustedError("gave up", PrefactorServerError("down", "x", 503)), True),
        (PrefactorNotFoundError("gone", "x", 404), False),
        (PrefactorAuthError("no", "x", 401), False),
        (PrefactorConflictError("done", "x", 409), False),
        (PrefactorValidationError("bad", "x", 422), False),
        (PrefactorResponseContractError("html", 200, "<html>"), False),
    ],
)
def test_transient_and_permanent_classification(error_value, transient):
    """Exactly one of the two predicates holds for each error of the package."""
    assert is_transient_http_error(error_value) is transient
    assert is_permanent_http_error(error_value) is (not transient)


def test_foreign_exceptions_are_neither_transient_nor_permanent():
    """Only the package's own errors are classified."""
    assert not is_transient_http_error(ValueError("x"))
    assert not is_permanent_http_error(ValueError("x"))


@pytest.mark.parametrize(
    ("override", "named"),
    [
        ({"id": None}, "details.id: expected str, got NoneType"),
        ({"id": 5}, "details.id: expected str, got int"),
        ({"started_at": [1]}, "details.started_at: expected datetime or null, got list"),
        ({"termination_reason": 7}, "details.termination_reason: expected null or str, got int"),
        ({"inserted_at": "garbage"}, "unreadable answer"),
        (
            {"span_counts": {**instance_json()["span_counts"], "total": "x"}},
            "details.span_counts.total: expected int, got str",
        ),
        ({"inserted_at": None}, "unreadable answer"),
        ({"updated_at": None}, "unreadable answer"),
    ],
)
def test_wrong_typed_fields_in_a_success_are_contract_errors(server, twin, override, named):
    """A 2xx whose fields lack their declared types is refused, naming the field where it can."""
    server.expect_request("/api/v1/agent_instance/inst-1").respond_with_json(
        success(instance_json(**override))
    )

    with pytest.raises(PrefactorResponseContractError, match=re.escape(named)):
        twin(lambda c: c.agent_instances.get("inst-1"))


def test_a_server_echoing_the_token_is_redacted(server, twin):
    """A proxy that echoes the request back does not put the token into errors."""
    echo = f"GET /api/v1/ping HTTP/1.1\r\nAuthorization: Bearer {TOKEN}\r\n"
    server.expect_ordered_request("/api/v1/agent_instance/inst-1").respond_with_json(
        error(f"bad {TOKEN}", echo, errors={TOKEN: [echo]}), status=400
    )
    server.expect_ordered_request("/api/v1/agent_instance/inst-1").respond_with_data(
        echo, status=200
    )

    with pytest.raises(PrefactorValidationError) as first:
        twin(lambda c: c.agent_instances.get("inst-1"))
    with pytest.raises(PrefactorResponseContractError) as second:
        twin(lambda c: c.agent_instances.get("inst-1"))

    for caught in (first.value, second.value):
        assert TOKEN not in str(caught)
        assert TOKEN not in repr(caught)
        assert "[redacted]" in str(caught)
    assert TOKEN not in str(first.value.errors)
    assert TOKEN not in second.value.body_snippet
    assert TOKEN not in repr(twin.client)


@pytest.mark.parametrize(
    ("status", "cls"), [(400, PrefactorValidationError), (503, PrefactorRetryExhaustedError)]
)
def test_a_deeply_nested_error_body_is_still_mapped(server, twin, status, cls):
    """JSON too deep to parse is treated as an unreadable body, not a RecursionError."""
    server.expect_request("/api/v1/agent_instance/inst-1").respond_with_data(
        "[" * 200000 + "]" * 200000, status=status, content_type="application/json"
    )

    with pytest.raises(cls):
        twin(lambda c: c.agent_instances.get("inst-1"), twin.new_client(max_retries=1))


def test_a_span_payload_that_is_not_an_object_is_a_contract_error(server, twin):
    """A span answer whose payload is not a JSON object is refused, naming the field."""
    server.expect_request("/api/v1/agent_spans").respond_with_json(
        success(span_json(payload="not an object"))
    )

    with pytest.raises(PrefactorResponseContractError, match=r"details\.payload"):
        twin(lambda c: c.agent_spans.create("inst-1", "agent:llm", "active"))


def test_a_short_token_does_not_shred_messages(server, twin):
    """Redaction replaces whole occurrences only: a one-letter token leaves words intact."""
    server.expect_request("/api/v1/agent_instance/inst-1").respond_with_json(
        error("not_found", "the instance is not there, t"), status=404
    )

    with pytest.raises(PrefactorNotFoundError) as caught:
        twin(lambda c: c.agent_instances.get("inst-1"), twin.new_client(api_token="t"))

    assert caught.value.message == "the instance is not there, [redacted]"


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_a_redirect_is_not_followed_and_the_error_names_its_location(server, twin, status):
    """A 3xx raises PrefactorApiError naming the Location; the redirect target is never asked."""
    target = server.url_for("/api/v1/agent_instance/inst-2")
    server.expect_request("/api/v1/agent_instance/inst-1").respond_with_data(
        "", status=status, headers={"Location": target}
    )
    server.expect_request("/api/v1/agent_instance/inst-2").respond_with_json(
        success(instance_json(id="inst-2"))
    )

    with pytest.raises(PrefactorApiError) as caught:
        twin(lambda c: c.agent_instances.get("inst-1"))

    assert caught.value.status_code == status
    assert f"redirected to {target}: not followed" in str(caught.value)
    assert [path for _, path, _, _ in sent(server)] == ["/api/v1/agent_instance/inst-1"]


def test_a_location_holding_the_token_is_named_redacted(server, twin):
    """The Location quoted in a redirect's error has the token taken out."""
    server.expect_request("/api/v1/agent_instance/inst-1").respond_with_data(
        "", status=302, headers={"Location": f"https://sso.example/login?auth=Bearer%20{TOKEN}"}
    )

    with pytest.raises(PrefactorApiError) as caught:
        twin(lambda c: c.agent_instances.get("inst-1"))

    assert "redirected to https://sso.example/login?auth=Bearer%20[redacted]" in str(caught.value)
    assert TOKEN not in repr(caught.value)
