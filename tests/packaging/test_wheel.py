"""The built wheel: its metadata (license, authors, URLs, classifiers) and the LICENSE file."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from email.parser import Parser
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> zipfile.ZipFile:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(ROOT)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (built,) = out.glob("prefactor_http-*.whl")
    return zipfile.ZipFile(built)


def dist_info(wheel: zipfile.ZipFile, name: str) -> str:
    (path,) = [
        n
        for n in wheel.namelist()
        if n.split("/")[0].endswith(".dist-info") and n.endswith("/" + name)
    ]
    return wheel.read(path).decode("utf-8")


def test_the_wheel_carries_the_mit_license_file(wheel):
    """LICENSE is in the wheel, the MIT text, named by License-File."""
    text = dist_info(wheel, "LICENSE")
    assert text.startswith("MIT License\n\nCopyright (c) 2026 Prefactor Pty Ltd\n")
    assert text == (ROOT / "LICENSE").read_text("utf-8")
    metadata = Parser().parsestr(dist_info(wheel, "METADATA"))
    assert metadata["License-Expression"] == "MIT"
    assert metadata.get_all("License-File") == ["LICENSE"]


def test_the_metadata_names_authors_urls_and_classifiers(wheel):
    """Author, project URLs, keywords, and classifiers including Typing :: Typed."""
    metadata = Parser().parsestr(dist_info(wheel, "METADATA"))
    assert metadata["Author-email"] == "Prefactor Pty Ltd <josh@prefactor.tech>"
    assert metadata.get_all("Project-URL")
    assert "prefactor" in metadata["Keywords"].split(",")
    classifiers = metadata.get_all("Classifier")
    assert {"Typing :: Typed", "Programming Language :: Python :: 3.11"} <= set(classifiers)
    # PEP 639: the license expression replaces the license classifiers.
    assert not [c for c in classifiers if c.startswith("License ::")]
    assert "prefactor_http/py.typed" in wheel.namelist()
    assert metadata["Requires-Python"] == ">=3.11"
