"""A loopback HTTP server that misbehaves on purpose, one scripted step per connection.

pytest-httpserver always answers; dropping a connection mid-request needs a
raw socket. Each accepted connection reads one request and then either
closes without a word ("drop"), never answers until the client hangs up
("stall"), sends the scripted answer and closes, or hands the connection to
a scripted function (to trickle, say).
"""

from __future__ import annotations

import contextlib
import json
import socket
import threading
from collections.abc import Callable
from typing import Any

DROP = "drop"
STALL = "stall"


def http_answer(status: int, body: Any) -> bytes:
    payload = json.dumps(body).encode()
    head = (
        f"HTTP/1.1 {status} X\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(payload)}\r\nConnection: close\r\n\r\n"
    )
    return head.encode() + payload


class FlakyServer:
    """Plays `script` (DROP, STALL, bytes or a function per connection); records each request."""

    def __init__(self, script: list[str | bytes | Callable[[socket.socket], None]]) -> None:
        self.script = list(script)
        self.requests: list[bytes] = []
        self.received = threading.Event()
        self.hung_up = threading.Event()  # a stalled connection was closed by the client
        self._sock = socket.create_server(("127.0.0.1", 0))
        self._sock.settimeout(5)
        self.url = f"http://127.0.0.1:{self._sock.getsockname()[1]}"
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def __enter__(self) -> FlakyServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        with contextlib.suppress(OSError):
            self._sock.shutdown(socket.SHUT_RDWR)  # wakes a pending accept()
        self._sock.close()
        self._thread.join(timeout=5)

    def _serve(self) -> None:
        while self.script:
            try:
                conn, _ = self._sock.accept()
            except OSError:
                return
            step = self.script.pop(0)
            with conn:
                self.requests.append(_read_request(conn))
                self.received.set()
                if step == STALL:
                    conn.settimeout(10)
                    with contextlib.suppress(OSError):
                        if conn.recv(1) == b"":
                            self.hung_up.set()
                elif callable(step):
                    with contextlib.suppress(OSError):  # the client may hang up first
                        step(conn)
                elif step != DROP:
                    conn.sendall(step if isinstance(step, bytes) else step.encode())


def _read_request(conn: socket.socket) -> bytes:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            return data
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n"):
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    while len(body) < length:
        body += conn.recv(65536)
    return head + b"\r\n\r\n" + body
