"""Without the `server` extra, every way into the local server says how to install it.

The extra's libraries are hidden in a child process the way Python itself
blocks an import (`sys.modules[name] = None`): `import` raises and
`importlib.util.find_spec` answers None, as for a distribution not installed.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

pytestmark = pytest.mark.slow

HIDE = "import sys\nfor name in {names!r}:\n    sys.modules[name] = None\n"
INSTALL = "pip install 'prefactor-http[server]'"
HIDDEN = ("jsonschema", "rfc3339_validator")


def run_hidden(code: str, names: tuple[str, ...] = HIDDEN) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", HIDE.format(names=names) + code],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def last_line(text: str) -> str:
    return text.strip().splitlines()[-1]


def test_importing_the_server_names_the_missing_modules_and_the_install_command():
    """`import prefactor_http.server` fails with one ModuleNotFoundError saying what to install."""
    done = run_hidden("import prefactor_http.server")
    assert done.returncode == 1
    assert last_line(done.stderr) == (
        "ModuleNotFoundError: prefactor_http.server (the local API, its command and the "
        "prefactor_server pytest fixture) needs the `server` extra; missing: jsonschema, "
        f"rfc3339_validator. Install it with: {INSTALL}"
    )


def test_the_error_is_an_import_error_naming_the_first_missing_module():
    """Code that guards the import with `except ImportError` still works."""
    done = run_hidden(
        "try:\n    import prefactor_http.server\n"
        "except ImportError as exc:\n    print(type(exc).__name__, exc.name)\n"
    )
    assert done.stdout == "ModuleNotFoundError jsonschema\n", done.stderr


def test_the_date_time_checker_alone_missing_is_named_too():
    """Without rfc3339-validator jsonschema would skip `date-time` checks: refused as well."""
    done = run_hidden("import prefactor_http.server", ("rfc3339_validator",))
    assert "missing: rfc3339_validator. Install it with:" in last_line(done.stderr)


def test_the_command_names_the_install_command():
    """`python -m prefactor_http.server` ends on the same one-line message."""
    done = run_hidden(
        "import runpy\nrunpy.run_module('prefactor_http.server', run_name='__main__')\n"
    )
    assert done.returncode == 1
    assert last_line(done.stderr).endswith(f"Install it with: {INSTALL}")
    assert "No module named" not in done.stderr


def test_the_client_itself_imports_without_the_extra():
    """The extra is the server's only: the client package imports and builds a client."""
    done = run_hidden(
        "import prefactor_http\n"
        "c = prefactor_http.SyncPrefactorHttpClient("
        "prefactor_http.HttpClientConfig(api_url='http://127.0.0.1:9', api_token='t'))\n"
        "c.close()\nprint('ok')\n"
    )
    assert done.stdout == "ok\n", done.stderr


def test_the_pytest_fixture_names_the_install_command(pytester):
    """A test asking for `prefactor_server` errors with the message; pytest itself starts."""
    pytester.makeconftest(HIDE.format(names=HIDDEN))
    pytester.makepyfile(
        test_uses_server="def test_it(prefactor_server):\n    pass\n\ndef test_other():\n    pass\n"
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, errors=1)
    errors = [line for line in result.stdout.lines if line.startswith("E ")]
    assert errors[-1].endswith(
        f"needs the `server` extra; missing: jsonschema, "
        f"rfc3339_validator. Install it with: {INSTALL}"
    )
