"""The public client (prefactor-http 0.4.3), as a black box, against our local server.

Runs in the compat venv, where `prefactor_http` is the public package. Every
method of its seed groups is called the way users' code calls it; each
answer is checked field by field, and what the server stored is read back
over HTTP from the loopback-only `/_control` endpoints.

The checks state what the hosted API does (see shared/wire-format.md), so
they fail where our server differs from it. Each step runs even when an
earlier one failed (ids are then read from the server's state), so one run
lists every difference; a failure prints the request the client sent.
Exit status: 0 if every check passed, 1 otherwise.

The steps are modules beside this script, imported from its directory
(first on `sys.path` when it runs): public_instances_and_spans.py,
public_bulk.py, public_requests.py and public_agents.py, with what they
share (the run's checks, the server's state) in public_checks.py.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import traceback

from public_agents import agents
from public_bulk import bulk
from public_checks import Run
from public_instances_and_spans import instances_and_spans
from public_requests import raw_requests

from prefactor_http import HttpClientConfig, PrefactorHttpClient
from prefactor_http import __version__ as public_version


async def main_async(url: str, token: str, mode: str) -> int:
    """Every step against the server at `url`; 0 when every check passed."""
    run = Run(url, mode)
    print(f"public client {public_version} against {url} (server mode {mode})")
    config = HttpClientConfig(
        api_url=url, api_token=token, max_retries=0, initial_retry_delay=0.01, max_retry_delay=0.05
    )
    async with PrefactorHttpClient(config) as client:
        for step in (instances_and_spans, bulk, raw_requests, agents):
            try:
                await step(run, client)
            except Exception:
                run.check(f"{step.__name__} ran to its end", False, traceback.format_exc(limit=3))
    print(f"\n{run.passed} checks passed, {len(run.failed)} failed (server mode {mode})")
    for name in run.failed:
        print(f"  failed: {name}")
    return 1 if run.failed else 0


def main() -> int:
    """Parse `--url`, `--token`, `--mode` and run."""
    parser = argparse.ArgumentParser(description="The public client against a local server.")
    parser.add_argument("--url", required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--mode", default="default")
    args = parser.parse_args()
    return asyncio.run(main_async(args.url, args.token, args.mode))


if __name__ == "__main__":
    sys.exit(main())
