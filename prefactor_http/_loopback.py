"""Whether a host is this machine: what never leaves it needs no TLS and no token.

The client warns when its token would leave the machine in clear.
"""

from __future__ import annotations

import ipaddress
import logging
import sys
import warnings

import httpx

from prefactor_http.exceptions import PrefactorInsecureTransportWarning

logger = logging.getLogger("prefactor_http")


def is_loopback(host: str) -> bool:
    """`host` (unbracketed, as httpx and aiohttp give it) is 127.0.0.0/8, ::1 or localhost.

    An IPv4 address mapped into IPv6 (`::ffff:127.0.0.1`) counts as itself.
    """
    if host.lower().rstrip(".") == "localhost":
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_loopback


def warn_if_token_in_clear(api_url: str) -> None:
    """Warn, as a warning and a log line, when every call would carry the token unencrypted.

    http:// to loopback never leaves the machine (the local server, a tunnel's
    end); anywhere else whoever is on the path can read the token. A proxy
    changes nothing: the token reaches it in clear. Neither message holds the
    token, nor more of the URL than its host.
    """
    url = httpx.URL(api_url)
    if url.scheme != "http" or is_loopback(url.host):
        return
    message = (
        f"api_url is http:// to {url.host}, not a loopback address: the API token "
        "is sent unencrypted with every call; use https://"
    )
    warnings.warn(message, PrefactorInsecureTransportWarning, stacklevel=_caller_level())
    logger.warning("%s", message)


def _caller_level() -> int:
    """The `stacklevel` that names the first frame outside this package: the caller's line."""
    level = 2  # the frame that calls warnings.warn
    frame = sys._getframe(2)
    while frame.f_back is not None and frame.f_globals.get("__name__", "").startswith(
        "prefactor_http."
    ):
        frame = frame.f_back
        level += 1
    return level
