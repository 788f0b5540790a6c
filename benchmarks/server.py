"""A minimal HTTP/1.1 server answering canned, spec-shaped JSON, for the benchmark only.

It runs in its own process so its CPU never counts as the client's. It is
a bare asyncio protocol (keep-alive, Content-Length bodies, no chunking): the
point is to answer as cheaply as possible, not to be a real server. Bulk
answers echo each item's key, as the API does, so the client can match them.
Answers are full resources (every field the API documents), so that both our
client and the existing public client parse them; `make bench` checks that
with each client before timing anything.

Run: `python benchmarks/server.py PORT [--log]` (prints "ready" once
listening; `--log` writes each request's head and body to stderr).
"""

from __future__ import annotations

import asyncio
import json
import sys

SPAN = {
    "type": "agent_span",
    "id": "span-1",
    "agent_instance_id": "inst-1",
    "schema_name": "agent:llm",
    "status": "active",
    "payload": {"model": "m", "prompt": "p"},
    "account_id": "acc-1",
    "agent_id": "agent-1",
    "parent_span_id": None,
    "schema_title": "LLM Call",
    "result_payload": None,
    "summary": None,
    "started_at": "2026-11-22T14:13:05+00:00",
    "inserted_at": "2026-11-22T14:13:05+00:00",
    "updated_at": "2026-11-22T14:13:05+00:00",
    "finished_at": None,
}
INSTANCE = {
    "type": "agent_instance",
    "id": "inst-1",
    "account_id": "acc-1",
    "agent_id": "agent-1",
    "agent_version_id": "ver-1",
    "environment_id": "env-1",
    "agent_deployment_id": "dep-1",
    "status": "active",
    "inserted_at": "2026-11-22T14:13:05+00:00",
    "updated_at": "2026-11-22T14:13:05+00:00",
    "started_at": "2026-11-22T14:13:05+00:00",
    "finished_at": None,
    "termination_reason": None,
    "external_identifier": None,
    "span_counts": {
        "total": 0,
        "active": 0,
        "complete": 0,
        "failed": 0,
        "cancelled": 0,
        "finished": 0,
    },
    "purpose": "live",
}
SPAN_ANSWER = json.dumps({"status": "success", "details": SPAN}).encode()
INSTANCE_ANSWER = json.dumps({"status": "success", "details": INSTANCE}).encode()
PING_ANSWER = json.dumps({"status": "success", "details": {"ok": True}}).encode()
SPAN_OUTPUT = json.dumps({"status": "success", "details": SPAN}).encode()
INSTANCE_OUTPUT = json.dumps({"status": "success", "details": INSTANCE}).encode()
NOT_FOUND = json.dumps({"status": "error", "code": "not_found", "message": "no route"}).encode()
INSTANCE_PATH = b"/api/v1/agent_instance/"


def bulk_answer(body: bytes) -> bytes:
    outputs = b",".join(
        json.dumps(item["idempotency_key"]).encode()
        + b":"
        + (INSTANCE_OUTPUT if item["_type"].startswith("agent_instances/") else SPAN_OUTPUT)
        for item in json.loads(body)["items"]
    )
    return b'{"status":"success","outputs":{' + outputs + b"}}"


def answer(method: bytes, path: bytes, body: bytes) -> tuple[int, bytes]:
    if path == b"/api/v1/agent_spans" or path.startswith(b"/api/v1/agent_spans/"):
        return 200, SPAN_ANSWER
    if path == b"/api/v1/bulk":
        return 200, bulk_answer(body)
    if path.startswith(INSTANCE_PATH):  # register, start, finish, get
        return 200, INSTANCE_ANSWER
    if path == b"/api/v1/ping":
        return 200, PING_ANSWER
    return 404, NOT_FOUND


def response(status: int, body: bytes) -> bytes:
    reason = b"OK" if status == 200 else b"Not Found"
    head = b"HTTP/1.1 %d %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n"
    return head % (status, reason, len(body)) + body


class Connection(asyncio.Protocol):
    """One keep-alive connection: parse as many requests as have arrived, answer each."""

    log = False

    def __init__(self) -> None:
        self.buffer = b""
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while True:
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            head = self.buffer[:end]
            length = 0
            for line in head.split(b"\r\n")[1:]:
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length":
                    length = int(value)
            total = end + 4 + length
            if len(self.buffer) < total:
                return
            body = self.buffer[end + 4 : total]
            self.buffer = self.buffer[total:]
            method, path, _ = head.split(b"\r\n", 1)[0].split(b" ", 2)
            if self.log:
                sys.stderr.write(repr(head + b"\r\n\r\n" + body) + "\n")
            assert self.transport is not None
            self.transport.write(response(*answer(method, path.split(b"?")[0], body)))


async def serve(port: int) -> None:
    loop = asyncio.get_running_loop()
    server = await loop.create_server(Connection, "127.0.0.1", port, backlog=1024)
    print("ready", flush=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    Connection.log = "--log" in sys.argv[2:]
    asyncio.run(serve(int(sys.argv[1])))
