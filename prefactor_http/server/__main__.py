"""`python -m prefactor_http.server`: serve the local API until interrupted.

The first line on stdout is the base URL, so a script can read it and hand it
to the client as `PREFACTOR_API_URL`.
"""

from __future__ import annotations

import argparse
import asyncio
import signal
import sys

from prefactor_http.server._api import LocalApi
from prefactor_http.server._app import LocalServerCore, open_site
from prefactor_http.server._local import DEFAULT_TOKEN, default_token

DEFAULT_PORT = 8484


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m prefactor_http.server",
        description="Serve a local Prefactor API (state in memory) until interrupted.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument(
        "--port",
        type=int,
        default=DEFAULT_PORT,
        help=f"0 picks a free port (default {DEFAULT_PORT})",
    )
    parser.add_argument(
        "--token",
        default=None,
        help=f"bearer token to accept (default $PREFACTOR_API_TOKEN, else {DEFAULT_TOKEN!r})",
    )
    parser.add_argument(
        "--sparse",
        action="store_true",
        help="leave out of every answer the fields whose value is null, as the hosted API may",
    )
    return parser.parse_args(argv)


def client_exports(url: str, token: str) -> str:
    """The line that points a client at this server; a token of the user's own is not echoed."""
    if token == DEFAULT_TOKEN:
        return f"export PREFACTOR_API_URL={url} PREFACTOR_API_TOKEN={DEFAULT_TOKEN}"
    return f"export PREFACTOR_API_URL={url}  # and PREFACTOR_API_TOKEN: the token given"


async def serve(host: str, port: int, token: str, *, sparse: bool = False) -> None:
    """Serve until SIGINT or SIGTERM."""
    api = LocalApi(token, sparse=sparse)
    runner, url = await open_site(LocalServerCore(api), host, port)
    print(url, flush=True)
    shown = "the default token" if token == DEFAULT_TOKEN else "the token given"
    mode = ", leaving null fields out of answers" if sparse else ""
    print(
        f"Prefactor local API on {url}, accepting {shown}{mode}; Ctrl-C stops it.\n"
        f"For a client in another shell:\n  {client_exports(url, token)}",
        file=sys.stderr,
        flush=True,
    )
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    try:
        await stop.wait()
    finally:
        await runner.cleanup()


def main(argv: list[str] | None = None) -> int:
    """Run the server; exit status 0 when stopped by a signal."""
    args = _arguments(argv)
    asyncio.run(serve(args.host, args.port, args.token or default_token(), sparse=args.sparse))
    return 0


if __name__ == "__main__":
    sys.exit(main())
