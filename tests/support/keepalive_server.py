"""A loopback HTTP/1.1 server that keeps connections alive, then ends them as real servers do.

Each policy ends a kept-alive connection at the moment a client can least
tell: a request arrives and the server hangs up without a byte of answer, as
when its idle timeout or request limit crosses the request on the wire.

- `LIMIT`: after `per_connection` answers, the next request on that
  connection is met with a close (FIN);
- `RESET`: the same, with a reset (RST) instead;
- `IDLE`: a request arriving on a connection idle for `idle` seconds or more
  is met with a close;
- `CLOSE_HEADER`: every answer says `Connection: close` and the server then
  closes, the polite way.

`FIRST` hangs up on the first request of every connection instead: a fresh
connection failing, which is no stale one.
"""

from __future__ import annotations

import contextlib
import json
import socket
import struct
import threading
import time

LIMIT = "limit"
RESET = "reset"
IDLE = "idle"
CLOSE_HEADER = "close-header"
POLICIES = (LIMIT, RESET, IDLE, CLOSE_HEADER)
# Not a kept connection at all: the first request on every connection is met with a close.
FIRST = "first"


class KeepAliveServer:
    """Answers every request with `{"status": "success", "details": {}}`, under `policy`."""

    def __init__(
        self, policy: str, *, per_connection: int = 2, idle: float = 0.03, hold: bool = False
    ) -> None:
        self.policy = policy
        # With `hold`, a request to be hung up on waits for `release`; `holding` says it came.
        self.hold = hold
        self.holding = threading.Event()
        self.release = threading.Event()
        self.per_connection = per_connection
        self.idle = idle
        self.answered: list[bytes] = []  # each answered request's head and body
        self.hung_up = 0  # requests met with a close or reset
        self.connections = 0
        self._lock = threading.Lock()
        self._sock = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self._sock.getsockname()[1]}"
        self._threads: list[threading.Thread] = []
        self._open: set[socket.socket] = set()

    def __enter__(self) -> KeepAliveServer:
        accepting = threading.Thread(target=self._accept, daemon=True)
        accepting.start()
        self._threads.append(accepting)
        return self

    def __exit__(self, *exc: object) -> None:
        with contextlib.suppress(OSError):
            self._sock.shutdown(socket.SHUT_RDWR)  # wakes a pending accept()
        self._sock.close()
        with self._lock:
            for conn in self._open:  # wakes the threads waiting for a next request
                with contextlib.suppress(OSError):
                    conn.shutdown(socket.SHUT_RDWR)
        for thread in self._threads:
            thread.join(timeout=5)

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self._sock.accept()
            except OSError:
                return
            with self._lock:
                self.connections += 1
                self._open.add(conn)
            thread = threading.Thread(target=self._serve, args=(conn,), daemon=True)
            thread.start()
            self._threads.append(thread)

    def _serve(self, conn: socket.socket) -> None:
        conn.settimeout(10)
        try:
            self._exchange(conn)
        finally:
            with self._lock:
                self._open.discard(conn)
            conn.close()

    def _exchange(self, conn: socket.socket) -> None:
        served = 0
        last = time.monotonic()
        buffer = b""
        with contextlib.suppress(OSError):
            while True:
                request, buffer = _read_request(conn, buffer)
                if request is None:
                    return
                idle = time.monotonic() - last
                if (served or self.policy == FIRST) and self._hangs_up(served, idle):
                    with self._lock:
                        self.hung_up += 1
                    if self.hold:
                        self.holding.set()
                        self.release.wait(10)
                    if self.policy == RESET:
                        conn.setsockopt(
                            socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0)
                        )
                    return
                with self._lock:
                    self.answered.append(request)
                conn.sendall(_answer(close=self.policy == CLOSE_HEADER))
                served += 1
                last = time.monotonic()
                if self.policy == CLOSE_HEADER:
                    return

    def _hangs_up(self, served: int, idle: float) -> bool:
        if self.policy == FIRST:
            return served == 0
        if self.policy in (LIMIT, RESET):
            return served >= self.per_connection
        if self.policy == IDLE:
            return idle >= self.idle
        return False


def _answer(*, close: bool) -> bytes:
    payload = json.dumps({"status": "success", "details": {}}).encode()
    head = (
        f"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {len(payload)}\r\n"
    )
    if close:
        head += "Connection: close\r\n"
    return (head + "\r\n").encode() + payload


def _read_request(conn: socket.socket, buffer: bytes) -> tuple[bytes | None, bytes]:
    """One whole request (head and body) from `conn`, and what followed it; None at the end."""
    while b"\r\n\r\n" not in buffer:
        chunk = conn.recv(65536)
        if not chunk:
            return None, b""
        buffer += chunk
    head, _, rest = buffer.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    while len(rest) < length:
        chunk = conn.recv(65536)
        if not chunk:
            return None, b""
        rest += chunk
    return head + b"\r\n\r\n" + rest[:length], rest[length:]
