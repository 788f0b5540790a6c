"""The error trees users read (README.md, `prefactor_http.exceptions`' docstring) are the classes.

Each tree is parsed from its box drawing: every error class of the package
stands in it once, under the class it derives from, and nothing else does.
Every error and warning class is also exported, from the package and from
`prefactor_http.exceptions`.
"""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest

import prefactor_http
from prefactor_http import exceptions

ROOT = Path(__file__).resolve().parents[2]
# A tree line: its prefix of box drawing (its depth) and the class it names.
TREE_LINE = re.compile(r"^(?P<prefix>[ │]*(?:├── |└── )?)(?P<name>Prefactor\w+Error)\b")


def classes(base: type) -> dict[str, type]:
    """The public classes of `prefactor_http.exceptions` deriving from `base`."""
    return {
        name: value
        for name, value in vars(exceptions).items()
        if inspect.isclass(value)
        and issubclass(value, base)
        and value.__module__ == exceptions.__name__
        and not name.startswith("_")
    }


def tree_in(text: str) -> list[tuple[int, str]]:
    """Each class the first tree of `text` names, with its depth (0 for the root)."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip() == "PrefactorHttpError")
    indent = len(lines[start]) - len(lines[start].lstrip())
    found: list[tuple[int, str]] = []
    for line in lines[start:]:
        match = TREE_LINE.match(line[indent:])
        if match is None:
            break
        found.append((len(match["prefix"]) // 4, match["name"]))
    return found


def parents(tree: list[tuple[int, str]]) -> dict[str, str | None]:
    """Each name of `tree`, with the name its branch hangs from."""
    stack: list[str] = []
    found: dict[str, str | None] = {}
    for depth, name in tree:
        del stack[depth:]
        found[name] = stack[-1] if stack else None
        stack.append(name)
    return found


def readme_tree() -> str:
    return (ROOT / "README.md").read_text(encoding="utf-8")


def docstring_tree() -> str:
    return exceptions.__doc__ or ""


@pytest.mark.parametrize("source", [readme_tree, docstring_tree], ids=["README", "exceptions"])
def test_the_tree_names_every_error_under_its_base(source):
    tree = parents(tree_in(source()))
    errors = classes(exceptions.PrefactorHttpError)
    assert set(tree) == set(errors), f"left out: {set(errors) - set(tree)}"
    for name, parent in tree.items():
        cls = errors[name]
        if parent is None:
            assert cls is exceptions.PrefactorHttpError
        else:
            assert errors[parent] in cls.__bases__, f"{name} does not derive from {parent}"


def test_every_error_and_warning_is_exported_and_the_docstring_names_each_warning():
    public = {**classes(exceptions.PrefactorHttpError), **classes(Warning)}
    assert set(public) <= set(exceptions.__all__)
    assert set(public) <= set(prefactor_http.__all__)
    for name in classes(Warning):
        assert name in (exceptions.__doc__ or ""), name
