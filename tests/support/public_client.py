"""The public client, prefactor-http 0.4.3, run as a black box for the compat tests.

It lives in its own venv (`.venv-compat`, from compat/requirements.txt): its
import name is ours too. `public_python()` builds that venv through the
Makefile's stamp target when it is missing or stale (`make test` builds it
first; the lock keeps xdist workers from building it at once), and
`run_public()` runs a snippet there, from the temp dir so that our package
cannot be imported instead, and reads the JSON it prints.
"""

from __future__ import annotations

import fcntl
import json
import os
import subprocess
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
PUBLIC_PYTHON = ROOT / ".venv-compat" / "bin" / "python"
LOCK = Path(tempfile.gettempdir()) / f"prefactor-compat-venv-{os.getuid()}.lock"
# Every snippet first proves it runs the public client, not ours.
PRELUDE = """\
import json, sys
import prefactor_http
assert prefactor_http.__version__ == "0.4.3", prefactor_http.__file__
"""


def public_python() -> Path:
    """The compat venv's python, the venv built or refreshed first by `make`."""
    with LOCK.open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        subprocess.run(
            ["make", "-s", ".venv-compat/.installed"],
            cwd=ROOT,
            check=True,
            capture_output=True,
            timeout=300,
        )
    return PUBLIC_PYTHON


def run_public(code: str, data: object = None, *args: str) -> Any:
    """Run `code` under 0.4.3 with `data` as JSON on stdin (`json.load(sys.stdin)`); its JSON."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("PYTHON")}
    result = subprocess.run(
        [str(public_python()), "-c", PRELUDE + code, *args],
        input=json.dumps(data),
        capture_output=True,
        text=True,
        cwd=tempfile.gettempdir(),
        env=env,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)
