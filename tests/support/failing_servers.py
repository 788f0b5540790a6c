"""Loopback listeners that fail a client below HTTP: TLS, a full accept queue, a deaf peer.

`flaky_server.FlakyServer` misbehaves once a request is in; these fail the
client earlier or lower down, each as a context manager that yields the
URL to send to:

- `untrusted_tls`: a TLS server whose certificate only a CA made for the
  test (trustme) vouches for, so the client's handshake refuses it;
- `full_accept_queue`: a listener whose queue of one is taken, so the
  kernel drops the client's SYN and its connect waits unanswered;
- `deaf`: a server that takes the connection and never reads, so a large
  request stops going out; on exit it reads what reached it and checks
  that the client hung up.
"""

from __future__ import annotations

import contextlib
import socket
import ssl
import threading
from collections.abc import Callable, Iterator

import trustme

# Longest wait for a peer: far beyond what any scenario here takes.
PATIENCE = 5.0


def port_nobody_listens_on() -> int:
    with socket.create_server(("127.0.0.1", 0)) as probe:
        port: int = probe.getsockname()[1]
    return port


@contextlib.contextmanager
def _serving(listener: socket.socket, serve: Callable[[], None]) -> Iterator[None]:
    """Run `serve` in a thread until the block ends, then wake its accept() and join it."""
    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield
    finally:
        with contextlib.suppress(OSError):
            listener.shutdown(socket.SHUT_RDWR)  # wakes a pending accept()
        listener.close()
        thread.join(PATIENCE)


@contextlib.contextmanager
def untrusted_tls() -> Iterator[str]:
    authority = trustme.CA()
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    authority.issue_cert("127.0.0.1").configure_cert(context)
    listener = socket.create_server(("127.0.0.1", 0))

    def handshake() -> None:
        with contextlib.suppress(OSError):  # the client refuses the certificate
            conn, _ = listener.accept()
            with conn, context.wrap_socket(conn, server_side=True):
                pass

    with _serving(listener, handshake):
        yield f"https://127.0.0.1:{listener.getsockname()[1]}"


@contextlib.contextmanager
def full_accept_queue() -> Iterator[str]:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)  # a queue of one (Linux), taken by the connection below
    address = listener.getsockname()
    with listener, socket.create_connection(address, timeout=PATIENCE):
        yield f"http://127.0.0.1:{address[1]}"


@contextlib.contextmanager
def deaf() -> Iterator[str]:
    listener = socket.create_server(("127.0.0.1", 0))
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    held: list[socket.socket] = []

    def hold() -> None:
        with contextlib.suppress(OSError):
            held.append(listener.accept()[0])

    with _serving(listener, hold):
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    [conn] = held
    with conn:
        assert hung_up(conn), "the client kept its socket open after its attempt failed"


def hung_up(conn: socket.socket) -> bool:
    """Read `conn` to its end: True at the client's close or reset, False if it stays open."""
    conn.settimeout(PATIENCE)
    try:
        while conn.recv(1 << 20):
            pass
    except ConnectionResetError:
        return True
    except TimeoutError:
        return False
    return True
