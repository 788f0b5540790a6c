"""Whether a host is this machine: what never leaves it needs no TLS and no token."""

from __future__ import annotations

import ipaddress


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
