"""What measure_losses.py's harness and its child processes share.

Paths (the repository, and the script every child runs), the local
server's token, the writer modes each failure is measured in, and the time
limits.

No module of the harness imports prefactor_http at its top, only where it
is used: the harness imports it from the copy it makes (the working tree
may be mid-edit), a child from PYTHONPATH.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "measure_losses.py"  # what every child runs, with --child
TOKEN = "prefactor-local-token"
MODES: dict[str, str | None] = {"no spool": None, "spool batch": "batch", "spool always": "always"}
SPOOL_MODES = [mode for mode, sync in MODES.items() if sync is not None]
# How long after acceptance a "batch" spool may still lose an item: COMMIT_INTERVAL plus a commit.
BATCH_WINDOW_MS = 250
RECOVERY_TIMEOUT = 120.0  # close(timeout=) of a recovery writer, and of children closing normally

Spec = dict[str, Any]
