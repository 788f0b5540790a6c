"""The `server` extra's check: one clear error, naming the install command, when it is missing.

Without it, importing the server failed on whichever of its libraries came
first (a bare `No module named 'jsonschema'`), and without rfc3339-validator
jsonschema would silently stop checking `date-time` fields.
"""

from __future__ import annotations

from importlib.util import find_spec

# Import names of the `server` extra's distributions (pyproject.toml).
SERVER_MODULES = ("aiohttp", "jsonschema", "rfc3339_validator")
INSTALL = "pip install 'prefactor-http[server]'"


def require_server_extra() -> None:
    """Raise ModuleNotFoundError naming every missing module and the install command.

    An `ImportError` still, so code that guards the import keeps working.
    """
    missing = [name for name in SERVER_MODULES if find_spec(name) is None]
    if missing:
        raise ModuleNotFoundError(
            f"prefactor_http.server (the local API, its command and the prefactor_server "
            f"pytest fixture) needs the `server` extra; missing: {', '.join(missing)}. "
            f"Install it with: {INSTALL}",
            name=missing[0],
        )
