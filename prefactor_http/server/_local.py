"""`LocalServer`: the local API on its own event loop in a background thread.

A thread of its own lets blocking code (the sync client, a test) and async
code on any loop talk to it alike; the state, effects, request log, fault
queue and in-flight count it exposes are guarded by locks, so reading them
from the caller's thread is safe while requests are served.
"""

from __future__ import annotations

import asyncio
import os
import threading
from types import TracebackType
from typing import Any, Self

from aiohttp import web

from prefactor_http.server._api import LocalApi
from prefactor_http.server._app import LocalServerCore, RecordedRequest, open_site
from prefactor_http.server._faults import Fault
from prefactor_http.server._handler import ApiError
from prefactor_http.server._store import Effect

DEFAULT_TOKEN = "prefactor-local-token"
START_TIMEOUT = 30.0


def default_token() -> str:
    """`$PREFACTOR_API_TOKEN` when set, else the documented local token."""
    return os.environ.get("PREFACTOR_API_TOKEN") or DEFAULT_TOKEN


class LocalServer:
    """A running local Prefactor API; use `with LocalServer() as srv:` or `start()`/`stop()`.

    `sparse=True` makes every answer leave out the fields whose value is null,
    as the hosted API may; by default every property the spec declares is
    sent, null where unset.

    Args:
        token: The token it accepts (None: `$PREFACTOR_API_TOKEN`, else `DEFAULT_TOKEN`).
        host: The address to bind.
        port: The port to bind (0: one the kernel picks; read `url`).
        check_answers: Check each answer against the spec: one outside it becomes a 500
            `answer_outside_spec`.
        sparse: Leave null fields out of answers, as the hosted API may.
    """

    def __init__(
        self,
        *,
        token: str | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        check_answers: bool = True,
        sparse: bool = False,
    ) -> None:
        self.token = token or default_token()
        self._host = host
        self._port = port
        api = LocalApi(self.token, check_answers=check_answers, sparse=sparse)
        self._core = LocalServerCore(api)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._runner: web.AppRunner | None = None
        self._url: str | None = None

    def __repr__(self) -> str:
        return f"LocalServer(url={self._url!r}, sparse={self.sparse})"

    @property
    def sparse(self) -> bool:
        """Whether answers leave out null fields (see the class docstring)."""
        return self._core.api.sparse

    @property
    def url(self) -> str:
        """The base URL to give the client as `api_url`."""
        if self._url is None:
            raise RuntimeError("the local server is not running: call start() first")
        return self._url

    def start(self) -> Self:
        """Bind and serve in a background thread; returns once requests are accepted."""
        if self._thread is not None:
            raise RuntimeError("the local server is already running")
        loop = asyncio.new_event_loop()
        thread = threading.Thread(
            target=loop.run_forever, name="prefactor-local-server", daemon=True
        )
        thread.start()
        opening = asyncio.run_coroutine_threadsafe(
            open_site(self._core, self._host, self._port), loop
        )
        try:
            self._runner, self._url = opening.result(START_TIMEOUT)
        except BaseException:
            loop.call_soon_threadsafe(loop.stop)
            thread.join()
            loop.close()
            raise
        self._loop, self._thread = loop, thread
        return self

    def stop(self) -> None:
        """Stop serving and end the thread; a stopped server may be started again."""
        loop, thread, runner = self._loop, self._thread, self._runner
        if loop is None or thread is None or runner is None:
            return
        asyncio.run_coroutine_threadsafe(runner.cleanup(), loop).result(START_TIMEOUT)
        loop.call_soon_threadsafe(loop.stop)
        thread.join()
        loop.close()
        self._loop = self._thread = self._runner = None
        self._url = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def inject(
        self, fault: Fault, *, times: int = 1, method: str | None = None, path: str | None = None
    ) -> None:
        """Queue `fault` for the next `times` API requests matching `method` and `path`.

        `path` is a request path (`/api/v1/agent_spans`) or a spec template
        (`/api/v1/agent_spans/{agent_span_id}/finish`); None matches any.

        Args:
            fault: What goes wrong (`Fault.status(503)`, ...).
            times: How many matching requests it hits.
            method: Only requests of this HTTP method (None: any).
            path: Only requests to this path or spec template (None: any).
        """
        self._core.faults.add(fault, times=times, method=method, path=path)

    def terminate(self, agent_instance_id: str, reason: str = "terminated by the platform") -> None:
        """End an instance from the platform's side: its span answers then carry `control`.

        Raises KeyError for an instance the server does not hold.

        Args:
            agent_instance_id: The instance to end.
            reason: The reason its spans' answers carry.
        """
        try:
            self._core.api.store.terminate(agent_instance_id, reason)
        except ApiError as exc:
            raise KeyError(agent_instance_id) from exc

    def state(self) -> dict[str, Any]:
        """A snapshot: `instances` and `spans` keyed by id, as the API answers them in full.

        Null fields are kept even on a sparse server, so a test reads them alike in both modes.
        """
        return self._core.state()

    def wait_idle(self, timeout: float = 5.0) -> None:
        """Block until the server has finished every request it has received.

        A request counts from its arrival until its handler ends, so one held
        by `Fault.delay` or cut by `Fault.drop` is waited for too; a request
        still on its way to the server is not. Raises TimeoutError after
        `timeout` seconds.

        Args:
            timeout: Seconds to wait before raising TimeoutError.
        """
        self._core.wait_idle(timeout)

    @property
    def effects(self) -> list[Effect]:
        """Writes committed by API calls, oldest first; replays and `terminate()` add none."""
        return self._core.api.store.effects

    @property
    def requests(self) -> list[RecordedRequest]:
        """API requests received, oldest first, with the Authorization header redacted."""
        return self._core.requests

    @property
    def pending_faults(self) -> list[Fault]:
        """Queued faults not yet consumed, oldest first."""
        return [queued.fault for queued in self._core.faults.pending()]

    def reset(self) -> None:
        """Clear the state, the effects, the queued faults and the request log."""
        self._core.reset()
