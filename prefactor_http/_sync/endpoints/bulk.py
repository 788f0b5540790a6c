# Generated from prefactor_http/endpoints/bulk.py by scripts/unasync.py.
# Do not edit: change the async source, then run `make generate`.
"""Bulk: many actions in one HTTP request."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cached_property
from typing import TYPE_CHECKING

from prefactor_http import _validate
from prefactor_http._bulk_run import DEFAULT_CHUNK_SIZE, BulkRun
from prefactor_http._metadata import recorded
from prefactor_http._operations.bulk import encode_items, items_call
from prefactor_http.exceptions import (
    PrefactorClientError,
    PrefactorHttpError,
    PrefactorResponseContractError,
)
from prefactor_http.models.bulk import (
    BulkBatchResult,
    BulkItem,
    BulkRequest,
    BulkResponse,
    check_items,
)

if TYPE_CHECKING:
    from prefactor_http._sync.client import SyncPrefactorHttpClient

# The models and the error are re-exported, as prefactor-http 0.4.3's module did.
__all__ = ["BulkRequest", "BulkResponse", "PrefactorResponseContractError"]
__all__ += ["SyncBulkClient", "SyncBulkRawClient"]


class SyncBulkClient:
    """Run many actions in one request, each in its own transaction.

    The API stops at the first failing item; the response says which items
    succeeded, which failed and which were not processed.
    """

    def __init__(self, http_client: SyncPrefactorHttpClient) -> None:
        """Made by the client as its `bulk` attribute; not built by hand.

        Args:
            http_client: The client whose config, pools and retries every call uses.
        """
        self._http = http_client

    @cached_property
    def with_raw_response(self) -> SyncBulkRawClient:
        """`execute` answering a `RawResponse` (status, headers, request id) around its result.

        `execute_many` has none: it makes a request per chunk.
        """
        return SyncBulkRawClient(self)

    def execute(
        self,
        request: BulkRequest,
        *,
        timeout: float | None = None,
        max_retries: int | None = None,
    ) -> BulkResponse:
        """Send `request` to `POST /api/v1/bulk` after checking its items and keys.

        Raises PrefactorValidationError, before sending, for no items, a key
        outside the spec's bounds or a key used twice. `timeout` (seconds for
        the whole call, retries included) and `max_retries` override the
        config for this call; retries resend every item with its own key.
        An answer with an output for a key never sent, or with no output for
        an item no refused item precedes, raises PrefactorResponseContractError.

        Args:
            request: The items to run, in order, each with its own idempotency key.
            timeout: Seconds for the whole call, retries included (overrides the config).
            max_retries: Retries for this call (overrides the config).
        """
        if not isinstance(request, BulkRequest):
            _validate.refuse("request", f"must be a BulkRequest, got {type(request).__name__}")
        items = check_items(request.items)
        call = items_call(items=items, bodies=[encode_items(items)])
        return self._http._execute(call, timeout, max_retries)

    def execute_many(
        self,
        items: Iterable[BulkItem],
        chunk_size: int = DEFAULT_CHUNK_SIZE,
        *,
        timeout: float | None = None,
        max_retries: int | None = None,
    ) -> BulkBatchResult:
        """Send any number of items as consecutive bulk requests of `chunk_size` items.

        Every item is checked first, and PrefactorValidationError raised
        before anything is sent, for a key used twice or params JSON cannot
        encode (`items` is read into a list: memory grows with the count).
        Like the API, it stops at the first failed item; a request that fails
        after the client's retries stops it too. Nothing is raised for either:
        the result says which keys succeeded, failed, were not processed or
        are unconfirmed, and holds the request's error. A client closed
        between chunks stops the run too: `error` says so and the rest are
        `not_sent`. `timeout` and `max_retries` apply to each chunk's request,
        as in `execute`.

        Args:
            items: The items to run, in order; any iterable, read into a list first.
            chunk_size: Items per bulk request (500 unless given).
            timeout: Seconds for each chunk's request, retries included (overrides the config).
            max_retries: Retries for each chunk's request (overrides the config).
        """
        run = BulkRun(items, chunk_size)
        self._http._check_open()
        for call in run.calls():
            try:
                self._http._check_open()
            except PrefactorClientError as exc:  # closed by another task or thread
                run.abandon(exc)
                break
            try:
                response = self._http._execute(call, timeout, max_retries)
            except PrefactorHttpError as exc:
                run.interrupt(exc)
            else:
                run.record(response)
        return run.result()


class SyncBulkRawClient:
    """`SyncBulkClient.execute` answering a `RawResponse` around its result.

    Args:
        group: The group whose method this is; made by its `with_raw_response`.
    """

    def __init__(self, group: SyncBulkClient) -> None:
        self.execute = recorded(group.execute)
