"""Bulk: many actions in one HTTP request."""

from __future__ import annotations

from typing import TYPE_CHECKING

from prefactor_http import _calls
from prefactor_http.models.bulk import BulkRequest, BulkResponse

if TYPE_CHECKING:
    from prefactor_http.client import PrefactorHttpClient

__all__ = ["BulkClient"]


class BulkClient:
    """Run many actions in one request, each in its own transaction.

    The API stops at the first failing item; the response says which items
    succeeded, which failed and which were not processed.
    """

    def __init__(self, http_client: PrefactorHttpClient) -> None:
        self._http = http_client

    async def execute(
        self,
        request: BulkRequest,
        *,
        timeout: float | None = None,
        max_retries: int | None = None,
    ) -> BulkResponse:
        """Send `request` to `POST /api/v1/bulk` after checking its items and keys.

        Raises PrefactorValidationError, before sending, for no items, a key
        outside 8-64 characters or a key used twice. `timeout` (seconds for
        the whole call, retries included) and `max_retries` override the
        config for this call; retries resend every item with its own key.
        """
        return await self._http._execute(_calls.bulk(request), timeout, max_retries)
