"""List every public name of the public client (prefactor-http 0.4.3), module by module.

Runs in the compat venv, where `prefactor_http` is the public package, as a
black box: it imports each public module (no part of the dotted path starts
with `_`) and lists that module's public names by one rule:

- a module that defines `__all__`: exactly `__all__`;
- any other module: each name not starting with `_` whose value is a class or
  function defined in the package (`__module__` starts with `prefactor_http`),
  a `Literal[...]` alias, or an upper-case constant (a str, int, float or
  bool whose name is all capitals). Typing helpers (`TYPE_CHECKING`, `T`,
  `Any`), pydantic, aiohttp and standard-library names are left out.

Re-exports count: a name is listed under every module a user can import it
from. Each name comes with its kind (exception, class, function, literal,
constant or other), so a test can check that ours is the same kind of thing.
The answer is written as JSON, `{"modules": {module: {name: kind}}}`, sorted,
to the path given (`compat/public_names_0_4_3.json`, read by
`tests/compat/test_compat_names.py`); `make compat-names` refreshes it.

Usage: python compat/list_public_names.py OUTPUT.json
"""

from __future__ import annotations

import importlib
import inspect
import json
import pkgutil
import sys
import typing
from pathlib import Path

PACKAGE = "prefactor_http"


def _is_public_module(name: str) -> bool:
    return not any(part.startswith("_") for part in name.split("."))


def _counts(name: str, value: object) -> bool:
    """True when `value`, bound to `name` in a module without `__all__`, is public API."""
    if name.startswith("_") or hasattr(typing, name):
        return False
    if inspect.isclass(value) or inspect.isfunction(value):
        return str(getattr(value, "__module__", "")).startswith(PACKAGE)
    if typing.get_origin(value) is typing.Literal:
        return True
    constant = isinstance(value, str | int | float | bool)
    return constant and name.isupper()


def kind(value: object) -> str:
    """What sort of thing a public name is."""
    if inspect.isclass(value):
        return "exception" if issubclass(value, BaseException) else "class"
    if inspect.isfunction(value):
        return "function"
    if typing.get_origin(value) is typing.Literal:
        return "literal"
    if isinstance(value, str | int | float | bool):
        return "constant"
    return "other"


def public_names(module_name: str) -> dict[str, str]:
    """The public names of one module, by the rule in this script's docstring, with their kinds."""
    module = importlib.import_module(module_name)
    declared = getattr(module, "__all__", None)
    if declared is not None:
        names = sorted(declared)
    else:
        names = sorted(name for name, value in vars(module).items() if _counts(name, value))
    return {name: kind(getattr(module, name)) for name in names}


def main(argv: list[str]) -> int:
    """Write the JSON list to argv[1]; print the totals."""
    package = importlib.import_module(PACKAGE)
    version = getattr(package, "__version__", "?")
    walked = pkgutil.walk_packages(package.__path__, f"{PACKAGE}.")
    modules = sorted([PACKAGE, *(info.name for info in walked)])
    listing = {name: public_names(name) for name in modules if _is_public_module(name)}
    document = {"package": PACKAGE, "version": version, "modules": listing}
    Path(argv[1]).write_text(json.dumps(document, indent=2, sort_keys=True) + "\n")
    pairs = sum(len(names) for names in listing.values())
    print(f"{PACKAGE} {version}: {pairs} (module, name) pairs in {len(listing)} modules")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
