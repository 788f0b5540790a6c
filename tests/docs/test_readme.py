"""The documentation's Python examples run as written, against the local server.

Every ```python block of README.md, CONTRIBUTING.md, docs/*.md and
benchmarks/README.md runs as a standalone script in a child process, and its
stdout must be what the block states (CONTRIBUTING.md, "Examples in the
docs"): a `# prints: <line>` comment per line printed, in order, or an output
fence right after the block, introduced by one line ending in `prints`; `...`
matches any text within a line. A block that states nothing must print nothing.

A block that talks to the API through PREFACTOR_API_URL and PREFACTOR_API_TOKEN
runs against the package's local server in both modes, full and sparse. One
that starts its own `LocalServer` runs once, as it is. One that defines a test
is a test file: `pytest -q` runs it, and what it states is that run's last line.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import ROOT

TOP_LEVEL = [ROOT / "README.md", ROOT / "CONTRIBUTING.md", ROOT / "benchmarks" / "README.md"]
MARKDOWN = sorted([*TOP_LEVEL, *(ROOT / "docs").glob("*.md")])
FENCED = re.compile(r"^```.*?^```", re.S | re.M)
# A fence, its language, its text, and what stands between it and the next fence.
FENCE = re.compile(r"^```(\w*)\n(.*?)^```[ \t]*(?:\n|\Z)(.*?)(?=^```|\Z)", re.S | re.M)
PRINTS = re.compile(r"# prints:(?: (.*))?$", re.M)
TIMEOUT = 60


@dataclass(frozen=True)
class Block:
    """One ```python block and the output it states."""

    file: str
    number: int
    code: str
    fence: list[str] | None  # the `prints` fence after it, if any

    @property
    def name(self) -> str:
        return f"{self.file}#{self.number}"

    @property
    def is_test(self) -> bool:
        return re.search(r"^def test_", self.code, re.M) is not None

    @property
    def has_own_server(self) -> bool:
        return "prefactor_http.server" in self.code

    @property
    def expected(self) -> list[str]:
        comments = [line.rstrip() for line in PRINTS.findall(self.code)]
        if comments and self.fence is not None:
            raise AssertionError(f"{self.name} states its output twice: comments and a fence")
        return self.fence if self.fence is not None else comments


def blocks_of(text: str, file: str) -> list[Block]:
    """The python blocks of a Markdown text, numbered from 1, each with its `prints` fence."""
    fences = FENCE.findall(text)
    found = []
    for index, (language, code, after) in enumerate(fences):
        if language != "python":
            continue
        following = fences[index + 1] if index + 1 < len(fences) else None
        fence = None
        introduced = re.fullmatch(r"([^\n]*\s)?prints", after.strip()) is not None
        if introduced and following is not None and following[0] == "":
            fence = [line.rstrip() for line in following[1].splitlines()]
        found.append(Block(file, len(found) + 1, code, fence))
    return found


def line_pattern(expected: str) -> re.Pattern[str]:
    return re.compile(".*".join(re.escape(part) for part in expected.split("...")))


def reconciled(expected: list[str], printed: list[str]) -> list[str]:
    """`expected`, with each line whose `...` pattern matches its printed line replaced by it.

    Equal to `printed` exactly when the output is what the block states; else
    pytest's diff of the two shows only the lines that differ.
    """
    return [
        actual if actual is not None and line_pattern(line).fullmatch(actual) else line
        for line, actual in zip(expected, [*printed, *[None] * len(expected)], strict=False)
    ]


def printed_lines(stdout: str) -> list[str]:
    return [line.rstrip() for line in stdout.splitlines()]


def name(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


BLOCKS = [block for path in MARKDOWN for block in blocks_of(path.read_text(), name(path))]
THROUGH_ENV = [b for b in BLOCKS if not b.has_own_server and not b.is_test]
OWN_SERVER = [b for b in BLOCKS if b.has_own_server and not b.is_test]
UNDER_PYTEST = [b for b in BLOCKS if b.is_test]


def clean_environment(**extra: str) -> dict[str, str]:
    """This process's environment without the package's own variables, plus `extra`."""
    kept = {k: v for k, v in os.environ.items() if not k.startswith("PREFACTOR_")}
    return {**kept, **extra}


def run_script(block: Block, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-c", block.code]
    return subprocess.run(
        command, env=env, cwd=cwd, capture_output=True, text=True, timeout=TIMEOUT
    )


def assert_prints_what_it_states(block: Block, result: subprocess.CompletedProcess[str]) -> None:
    assert result.returncode == 0, f"{block.name} exited {result.returncode}:\n{result.stderr}"
    printed = printed_lines(result.stdout)
    assert printed == reconciled(block.expected, printed), f"{block.name} printed otherwise"


@pytest.mark.slow  # each example in a child process
@pytest.mark.parametrize("prefactor_server", ["full", "sparse"], indirect=True)
@pytest.mark.parametrize("block", THROUGH_ENV, ids=lambda b: b.name)
def test_example_prints_what_it_states(prefactor_server, block, tmp_path):
    """Run as a user would, with the two variables the README names set to the local server."""
    env = clean_environment(
        PREFACTOR_API_URL=prefactor_server.url, PREFACTOR_API_TOKEN=prefactor_server.token
    )

    assert_prints_what_it_states(block, run_script(block, tmp_path, env))


@pytest.mark.slow  # each example in a child process
@pytest.mark.parametrize("block", OWN_SERVER, ids=lambda b: b.name)
def test_local_server_example_prints_what_it_states(block, tmp_path):
    """An example that starts its own local server runs as it is."""
    assert_prints_what_it_states(block, run_script(block, tmp_path, clean_environment()))


@pytest.mark.slow  # pytest in a child process
@pytest.mark.parametrize("block", UNDER_PYTEST, ids=lambda b: b.name)
def test_fixture_example_passes_under_pytest(block, tmp_path):
    """A test example is a test file: pytest finds `prefactor_server`, every test passes."""
    (tmp_path / "test_docs_example.py").write_text(block.code)
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist"]
    result = subprocess.run(
        [*command, "test_docs_example.py"],
        env=clean_environment(),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=TIMEOUT * 2,
    )

    assert result.returncode == 0, f"{block.name}:\n{result.stdout}{result.stderr}"
    last = printed_lines(result.stdout)[-1:]
    assert last == reconciled(block.expected, last), f"{block.name} ended otherwise"


SAMPLE = """\
```python
print("a")  # prints: a
for n in range(2):
    print("id", n)
# prints: id ...
# prints: id ...
```

```sh
echo skipped
```

```python
print("tree")
```

prints

```
tree
```

```python
def test_it():
    pass
```

As a test file, `pytest -q` on it prints

```
1 passed in ...
```

```python
print("x")  # prints: x
```

The fence below is not its output.

```
y
```
"""


def test_stated_output_is_read_from_comments_and_fences():
    """Comments and a `prints` fence state the output; other fences are not python blocks."""
    first, second, third, fourth = blocks_of(SAMPLE, "sample.md")

    assert (first.name, first.expected) == ("sample.md#1", ["a", "id ...", "id ..."])
    assert (second.name, second.expected) == ("sample.md#2", ["tree"])
    assert (third.is_test, third.expected) == (True, ["1 passed in ..."])
    assert (fourth.name, fourth.expected) == ("sample.md#4", ["x"])


def test_output_must_match_line_for_line():
    """`...` stands for any text within a line; a missing, extra or other line is a difference."""
    expected = ["a", "id ..."]

    assert reconciled(expected, ["a", "id inst_4f2"]) == ["a", "id inst_4f2"]
    assert reconciled(expected, ["a", "ID 1"]) == ["a", "id ..."]
    assert reconciled(expected, ["a"]) != ["a"]
    assert reconciled(expected, ["a", "id 1", "more"]) != ["a", "id 1", "more"]
    assert reconciled([], ["anything"]) != ["anything"]


def test_a_block_states_its_output_once():
    """A block with both `# prints:` comments and a `prints` fence is refused."""
    text = "```python\nprint(1)  # prints: 1\n```\n\nprints\n\n```\n1\n```\n"

    with pytest.raises(AssertionError, match="twice"):
        _ = blocks_of(text, "twice.md")[0].expected


def anchors(path: Path) -> set[str]:
    """The heading anchors GitHub makes for `path` (code blocks left out)."""
    text = FENCED.sub("", path.read_text())
    headings = re.findall(r"^#+ (.+)$", text, re.M)
    return {re.sub(r"[^\w\- ]", "", h.strip().lower()).replace(" ", "-") for h in headings}


def relative_links(path: Path) -> list[str]:
    text = re.sub(r"`[^`\n]*`", "", FENCED.sub("", path.read_text()))
    targets = re.findall(r"\]\(([^)\s]+)\)", text)
    return [t for t in targets if not re.match(r"[a-z]+:", t)]


@pytest.mark.parametrize("path", MARKDOWN, ids=name)
def test_relative_links_point_at_what_exists(path):
    """Every relative link names a file that exists, and a heading of it when it has an anchor."""
    broken = []
    for link in relative_links(path):
        target, _, anchor = link.partition("#")
        file = (path.parent / target).resolve() if target else path
        if not file.exists() or (file.suffix == ".md" and anchor and anchor not in anchors(file)):
            broken.append(link)

    assert broken == []
