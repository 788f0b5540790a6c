"""Every public method documents each of its parameters in an `Args:` section.

The public API is walked, not listed: every class and function in the
`__all__` of every public module (no part of its name private, the blocking
twin's `_sync` aside),
the method groups their attributes hold, and the methods of each class
defined in the package (inherited ones where they are defined). A new
method, or a new parameter, fails here until its docstring says what it is.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from collections.abc import Callable, Iterator

import pytest


def public_modules() -> list[str]:
    """The modules users import from: every module no part of whose name is private.

    The blocking twin's modules (`_sync`) count: they are the sync client's groups.
    """
    package = importlib.import_module("prefactor_http")
    names = ["prefactor_http"]
    for module in pkgutil.walk_packages(package.__path__, "prefactor_http."):
        parts = module.name.split(".")[1:]
        if parts[0] == "_sync":
            parts = parts[1:]
        if not any(part.startswith("_") for part in parts):
            names.append(module.name)
    return names


MODULES = public_modules()
SECTION = re.compile(r"^(?P<indent>[ \t]*)(Args|Attributes):[ \t]*$", re.MULTILINE)


def public_objects() -> Iterator[tuple[str, object]]:
    for module_name in MODULES:
        module = importlib.import_module(module_name)
        for name in getattr(module, "__all__", []):
            yield f"{module_name}.{name}", getattr(module, name)


def defined_here(obj: object) -> bool:
    return getattr(obj, "__module__", "").startswith("prefactor_http")


def methods(cls: type) -> Iterator[tuple[str, Callable[..., object], type]]:
    """The public methods `cls` has (each where it is defined), and its `__init__`."""
    seen: set[str] = set()
    for klass in cls.__mro__:
        if not defined_here(klass):
            continue
        for name, value in vars(klass).items():
            if name in seen or (name.startswith("_") and name not in ("__init__", "__call__")):
                continue
            seen.add(name)
            function = value.fget if isinstance(value, property) else value
            function = getattr(function, "__func__", function)
            if inspect.isfunction(function) and defined_here(function):
                yield f"{klass.__module__}.{klass.__qualname__}.{name}", function, klass


def documented(function: Callable[..., object], owner: type | None) -> set[str]:
    """The names an `Args:` section lists; for `__init__`, also its class's `Attributes:`."""
    docs = [inspect.getdoc(function) or ""]
    if owner is not None and function.__name__ == "__init__":
        docs.append(inspect.getdoc(owner) or "")
    found: set[str] = set()
    for doc in docs:
        for match in SECTION.finditer(doc):
            depth = len(match["indent"])
            for line in doc[match.end() :].split("\n")[1:]:
                if line.strip() and len(line) - len(line.lstrip()) <= depth:
                    break  # the section ended
                entry = re.match(r"^\s+\**(\w+)(\s*\([^)]*\))?:", line)
                if entry:
                    found.add(entry[1])
    return found


def parameters(function: Callable[..., object]) -> list[str]:
    names = list(inspect.signature(function).parameters)
    return [n for n in names if n not in ("self", "cls")]


Entry = tuple[Callable[..., object], "type | None"]


def all_callables() -> dict[str, Entry]:
    """Each public function, and each method of a public class, by qualified name."""
    found: dict[str, Entry] = {}
    for _, obj in public_objects():
        if inspect.isclass(obj) and defined_here(obj):
            for name, function, owner in methods(obj):
                found[name] = (function, owner)
        elif inspect.isfunction(obj) and defined_here(obj):
            found[f"{obj.__module__}.{obj.__qualname__}"] = (obj, None)
    return found


CALLABLES = all_callables()


def test_the_walk_reaches_the_handwritten_and_generated_methods():
    """The walk finds the methods users call most, so a short list means something."""
    names = set(CALLABLES)
    for expected in (
        "prefactor_http.client.PrefactorHttpClient.request",
        "prefactor_http._sync.client.SyncPrefactorHttpClient.validate_token",
        "prefactor_http.endpoints.agent_instances.AgentInstanceClient.register",
        "prefactor_http._sync.endpoints.agent_spans.SyncAgentSpanClient.create",
        "prefactor_http.writer.SyncSpanWriter.write",
        "prefactor_http.server._local.LocalServer.inject",
        "prefactor_http.retry.RetryHandler.execute",
        "prefactor_http.models.base.Sorting.__init__",
        "prefactor_http.endpoints.agents.AgentRawClient.__init__",
        "prefactor_http._sync.client.SyncPrefactorHttpRawClient.__init__",
    ):
        assert expected in names, sorted(names)


@pytest.mark.parametrize("name", sorted(CALLABLES))
def test_each_parameter_is_documented(name):
    """Each parameter of a public method or function has its line in an `Args:` section."""
    function, owner = CALLABLES[name]
    missing = [p for p in parameters(function) if p not in documented(function, owner)]
    assert not missing, f"{name}: document {', '.join(missing)} under Args:"
