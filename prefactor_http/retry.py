"""`RetryHandler`, prefactor-http 0.4.3's retry helper, as an adapter onto our retry policy.

Our clients retry every call themselves (see docs/reliability.md); this is
for code written against 0.4.3 that wraps its own coroutine in
`await RetryHandler(config).execute(operation, is_retryable, *args)`. It
keeps 0.4.3's contract: `config.max_retries` retries after the first try,
an error `is_retryable` refuses is raised at once, and when every retry
failed `PrefactorRetryExhaustedError` carries the last error in
`last_error` (with `max_retries=0`, the error itself is raised). The
waits are our policy's (`RetryPolicy`): full jitter up to the capped
exponential delay, and a 429/503 `Retry-After` obeyed, where 0.4.3 waited
the exponential delay give or take 25%.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Callable
from typing import Any

from prefactor_http._retry import RetryPolicy
from prefactor_http.config import HttpClientConfig
from prefactor_http.exceptions import PrefactorHttpError, PrefactorRetryExhaustedError

__all__ = ["HttpClientConfig", "RetryHandler"]


async def _run(operation: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    result = operation(*args, **kwargs)
    return await result if inspect.isawaitable(result) else result


class RetryHandler:
    """Run an operation, retrying what `is_retryable` accepts, with the config's backoff.

    Args:
        config: Its `max_retries` and backoff settings apply.
    """

    def __init__(self, config: HttpClientConfig) -> None:
        self.config = config
        self._policy = RetryPolicy.from_config(config)

    async def execute(
        self,
        operation: Callable[..., Any],
        is_retryable: Callable[[Exception], bool],
        *args: Any,
        **kwargs: Any,
    ) -> Any:
        """`operation(*args, **kwargs)`, awaited when it returns an awaitable, until it succeeds.

        Args:
            operation: A function or coroutine function; its result is returned.
            is_retryable: Whether an error `operation` raised is worth another try.
            args: Passed to `operation` by position.
            kwargs: Passed to `operation` by name.
        """
        for attempt in range(self._policy.max_retries):
            try:
                return await _run(operation, args, kwargs)
            except Exception as error:
                if not is_retryable(error):
                    raise
                await asyncio.sleep(self._wait(attempt, error))
        try:
            return await _run(operation, args, kwargs)
        except Exception as error:
            if not is_retryable(error) or not self._policy.max_retries:
                raise  # as in 0.4.3: without retries, the error itself
            attempts = self._policy.max_retries + 1
            raise PrefactorRetryExhaustedError(
                f"Operation failed after {attempts} attempts", error, attempts
            ) from error

    def _wait(self, attempt: int, error: Exception) -> float:
        if isinstance(error, PrefactorHttpError):
            return self._policy.delay(attempt + 1, error)
        return self._calculate_delay(attempt)

    def _calculate_delay(self, attempt: int) -> float:
        """The wait after try number `attempt` (0-based), as 0.4.3 named it: our backoff."""
        return self._policy.backoff(attempt + 1)
