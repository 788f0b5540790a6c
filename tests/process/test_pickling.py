"""Errors cross process boundaries: each pickles with its attributes, as process pools need."""

from __future__ import annotations

import inspect
import multiprocessing
import pickle
from concurrent.futures import ProcessPoolExecutor
from typing import Any

import pytest
from conftest import TOKEN, error

from prefactor_http import (
    HttpClientConfig,
    PrefactorDeliveryError,
    PrefactorResponseContractError,
    PrefactorRetryExhaustedError,
    SyncPrefactorHttpClient,
    SyncSpanWriter,
    exceptions,
)
from prefactor_http.models.bulk import BulkItem, BulkOutput, WriteFailure

# Process pools: `make test-fast` leaves them out.
pytestmark = pytest.mark.slow

# The pool's worker starts fresh (spawn): no thread or socket of this process is shared.
POOL_SECONDS = 60


def _item(key: str) -> BulkItem:
    return BulkItem(
        _type="agent_spans/create",
        idempotency_key=key,
        agent_instance_id="inst-1",
        schema_name="agent:llm",
        status="active",
        payload={"n": 1},
    )


def _samples() -> dict[type[BaseException], BaseException]:
    """One instance of each error class of the package, every attribute set to a non-default."""
    server = exceptions.PrefactorServerError("down", "unavailable", 503, method="GET", path="/p")
    server.retry_after = 2.5
    found: dict[type[BaseException], BaseException] = {
        exceptions.PrefactorHttpError: exceptions.PrefactorHttpError("base"),
        exceptions.PrefactorServerError: server,
        exceptions.PrefactorValidationError: exceptions.PrefactorValidationError(
            "invalid", "validation_error", 422, {"a": ["b", "c"]}, method="POST", path="/v"
        ),
        exceptions.PrefactorInputError: exceptions.PrefactorInputError(
            "refused before sending: invalid name",
            "invalid_argument",
            None,
            {"name": ["must be a non-empty string"]},
        ),
        exceptions.PrefactorRetryExhaustedError: exceptions.PrefactorRetryExhaustedError(
            "gave up after 4 attempts", server, 4
        ),
        exceptions.PrefactorResponseContractError: exceptions.PrefactorResponseContractError(
            "not JSON", 200, "<html>", method="GET", path="/c"
        ),
        exceptions.PrefactorResponseTooLargeError: exceptions.PrefactorResponseTooLargeError(
            "answer dropped: its body ran past 10 bytes", 200, method="POST", path="/big"
        ),
        exceptions.PrefactorDeliveryError: exceptions.PrefactorDeliveryError(
            [
                WriteFailure(
                    _item("span-key-0001"),
                    output=BulkOutput(
                        status="error", code="bad", message="no", errors={"x": ["y"]}
                    ),
                ),
                WriteFailure(_item("span-key-0002"), error=server),
            ]
        ),
        exceptions.PrefactorNetworkError: exceptions.PrefactorNetworkError(
            "refused", method="POST", path="/n", request_sent=False
        ),
        exceptions.PrefactorTimeoutError: exceptions.PrefactorTimeoutError(
            "read timed out", method="GET", path="/t", request_sent=True
        ),
    }
    for cls in (
        exceptions.PrefactorApiError,
        exceptions.PrefactorAuthError,
        exceptions.PrefactorNotFoundError,
        exceptions.PrefactorConflictError,
        exceptions.PrefactorRateLimitError,
    ):
        sample = cls("message", "code", 409, method="PUT", path="/a")
        sample.retry_after = 1.0
        found[cls] = sample
    for cls in (
        exceptions.PrefactorClientError,
        exceptions.PrefactorConfigError,
        exceptions.PrefactorBufferFullError,
        exceptions.PrefactorEventLoopError,
        exceptions.PrefactorForkedClientError,
    ):
        found[cls] = cls("client side")
    return found


def _same(a: Any, b: Any) -> bool:
    """Equal, where errors and write failures count as equal by type and every attribute."""
    if isinstance(a, BaseException):
        return type(a) is type(b) and a.args == b.args and _same(vars(a), vars(b))
    if isinstance(a, WriteFailure):
        return type(b) is WriteFailure and all(
            _same(getattr(a, s), getattr(b, s)) for s in WriteFailure.__slots__
        )
    if isinstance(a, dict):
        return isinstance(b, dict) and a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return isinstance(b, list) and len(a) == len(b) and all(map(_same, a, b))
    return bool(a == b)


def test_every_error_round_trips_through_pickle():
    """Each error class unpickles as the same class with the same args, attributes and text."""
    samples = _samples()
    classes = {
        cls
        for cls in vars(exceptions).values()
        if inspect.isclass(cls) and issubclass(cls, exceptions.PrefactorHttpError)
    }
    assert classes == samples.keys()

    for cls, sample in samples.items():
        sample.added_later = "kept"  # type: ignore[attr-defined]
        copy = pickle.loads(pickle.dumps(sample))
        assert _same(sample, copy), cls
        assert (str(copy), repr(copy)) == (str(sample), repr(sample))


class _KeyedContractError(PrefactorResponseContractError):
    """A subclass whose __init__ needs one more argument, as a new attribute would bring."""

    def __init__(self, message: str, idempotency_key: str, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.idempotency_key = idempotency_key


def test_an_error_whose_init_gains_an_argument_still_round_trips():
    """Unpickling does not call __init__ again, so a new required argument cannot break it."""
    sample = _KeyedContractError("not JSON", "key-0001", status_code=200, body_snippet="<html>")

    copy = pickle.loads(pickle.dumps(sample))

    assert _same(sample, copy)
    assert copy.idempotency_key == "key-0001"


def _deliver_in_a_worker(url: str) -> None:
    """In the pool's worker: a writer whose every batch gets a 503 raises PrefactorDeliveryError."""
    config = HttpClientConfig(
        api_url=url, api_token=TOKEN, max_retries=1, initial_retry_delay=0.001, max_retry_delay=0.01
    )
    client = SyncPrefactorHttpClient(config)
    writer = SyncSpanWriter(client, flush_interval=3600.0, flush_attempts=1)
    writer.write(_item("span-key-0001"))
    try:
        writer.close()
    finally:
        client.close()


def test_a_delivery_error_comes_back_from_a_process_pool(server):
    """The parent gets the worker's PrefactorDeliveryError, its RetryExhausted cause intact."""
    server.expect_request("/api/v1/bulk").respond_with_json(
        error("unavailable", "try later"), status=503
    )
    context = multiprocessing.get_context("spawn")

    with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        future = pool.submit(_deliver_in_a_worker, server.url_for("/").rstrip("/"))
        caught = future.exception(timeout=POOL_SECONDS)

    assert isinstance(caught, PrefactorDeliveryError)
    [failure] = caught.failures
    assert failure.item == _item("span-key-0001")
    assert isinstance(failure.error, PrefactorRetryExhaustedError)
    assert (failure.error.attempts, failure.error.last_error.status_code) == (2, 503)
    assert len(server.log) == 2
