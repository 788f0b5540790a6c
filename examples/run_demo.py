"""`make demo`: start a local server, run both example agents against it, stop the server.

The server runs as its own process (`python -m prefactor_http.server --port 0`),
as a user would start it; its first line of output is the URL to use. Extra
arguments go to the server: `--sparse` makes it leave null fields out of its
answers, as the hosted API may.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
EXAMPLES = ["agent_run_sync.py", "agent_run_async.py"]
TOKEN = "demo-token"


def main() -> int:
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "prefactor_http.server",
            "--port",
            "0",
            "--token",
            TOKEN,
            *sys.argv[1:],
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        url = server.stdout.readline().strip()
        if not url.startswith("http://"):
            print("the local server did not start", file=sys.stderr)
            return 1
        env = {**os.environ, "PREFACTOR_API_URL": url, "PREFACTOR_API_TOKEN": TOKEN}
        for example in EXAMPLES:
            print(f"\n== examples/{example} (against {url})", flush=True)
            subprocess.run([sys.executable, str(HERE / example)], env=env, check=True)
    except subprocess.CalledProcessError as exc:
        return exc.returncode
    finally:
        server.terminate()
        server.wait(timeout=10)
    return 0


if __name__ == "__main__":
    sys.exit(main())
