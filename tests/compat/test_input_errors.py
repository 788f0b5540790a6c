"""Bad input that 0.4.3 refused with a ValueError is still caught by `except ValueError`.

Each error keeps 0.4.3's key phrase (its message, read off 0.4.3 by running
it in the compat venv) and our own detail, and nothing is sent. Errors from
the API itself (a 422) keep their class, which is not a ValueError.
"""

from __future__ import annotations

from typing import Any

import pytest
from conftest import error, sent

from prefactor_http import (
    BulkItem,
    BulkRequest,
    HttpClientConfig,
    PrefactorHttpClient,
    PrefactorInputError,
    PrefactorValidationError,
    SyncPrefactorHttpClient,
)
from tests.support.public_client import run_public

LONG_KEY = "k" * 65
VERSION = {"name": "Support bot", "external_identifier": "v1"}
SCHEMA = {"external_identifier": "schema-v1"}

# The messages 0.4.3 gives for the same bad input, read off it once per session.
PUBLIC_MESSAGES = """
import asyncio
from prefactor_http import HttpClientConfig, PrefactorHttpClient, BulkItem, BulkRequest
out = {}
def catch(name, action):
    try:
        action()
    except ValueError as exc:
        out[name] = str(exc)
catch("no api_url", lambda: HttpClientConfig(api_url="", api_token="t"))
catch("no api_token", lambda: HttpClientConfig(api_url="http://127.0.0.1:9", api_token=""))
catch("negative retries", lambda: HttpClientConfig(
    api_url="http://127.0.0.1:9", api_token="t", max_retries=-1))
catch("short bulk key", lambda: BulkItem(_type="agents/retire", idempotency_key="abc"))
catch("long bulk key", lambda: BulkItem(_type="agents/retire", idempotency_key="k" * 65))
catch("repeated bulk key", lambda: BulkRequest(items=[
    BulkItem(_type="agents/retire", idempotency_key="key-0001", agent_id="a"),
    BulkItem(_type="agents/retire", idempotency_key="key-0001", agent_id="b")]))
catch("empty bulk request", lambda: BulkRequest(items=[]))
async def start():
    config = HttpClientConfig(api_url="http://127.0.0.1:9", api_token="t", max_retries=0)
    async with PrefactorHttpClient(config) as client:
        await client.agent_instances.start("i", idempotency_key="k" * 65)
catch("long key", lambda: asyncio.run(start()))
print(json.dumps(out))
"""
# 0.4.3's key phrase in each of its messages, which ours must hold too.
PHRASES = {
    "no api_url": "api_url is required",
    "no api_token": "api_token is required",
    "negative retries": "max_retries must be non-negative",
    "short bulk key": "at least 8 characters",
    "long bulk key": "at most 64 characters",
    "repeated bulk key": "unique",
    "empty bulk request": "at least 1 item",
    "long key": "at most 64 characters",
}


@pytest.fixture(scope="module")
def public_messages() -> dict[str, str]:
    return run_public(PUBLIC_MESSAGES)  # type: ignore[no-any-return]


def caught_as_value_error(action: Any) -> ValueError:
    """What `except ValueError:`, 0.4.3 code's own check, catches from `action()`."""
    try:
        action()
    except ValueError as exc:
        return exc
    pytest.fail("no ValueError was raised")


def _phrase(public_messages: dict[str, str], case: str) -> str:
    """The key phrase, checked to be in 0.4.3's own message first."""
    assert PHRASES[case] in public_messages[case]
    return PHRASES[case]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("case", "settings"),
    [
        ("no api_url", {"api_url": "", "api_token": "t"}),
        ("no api_token", {"api_url": "http://127.0.0.1:9", "api_token": ""}),
        (
            "negative retries",
            {"api_url": "http://127.0.0.1:9", "api_token": "t", "max_retries": -1},
        ),
    ],
)
@pytest.mark.parametrize("client", [PrefactorHttpClient, SyncPrefactorHttpClient])
def test_a_bad_config_is_a_value_error(public_messages, case, settings, client):
    """Both clients: the config they are built from refuses it with 0.4.3's phrase."""
    caught = caught_as_value_error(lambda: client(HttpClientConfig(**settings)))
    assert _phrase(public_messages, case) in str(caught)


@pytest.mark.slow
def test_a_missing_api_url_in_the_environment_is_a_value_error(public_messages):
    """No api_url given and PREFACTOR_API_URL unset (the autouse fixture clears it)."""
    caught = caught_as_value_error(lambda: HttpClientConfig(api_token="t"))
    assert _phrase(public_messages, "no api_url") in str(caught)


@pytest.mark.slow
@pytest.mark.parametrize(
    "call",
    [
        lambda c: c.agent_instances.register(
            agent_version=VERSION, agent_schema_version=SCHEMA, idempotency_key=LONG_KEY
        ),
        lambda c: c.agent_instances.start("i", idempotency_key=LONG_KEY),
        lambda c: c.agent_instances.finish("i", idempotency_key=LONG_KEY),
        lambda c: c.agent_spans.create("i", "agent:llm", "active", idempotency_key=LONG_KEY),
        lambda c: c.agent_spans.finish("s", idempotency_key=LONG_KEY),
        lambda c: c.request("POST", "/api/v1/agent_instance/i/start", idempotency_key=LONG_KEY),
    ],
    ids=["register", "start", "finish", "span create", "span finish", "request"],
)
def test_an_idempotency_key_over_64_characters_is_a_value_error(
    server, twin, public_messages, call
):
    """Every client kind; the message keeps our detail and nothing is sent."""
    caught = caught_as_value_error(lambda: twin(call))
    assert _phrase(public_messages, "long key") in str(caught)
    assert isinstance(caught, PrefactorValidationError)
    assert caught.errors["idempotency_key"][0].endswith("(65 characters)")
    assert sent(server) == []


@pytest.mark.slow
@pytest.mark.parametrize(
    ("case", "build"),
    [
        ("short bulk key", lambda: [BulkItem(_type="agents/retire", idempotency_key="abc")]),
        ("long bulk key", lambda: [BulkItem(_type="agents/retire", idempotency_key="k" * 65)]),
        (
            "repeated bulk key",
            lambda: [
                BulkItem(_type="agents/retire", idempotency_key="key-0001", agent_id="a"),
                BulkItem(_type="agents/retire", idempotency_key="key-0001", agent_id="b"),
            ],
        ),
        ("empty bulk request", list),
    ],
)
def test_a_bad_bulk_request_is_a_value_error(server, twin, public_messages, case, build):
    """Refused where 0.4.3 refused it (building the items and request), with its phrase."""
    caught = caught_as_value_error(
        lambda: twin(lambda c: c.bulk.execute(BulkRequest(items=build())))
    )
    assert _phrase(public_messages, case) in str(caught)
    assert sent(server) == []


def test_the_apis_own_validation_errors_are_not_value_errors(server, twin):
    """A 422 from the API stays a PrefactorValidationError, which `except ValueError` skips."""
    server.expect_request("/api/v1/agent_instance/i/start", method="POST").respond_with_json(
        error("invalid", "bad timestamp", errors={"timestamp": ["is invalid"]}), status=422
    )
    with pytest.raises(PrefactorValidationError) as caught:
        twin(lambda c: c.agent_instances.start("i"))
    assert caught.value.status_code == 422
    assert not isinstance(caught.value, ValueError | PrefactorInputError)
