"""Regenerate the code that is derived, never written by hand.

Three products, all checked by `make check-generated`:

- `prefactor_http/_generated/` from `openapi.yaml` by openapi-python-client,
  with the overrides in `templates/` (answers read absent fields as None;
  each endpoint module offers only a public `build_request`);
- the blocking twin `prefactor_http/_sync/` from the async facade by a
  token rewrite (the httpcore "unasync" approach), so the twins cannot drift;
- `prefactor_http/server/openapi.json`, the spec as JSON inside the package,
  so that an installed local server validates against it without the
  repository (and without a YAML parser).

The first two are written into a scratch folder first and then swapped in (or
compared, with --check): the generator's own --overwrite keeps stray files.
"""

from __future__ import annotations

import argparse
import filecmp
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

import yaml  # noqa: E402
from bulk_actions import bulk_actions_module  # noqa: E402
from drift import explain  # noqa: E402
from reference import reference  # noqa: E402
from spec_model import null_clears  # noqa: E402
from surface import group_modules  # noqa: E402
from typed_params import typed_params_module  # noqa: E402
from unasync import GENERATED_BANNER, write_sync_twin  # noqa: E402

GENERATED = ROOT / "prefactor_http" / "_generated"
SYNC = ROOT / "prefactor_http" / "_sync"
SPEC_COPY = ROOT / "prefactor_http" / "server" / "openapi.json"
REFERENCE = ROOT / "docs" / "reference.md"


MARKER = """\
# Generated code: do not edit

Everything in this folder is written by openapi-python-client from
`openapi.yaml` with `generator-config.yaml` (both at the repository root).
Change those, then run `make generate`; `make check-generated` fails on any
hand edit.
"""

# The generator always writes these; our templates render them empty (the
# facade sends requests and maps errors itself), so they are dropped.
UNUSED = ("client.py", "errors.py")


def json_object_fields(spec: dict[str, Any]) -> list[str]:
    """`Schema.property` of every property openapi.yaml types JsonObject (alone or in an allOf).

    The generator reads JsonObject as Any and forgets where it came from; the
    templates check these fields hold a dict (or null).
    """
    return sorted(
        f"{name}.{prop}"
        for name, schema in spec["components"]["schemas"].items()
        for prop, body in (schema.get("properties") or {}).items()
        if any(
            ref.get("$ref", "").endswith("/JsonObject") for ref in [body, *body.get("allOf", [])]
        )
    )


def templates_with_spec_facts(spec: dict[str, Any], folder: Path) -> Path:
    """`templates/` copied into `folder`, with `json_objects.jinja` written from the spec."""
    shutil.copytree(ROOT / "templates", folder)
    (folder / "json_objects.jinja").write_text(
        "{# Written by scripts/generate.py from openapi.yaml: the properties typed JsonObject. #}\n"
        f"{{% set json_object_fields = {json.dumps(json_object_fields(spec))} %}}\n"
    )
    return folder


def generate_client(spec: dict[str, Any], out: Path) -> None:
    templates = templates_with_spec_facts(spec, out.parent / "templates")
    subprocess.run(
        [
            "openapi-python-client",
            "generate",
            "--path",
            str(ROOT / "openapi.yaml"),
            "--config",
            str(ROOT / "generator-config.yaml"),
            "--custom-template-path",
            str(templates),
            "--meta",
            "none",
            "--output-path",
            str(out),
        ],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    for name in UNUSED:
        unused = out / name
        if unused.read_text().strip():
            raise SystemExit(f"{unused.name} is not empty: is its template in templates/ gone?")
        unused.unlink()
    (out / "GENERATED.md").write_text(MARKER)
    (out / "limits.py").write_text(limits_module(spec))


# The spec's limits that the client checks before sending: (constant, where in the spec).
# A {"name": ...} step picks the list entry of that name (an operation's parameter).
LIMITS: list[tuple[str, tuple[str | dict[str, str], ...]]] = [
    ("IDEMPOTENCY_KEY_MIN_LENGTH", ("components", "schemas", "IdempotencyKey", "minLength")),
    ("IDEMPOTENCY_KEY_MAX_LENGTH", ("components", "schemas", "IdempotencyKey", "maxLength")),
    (
        "BULK_KEY_MIN_LENGTH",
        ("components", "schemas", "BulkItem", "properties", "idempotency_key", "minLength"),
    ),
    (
        "BULK_KEY_MAX_LENGTH",
        ("components", "schemas", "BulkItem", "properties", "idempotency_key", "maxLength"),
    ),
    (
        "AGENT_PAGE_SIZE_MAX",
        (
            "paths",
            "/api/v1/agent",
            "get",
            "parameters",
            {"name": "pagination[page_size]"},
            "schema",
            "maximum",
        ),
    ),
]


def limits_module(spec: dict[str, Any]) -> str:
    """`_generated/limits.py`: the numbers and field sets the generator leaves out of its models."""
    lines = [
        '"""Limits stated in openapi.yaml, for the checks made before sending.',
        "",
        "Written by scripts/generate.py (`make generate`); do not edit.",
        '"""',
        "",
        "from typing import Literal",
        "",
    ]
    for name, where in LIMITS:
        value: Any = spec
        for step in where:
            if isinstance(step, dict):
                [(key, wanted)] = step.items()
                value = next(entry for entry in value if entry.get(key) == wanted)
            else:
                value = value[step]
        path = ".".join(
            step if isinstance(step, str) else "[{}={}]".format(*next(iter(step.items())))
            for step in where
        )
        lines.append(f"{name} = {value!r}  # {path}")
    # A `<Schema>Clearable` Literal for every schema with properties whose null clears them.
    for schema, body in spec["components"]["schemas"].items():
        marked = [json.dumps(field) for field in null_clears(body)]
        if marked:
            lines.append(f"# components.schemas.{schema}: the properties marked x-null-clears")
            lines.append(f"{schema}Clearable = Literal[{', '.join(marked)}]")
    # The string properties that must hold a character when given (`minLength: 1`, also
    # through a `$ref` such as OptionalText), of every schema an argument may take.
    non_empty = {}
    for schema, body in spec["components"]["schemas"].items():
        fields = [
            field
            for field, sub in (body.get("properties") or {}).items()
            if min_length(spec, sub) >= 1
        ]
        if fields and body.get("additionalProperties") is False:
            non_empty[schema] = fields
    lines.append("# Per request schema: the string properties of `minLength` 1 or more")
    lines.append("NON_EMPTY: dict[str, frozenset[str]] = {")
    lines += [f"    {name!r}: frozenset({fields!r})," for name, fields in non_empty.items()]
    lines.append("}")
    return "\n".join(lines) + "\n"


def min_length(spec: dict[str, Any], schema: dict[str, Any]) -> int:
    """A property's `minLength`, through `$ref`s and a `oneOf` with null."""
    while "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    options = [o for o in schema.get("oneOf", []) if o.get("type") != "null"]
    if len(options) == 1:
        return min_length(spec, options[0])
    return int(schema.get("minLength", 0))


def spec_as_json(spec: dict[str, Any]) -> str:
    return json.dumps(spec, indent=1, ensure_ascii=False) + "\n"


def write_groups(spec: dict[str, Any], out: Path) -> dict[str, str]:
    """The generated method groups and bulk items, formatted as ruff would, by package path."""
    modules = {
        **group_modules(spec),
        "models/bulk_actions.py": bulk_actions_module(spec),
        "models/params.py": typed_params_module(spec),
    }
    for relative, text in modules.items():
        (out / relative).parent.mkdir(parents=True, exist_ok=True)
        (out / relative).write_text(text)
    for args in (["check", "--fix-only", "--quiet", "--select", "I,F401"], ["format", "--quiet"]):
        subprocess.run(
            ["ruff", args[0], "--config", ROOT / "pyproject.toml", "--no-cache", *args[1:], out],
            check=True,
        )
    return {relative: (out / relative).read_text() for relative in modules}


def orphans(groups: dict[str, str]) -> list[Path]:
    """Generated group modules in the package that no tag of the spec produces now."""
    return [
        path
        for path in sorted((ROOT / "prefactor_http" / "endpoints").glob("*.py"))
        if GENERATED_BANNER in path.read_text()[:400] and f"endpoints/{path.name}" not in groups
    ]


def differences(expected: Path, actual: Path, shown: str = "") -> list[str]:
    """What differs between a fresh folder and the committed one, `shown` before each path."""
    cmp = filecmp.dircmp(expected, actual)
    found: list[str] = []

    def walk(c: filecmp.dircmp[str], prefix: str) -> None:
        found.extend(f"missing: {prefix}{n}" for n in c.left_only)
        found.extend(f"not generated: {prefix}{n}" for n in c.right_only)
        found.extend(f"differs: {prefix}{n}" for n in c.diff_files)
        for name, sub in c.subdirs.items():
            walk(sub, f"{prefix}{name}/")

    walk(cmp, shown)
    return [line for line in found if "__pycache__" not in line]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true", help="fail on any difference")
    args = parser.parse_args()

    spec = yaml.safe_load((ROOT / "openapi.yaml").read_text())
    with tempfile.TemporaryDirectory() as scratch:
        fresh_client = Path(scratch) / "_generated"
        fresh_sync = Path(scratch) / "_sync"
        generate_client(spec, fresh_client)
        groups = write_groups(spec, Path(scratch) / "groups")
        write_sync_twin(ROOT / "prefactor_http", fresh_sync, groups)

        if args.check:
            client_problems = differences(fresh_client, GENERATED, "prefactor_http/_generated/")
            problems = client_problems + differences(fresh_sync, SYNC, "prefactor_http/_sync/")
            stale = [
                (name.removeprefix("prefactor_http/"), fresh_client / name.split("/", 2)[2])
                for kind, _, name in (line.partition(": ") for line in client_problems)
                if kind == "differs" and name.endswith(".py")
            ]
            for relative, text in groups.items():
                current = ROOT / "prefactor_http" / relative
                if not current.exists() or current.read_text() != text:
                    problems.append(f"differs: prefactor_http/{relative}")
                    stale.append((relative, Path(scratch) / "groups" / relative))
            problems += [f"no tag writes it any more: {path}" for path in orphans(groups)]
            for relative, fresh in stale:
                current = ROOT / "prefactor_http" / relative
                committed = current.read_text() if current.exists() else None
                problems += explain(spec, relative, fresh.read_text(), committed)
            if not SPEC_COPY.exists() or SPEC_COPY.read_text() != spec_as_json(spec):
                problems.append(f"differs: {SPEC_COPY.relative_to(ROOT)}")
            if not REFERENCE.exists() or REFERENCE.read_text() != reference(spec):
                problems.append(f"differs: {REFERENCE.relative_to(ROOT)}")
            for line in problems:
                print(line, file=sys.stderr)
            if problems:
                print("generated code is stale: run `make generate` and commit", file=sys.stderr)
                return 1
            print("generated code matches openapi.yaml and the async facade")
            return 0

        for fresh, target in ((fresh_client, GENERATED), (fresh_sync, SYNC)):
            shutil.rmtree(target, ignore_errors=True)
            shutil.copytree(fresh, target)
        for path in orphans(groups):
            path.unlink()
        for relative, text in groups.items():
            (ROOT / "prefactor_http" / relative).write_text(text)
        SPEC_COPY.write_text(spec_as_json(spec))
        REFERENCE.write_text(reference(spec))
    return 0


if __name__ == "__main__":
    sys.exit(main())
