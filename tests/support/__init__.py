"""Helpers shared by tests in several folders: scripted servers, the operations table, drivers.

Not tests themselves: pytest collects nothing here. Import them as
`from tests.support.flaky_server import FlakyServer` (pyproject puts the
repository root on the path). Fixtures belong in tests/conftest.py instead.
"""
