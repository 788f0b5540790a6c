"""What the async client does differently under asyncio and trio.

The default senders (aiohttp, httpx's transport with its watchdog) are
asyncio's; over an `httpx.AsyncClient` of the user's, the client runs under
any library anyio does. Only the retry loop's pause and the key of the
running event loop differ, and each is looked up here, not in the client.
"""

from __future__ import annotations

import asyncio

import sniffio

from prefactor_http.exceptions import PrefactorEventLoopError

# What a call under another library than asyncio is told: the client without `http_client=`,
# and a span writer (whose sender is an asyncio task).
CLIENT_FIX = (
    "PrefactorHttpClient runs under asyncio on its own transports, not under {library}: pass "
    "http_client=httpx.AsyncClient() to send through an httpx client, which runs under "
    "{library}, or run the client under asyncio"
)
WRITER_FIX = (
    "SpanWriter runs under asyncio only, not under {library}: send the spans with the "
    "client's bulk.execute() there, or run the writer under asyncio"
)


async def sleep(seconds: float) -> None:
    """Wait between attempts under whichever library runs the call."""
    if sniffio.current_async_library() == "asyncio":
        await asyncio.sleep(seconds)
        return
    import anyio  # only off asyncio: anyio's import is not free

    await anyio.sleep(seconds)


def running_loop(refusal: str = CLIENT_FIX) -> asyncio.AbstractEventLoop:
    """The running asyncio loop; PrefactorEventLoopError, `refusal`, under another library."""
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        raise PrefactorEventLoopError(refusal.format(library=_library_name())) from None


def loop_token() -> object:
    """What identifies the running event loop, under asyncio or trio."""
    if sniffio.current_async_library() == "asyncio":
        return asyncio.get_running_loop()
    import anyio.lowlevel  # only off asyncio: anyio's import is not free

    return anyio.lowlevel.current_token()


def _library_name() -> str:
    try:
        return sniffio.current_async_library()
    except sniffio.AsyncLibraryNotFoundError:
        return "an unknown async library"
