"""Every public name of prefactor-http 0.4.3 imports from the same module path here.

The list is not written by hand: `compat/list_public_names.py` reads it off
0.4.3 itself (run as a black box in the compat venv) into
`compat/public_names_0_4_3.json`, with the rule stated in that script, and
`make compat-names` refreshes it. One test checks the committed list is
still what 0.4.3 exports.
"""

from __future__ import annotations

import importlib
import importlib.util
import json
import subprocess
import typing
from pathlib import Path

import pytest

import prefactor_http
from tests.support.public_client import ROOT, public_python

LISTER = ROOT / "compat" / "list_public_names.py"
NAMES_FILE = ROOT / "compat" / "public_names_0_4_3.json"
NAMES: dict[str, dict[str, str]] = json.loads(NAMES_FILE.read_text())["modules"]
PAIRS = [(module, name, kind) for module, names in NAMES.items() for name, kind in names.items()]


def _lister() -> typing.Any:
    """compat/list_public_names.py, for its `kind()`: one rule for 0.4.3's names and ours."""
    spec = importlib.util.spec_from_file_location("list_public_names", LISTER)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


LISTER_MODULE = _lister()


@pytest.mark.parametrize(("module", "name", "kind"), PAIRS, ids=[f"{m}:{n}" for m, n, _ in PAIRS])
def test_every_0_4_3_name_imports_from_its_module_path(module, name, kind):
    """`from <module> import <name>` works, and gives the same kind of thing (class, ...)."""
    imported = importlib.import_module(module)
    assert hasattr(imported, name), f"from {module} import {name} fails"
    assert LISTER_MODULE.kind(getattr(imported, name)) == kind


def test_the_list_covers_every_public_module_of_0_4_3():
    """The figures the docs quote: 152 (module, name) pairs in 17 modules."""
    assert (len(NAMES), len(PAIRS)) == (17, 152)


@pytest.mark.slow
def test_the_committed_list_is_what_0_4_3_exports(tmp_path: Path):
    """Refreshed from 0.4.3 now, the list equals the committed one (`make compat-names`)."""
    fresh = tmp_path / "names.json"
    subprocess.run(
        [str(public_python()), str(LISTER), str(fresh)],
        cwd=tmp_path,
        check=True,
        capture_output=True,
        timeout=60,
    )
    assert json.loads(fresh.read_text()) == json.loads(NAMES_FILE.read_text())


def test_status_literals_hold_the_0_4_3_values():
    """Every value 0.4.3 accepted is still accepted (the spec may add more)."""
    assert set(typing.get_args(prefactor_http.AgentStatus)) >= {
        "pending",
        "active",
        "complete",
        "failed",
        "cancelled",
        "terminated",
    }
    assert set(typing.get_args(prefactor_http.FinishStatus)) >= {"complete", "failed", "cancelled"}
    assert set(typing.get_args(prefactor_http.InstancePurpose)) >= {"live", "smoke_test", "eval"}
