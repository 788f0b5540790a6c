"""A token about to travel unencrypted is named: one warning and one log line per client.

No test sends anything to a host that is not loopback: the clients are only
made, or reach their non-loopback api_url through a proxy on 127.0.0.1.
"""

from __future__ import annotations

import warnings

import pytest
from conftest import TOKEN

from prefactor_http import PrefactorInsecureTransportWarning
from prefactor_http import exceptions as exceptions_module
from tests.support.flaky_server import FlakyServer, http_answer

WARNED = ["http://api.example.com", "http://10.1.2.3:8080", "http://api.example.com:443"]
SILENT = [
    "http://127.0.0.1",
    "http://127.9.8.7:8000",
    "http://localhost",
    "http://LOCALHOST:8000",
    "http://[::1]",
    "http://[::1]:8000",
    "https://api.example.com",
    "https://127.0.0.1",
]


def insecure_log_lines(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [
        record.getMessage()
        for record in caplog.records
        if record.name == "prefactor_http" and "unencrypted" in record.getMessage()
    ]


def test_only_http_to_a_host_that_is_not_loopback_warns(twin, caplog):
    """127.0.0.0/8, ::1, localhost and https:// are silent; plain http elsewhere warns."""
    warned = []
    for url in WARNED + SILENT:
        caplog.clear()
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            twin.new_client(api_url=url)
        categories = [w.category for w in caught]
        assert categories in ([], [PrefactorInsecureTransportWarning]), (url, caught)
        assert len(insecure_log_lines(caplog)) == len(categories), url
        if categories:
            warned.append(url)

    assert warned == WARNED


def test_the_warning_comes_once_per_client_names_the_host_and_never_the_token(twin, caplog):
    """Made twice, called through a loopback proxy: one warning and one log line each."""
    answers = [http_answer(200, {"status": "success"})] * 2
    with FlakyServer(answers) as proxy:
        clients = []
        for _ in range(2):
            with pytest.warns(PrefactorInsecureTransportWarning) as caught:
                clients.append(twin.new_client(api_url="http://api.example.com", proxy=proxy.url))
            assert len(caught) == 1
            message = str(caught[0].message)
            assert "http:// to api.example.com" in message
            assert TOKEN not in message
            assert caught[0].filename.endswith("conftest.py")  # the line that made the client
        for client in clients:  # with filterwarnings=error, a warning per call would raise
            assert twin(lambda c: c.validate_token(), client) == {"status": "success"}

    lines = insecure_log_lines(caplog)
    assert len(lines) == 2
    assert all("api.example.com" in line and TOKEN not in line for line in lines)
    assert all(b"GET http://api.example.com/api/v1/ping" in r for r in proxy.requests)


def test_the_warning_is_a_user_warning_of_the_package_exported_from_both_modules():
    """An application can filter it by its own category, from either import path."""
    assert issubclass(PrefactorInsecureTransportWarning, UserWarning)
    assert exceptions_module.PrefactorInsecureTransportWarning is PrefactorInsecureTransportWarning
    assert "PrefactorInsecureTransportWarning" in exceptions_module.__all__
