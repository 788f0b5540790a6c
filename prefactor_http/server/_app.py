"""The local server over HTTP (aiohttp): API requests, faults, and the `/_control` interface."""

from __future__ import annotations

import asyncio
import json
import os
import threading
from collections.abc import Awaitable, Callable
from typing import Any, NamedTuple

from aiohttp import web

from prefactor_http._loopback import is_loopback
from prefactor_http.server._api import LocalApi
from prefactor_http.server._faults import Fault, FaultQueue
from prefactor_http.server._handler import ApiError

CONTROL = "/_control"
# The answer header naming each request (an assumption of openapi.yaml): on every answer.
REQUEST_ID_HEADER = "X-Request-Id"


class RecordedRequest(NamedTuple):
    """One API request as it arrived; the Authorization header is redacted."""

    method: str
    path: str
    headers: dict[str, str]
    json: Any


def _parsed(body: bytes) -> Any:
    try:
        return json.loads(body) if body else None
    except ValueError:
        return None


def control_allowed(peer: str | None) -> bool:
    """Whether `/_control` may answer this peer address: loopback only, as it needs no token."""
    return peer is not None and is_loopback(peer.split("%", 1)[0])


Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class LocalServerCore:
    """What one local server holds: the API, the fault queue, the request log, the in-flight count.

    Handlers run on the server's loop while callers read from other threads,
    so the request log and the in-flight count are guarded by `_lock`.
    """

    def __init__(self, api: LocalApi) -> None:
        self.api = api
        self.faults = FaultQueue()
        self._requests: list[RecordedRequest] = []
        self._lock = threading.Lock()
        self._idle = threading.Condition(self._lock)
        self._in_flight = 0

    @property
    def requests(self) -> list[RecordedRequest]:
        """API requests received, oldest first (a copy)."""
        with self._lock:
            return list(self._requests)

    def reset(self) -> None:
        """Fresh state: no resources, keys, effects, faults or logged requests."""
        self.api.store.reset()
        self.faults.clear()
        with self._lock:
            self._requests.clear()

    def wait_idle(self, timeout: float) -> None:
        """Return once no request is being handled; TimeoutError after `timeout` seconds."""
        with self._idle:
            if not self._idle.wait_for(lambda: self._in_flight == 0, timeout):
                raise TimeoutError(
                    f"the local server still handles {self._in_flight} request(s) after {timeout} s"
                )

    @web.middleware
    async def _track(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        """Count the request from arrival until its handler ends, delayed or dropped too."""
        with self._lock:
            self._in_flight += 1
        try:
            return await handler(request)
        finally:
            with self._idle:
                self._in_flight -= 1
                self._idle.notify_all()

    @web.middleware
    async def _request_id(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        """Name every answer, errors and faults included, as the API is assumed to."""
        named = f"req_{os.urandom(12).hex()}"
        try:
            response = await handler(request)
        except web.HTTPException as exc:  # aiohttp's own answers (a body too large)
            exc.headers.setdefault(REQUEST_ID_HEADER, named)
            raise
        response.headers.setdefault(REQUEST_ID_HEADER, named)
        return response

    @web.middleware
    async def _guard_control(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        """`/_control` resets and reveals everything with no token: refuse it off loopback."""
        if _is_control(request.path) and not control_allowed(request.remote):
            message = (
                f"/_control answers loopback clients only, not {request.remote}; "
                "call it on the server's own machine"
            )
            body = {"status": "error", "code": "forbidden", "message": message}
            return web.json_response(body, status=403)
        return await handler(request)

    def state(self) -> dict[str, Any]:
        """Everything stored, as JSON-ready dicts."""
        return self.api.state()

    async def handle_api(self, request: web.Request) -> web.StreamResponse:
        """One API request, perhaps hit by the oldest matching fault."""
        body = await request.read()
        headers = {name.lower(): value for name, value in request.headers.items()}
        logged = {
            **headers,
            **({"authorization": "[redacted]"} if "authorization" in headers else {}),
        }
        recorded = RecordedRequest(request.method, request.raw_path, logged, _parsed(body))
        with self._lock:
            self._requests.append(recorded)
        raw_path = request.raw_path.split("?", 1)[0]
        fault = self.faults.take(
            request.method, request.path, self.api.template(request.method, raw_path)
        )
        if fault is not None and fault.kind == "delay":
            await asyncio.sleep(fault.seconds)
            fault = None
        if fault is not None and not fault.commit:
            return _faulty_answer(request, fault)
        answer = self.api.handle(request.method, request.raw_path, headers, body)
        if fault is not None:
            return _faulty_answer(request, fault)
        return web.json_response(answer.body, status=answer.status, headers=answer.headers)

    def application(self) -> web.Application:
        """The aiohttp application: `/_control/...` first, every other path is the API's."""
        app = web.Application(
            client_max_size=16 * 1024 * 1024,
            middlewares=[self._track, self._request_id, self._guard_control],
        )
        control = _Control(self)
        app.router.add_get(f"{CONTROL}/state", control.state)
        app.router.add_get(f"{CONTROL}/effects", control.effects)
        app.router.add_get(f"{CONTROL}/requests", control.requests)
        app.router.add_get(f"{CONTROL}/faults", control.list_faults)
        app.router.add_post(f"{CONTROL}/faults", control.add_fault)
        app.router.add_post(f"{CONTROL}/reset", control.reset)
        app.router.add_post(f"{CONTROL}/terminate", control.terminate)
        app.router.add_route("*", "/{tail:.*}", self.handle_api)
        return app


def _is_control(path: str) -> bool:
    return path == CONTROL or path.startswith(f"{CONTROL}/")


def _faulty_answer(request: web.Request, fault: Fault) -> web.StreamResponse:
    if fault.kind == "drop":
        if request.transport is not None:
            request.transport.abort()
        raise asyncio.CancelledError
    headers = {"Retry-After": fault.retry_after} if fault.retry_after is not None else {}
    return web.Response(
        status=fault.http_status,
        body=fault.content,
        headers={"Content-Type": fault.content_type, **headers},
    )


def _bad_control(message: str) -> web.Response:
    return web.json_response(
        {"status": "error", "code": "invalid_control", "message": message}, status=422
    )


class _Control:
    """The control interface: state, logs and faults, off the API's paths."""

    def __init__(self, core: LocalServerCore) -> None:
        self._core = core

    async def state(self, request: web.Request) -> web.Response:
        return web.json_response(self._core.state())

    async def effects(self, request: web.Request) -> web.Response:
        return web.json_response([e._asdict() for e in self._core.api.store.effects])

    async def requests(self, request: web.Request) -> web.Response:
        return web.json_response([r._asdict() for r in self._core.requests])

    async def list_faults(self, request: web.Request) -> web.Response:
        queued = self._core.faults.pending()
        listed = [{**q.fault.to_json(), "method": q.method, "path": q.path} for q in queued]
        return web.json_response(listed)

    async def add_fault(self, request: web.Request) -> web.Response:
        spec = _parsed(await request.read())
        if not isinstance(spec, dict):
            return _bad_control("the body must be a JSON object describing the fault")
        try:
            fault = Fault.from_json(spec)
            method, path, times = spec.get("method"), spec.get("path"), spec.get("times", 1)
            if not all(isinstance(v, str | None) for v in (method, path)):
                raise ValueError("method and path must be strings")
            self._core.faults.add(fault, times=times, method=method, path=path)
        except ValueError as exc:
            return _bad_control(str(exc))
        return web.json_response({"queued": len(self._core.faults.pending())})

    async def reset(self, request: web.Request) -> web.Response:
        self._core.reset()
        return web.json_response({"reset": True})

    async def terminate(self, request: web.Request) -> web.Response:
        spec = _parsed(await request.read())
        if not isinstance(spec, dict) or not isinstance(spec.get("agent_instance_id"), str):
            return _bad_control("the body must name agent_instance_id")
        reason = spec.get("reason", "terminated by the platform")
        if not isinstance(reason, str):
            return _bad_control("reason must be a string")
        try:
            self._core.api.store.terminate(spec["agent_instance_id"], reason)
        except ApiError as exc:
            return web.json_response(exc.outcome.body, status=exc.outcome.status)
        return web.json_response({"terminated": spec["agent_instance_id"]})


async def open_site(core: LocalServerCore, host: str, port: int) -> tuple[web.AppRunner, str]:
    """Start serving; the runner (to clean up) and the base URL actually bound."""
    runner = web.AppRunner(core.application(), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, host, port)
    await site.start()
    bound_host, bound_port = runner.addresses[0][:2]
    shown = f"[{bound_host}]" if ":" in bound_host else bound_host
    return runner, f"http://{shown}:{bound_port}"
