"""The local server's modules import one another one way only, and each imports on its own.

The import graph is read from the source with `ast` (every import, also one
inside a function or under `TYPE_CHECKING`), so a module added to
`prefactor_http/server/` is covered without a change here.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = "prefactor_http.server"
FOLDER = Path(__file__).resolve().parents[2] / "prefactor_http" / "server"
MODULES = {
    PACKAGE if path.stem == "__init__" else f"{PACKAGE}.{path.stem}": path
    for path in sorted(FOLDER.glob("*.py"))
}


def imported_modules(name: str, path: Path) -> set[str]:
    """The server modules `name` imports anywhere in its source, itself excluded."""
    package = name if path.stem == "__init__" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"), str(path))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[: len(parts) - node.level + 1] + ([base] if base else []))
            # `from package import _module` names a module; `from module import name` does not.
            targets = [base, *(f"{base}.{alias.name}" for alias in node.names)]
        else:
            continue
        found.update(target for target in targets if target in MODULES)
    return found - {name}


GRAPH = {name: imported_modules(name, path) for name, path in MODULES.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Each import cycle once, as the modules along it (first repeated at the end)."""
    found: list[list[str]] = []
    seen: set[frozenset[str]] = set()

    def walk(module: str, trail: list[str]) -> None:
        for target in sorted(graph[module]):
            if target in trail:
                loop = trail[trail.index(target) :]
                if frozenset(loop) not in seen:
                    seen.add(frozenset(loop))
                    found.append([*loop, target])
            else:
                walk(target, [*trail, target])

    for start in sorted(graph):
        walk(start, [start])
    return found


def test_the_graph_sees_the_servers_own_imports():
    """The parser finds known edges, so an empty cycle list means something."""
    assert f"{PACKAGE}._spec" in GRAPH[f"{PACKAGE}._api"]
    assert f"{PACKAGE}._local" in GRAPH[PACKAGE]
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == [["a", "b", "c", "a"]]


def test_no_server_module_imports_back_a_module_that_imports_it():
    """No cycle among the server's modules, lazy and type-only imports included."""
    assert cycles(GRAPH) == []


@pytest.mark.parametrize("module", sorted(MODULES))
def test_each_server_module_imports_first_in_a_fresh_interpreter(module):
    """Importing the module before any other server module works."""
    result = subprocess.run(
        [sys.executable, "-c", f"import {module}"], capture_output=True, text=True, check=False
    )

    assert result.returncode == 0, result.stderr
