"""`make compat`: run the public client (prefactor-http 0.4.3) against our local server.

For each server mode (`default`, then `sparse`: answers leave out every
optional null field) this starts `python -m prefactor_http.server --port 0`
from our venv, runs `compat/public_client_run.py` in the compat venv (where
`prefactor_http` is the public package) against it, and stops the server.
Every mode runs even when an earlier one fails; the exit status is 1 if any did.

Usage: python compat/run_compat.py --compat-python .venv-compat/bin/python [--modes default sparse]
"""

from __future__ import annotations

import argparse
import secrets
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCRIPT = HERE / "public_client_run.py"
MODES = {"default": [], "sparse": ["--sparse"]}
START_TIMEOUT = 30.0


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--compat-python", required=True, help="python of the compat venv")
    parser.add_argument("--modes", nargs="+", choices=sorted(MODES), default=list(MODES))
    return parser.parse_args(argv)


def run_mode(mode: str, compat_python: str) -> int:
    """One server in `mode`, the black-box script against it; the script's exit status."""
    token = f"compat-{secrets.token_hex(8)}"
    command = [sys.executable, "-m", "prefactor_http.server", "--port", "0", "--token", token]
    shown = " ".join([*command[1:6], "<token>", *MODES[mode]])
    print(f"\n== compat, server mode {mode}: python {shown}", flush=True)
    server = subprocess.Popen(
        command + MODES[mode], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        assert server.stdout is not None
        url = server.stdout.readline().strip()
        if not url.startswith("http://"):
            server.kill()
            _, errors = server.communicate(timeout=START_TIMEOUT)
            print(f"FAIL the local server did not start in mode {mode}:", file=sys.stderr)
            print(errors.strip(), file=sys.stderr)
            return 1
        script = [compat_python, str(SCRIPT), "--url", url, "--token", token, "--mode", mode]
        return subprocess.run(script, check=False).returncode
    finally:
        if server.poll() is None:
            server.terminate()
            server.wait(timeout=START_TIMEOUT)


def main(argv: list[str] | None = None) -> int:
    """Every mode in turn; 0 only if the public client passed in all of them."""
    args = _arguments(argv)
    outcomes = {mode: run_mode(mode, args.compat_python) for mode in args.modes}
    print("\n== compat summary")
    for mode, status in outcomes.items():
        print(f"  {mode}: {'passed' if status == 0 else f'FAILED (exit {status})'}")
    return 0 if all(status == 0 for status in outcomes.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
