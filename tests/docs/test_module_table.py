"""CONTRIBUTING.md's module table names every module of the package, and no module that is gone.

A row's first cell names modules in backticks: a path under `prefactor_http/`
(`server/_api.py`), a folder (`_sync/`, `models/`), or a pattern
(`endpoints/<group>.py`).
"""

from __future__ import annotations

import fnmatch
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "prefactor_http"
NAMED = re.compile(r"`([\w/<>*.]+(?:\.py|/))`")


def table_rows() -> list[str]:
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    table = text[text.index("| module | holds |") :]
    rows = []
    for line in table.splitlines()[2:]:
        if not line.startswith("|"):
            break
        rows.append(line)
    return rows


def patterns() -> set[str]:
    """Each module path or pattern the table names, relative to the package."""
    found: set[str] = set()
    for row in table_rows():
        for name in NAMED.findall(row.split("|")[1]):
            found.add(re.sub(r"<\w+>", "*", name) + ("*" if name.endswith("/") else ""))
    return found


def modules() -> list[str]:
    return sorted(
        str(path.relative_to(PACKAGE))
        for path in PACKAGE.rglob("*.py")
        if path.name != "__init__.py"
    )


def test_every_module_has_its_row():
    named = patterns()
    missing = [m for m in modules() if not any(fnmatch.fnmatch(m, p) for p in named)]
    assert not missing, f"CONTRIBUTING.md's module table names none of {missing}"


def test_every_module_the_table_names_exists():
    stale = [p for p in patterns() if not any(fnmatch.fnmatch(m, p) for m in modules())]
    assert not stale, f"CONTRIBUTING.md's module table names what is gone: {stale}"
