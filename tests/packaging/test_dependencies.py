"""Each default dependency is one the package imports, and the package imports no other.

Read from the source with `ast` (every import, also one inside a function or
under `TYPE_CHECKING`) against the requirements in pyproject.toml, so a
dependency the code stopped using (as python-dateutil was) cannot linger,
and a new import cannot ship undeclared.
"""

from __future__ import annotations

import ast
import importlib.metadata
import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "prefactor_http"
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
# Only `prefactor_http.server` may use the `server` extra; the pytest plugin runs only in pytest.
SERVER_PARTS = ("server",)
PLUGIN = PACKAGE / "pytest_plugin.py"


def requirement_names(requirements: list[str]) -> set[str]:
    return {re.split(r"[<>=!~;\[ ]", r, maxsplit=1)[0].lower() for r in requirements}


def third_party_imports(paths: list[Path]) -> set[str]:
    """The distributions the top-level modules imported by `paths` belong to."""
    by_module = importlib.metadata.packages_distributions()
    found: set[str] = set()
    for path in paths:
        for node in ast.walk(ast.parse(path.read_text("utf-8"), str(path))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.partition(".")[0]
                if top in sys.stdlib_module_names or top == "prefactor_http":
                    continue
                found.update(d.lower() for d in by_module.get(top, [f"<unknown {top}>"]))
    return found


def package_files(server: bool) -> list[Path]:
    return [
        path
        for path in sorted(PACKAGE.rglob("*.py"))
        if (path.relative_to(PACKAGE).parts[0] in SERVER_PARTS) == server and path != PLUGIN
    ]


def test_the_client_imports_exactly_its_default_dependencies():
    """Outside the server, every third-party import is a dependency and every dependency used."""
    declared = requirement_names(PROJECT["dependencies"])
    imported = third_party_imports(package_files(server=False))
    assert imported == declared


def test_the_server_imports_only_dependencies_and_its_extra():
    """The local server's imports are all covered by the default dependencies and `server`."""
    allowed = requirement_names(PROJECT["dependencies"]) | requirement_names(
        PROJECT["optional-dependencies"]["server"]
    )
    imported = third_party_imports(package_files(server=True))
    assert imported <= allowed, imported - allowed
    assert {"jsonschema", "aiohttp"} <= imported


def test_the_pytest_plugin_needs_nothing_but_pytest():
    """Loaded by pytest in any project that installs the package, it imports no extra."""
    assert third_party_imports([PLUGIN]) == {"pytest"}
