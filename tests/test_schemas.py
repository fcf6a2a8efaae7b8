"""JSON Schemas for the request file, the world and every JSON output, shipped in the package
and in docs/schemas, and the real files and outputs validated against them."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType
from typing import Any

import jsonschema
import pytest
import yaml
from click.testing import CliRunner

from backup_access.cli import main
from backup_access.report.schema import SCHEMA_NAMES, SCHEMA_VERSION, load_schema

ROOT = Path(__file__).parents[1]
WORLD_FILES = sorted(p for p in ROOT.glob("examples/worlds/**/*.yaml"))
REQUEST_FILES = sorted(ROOT.glob("examples/requests/*.yaml"))


def _validate(name: str, value: Any) -> None:
    jsonschema.validate(value, load_schema(name), cls=jsonschema.Draft202012Validator)


def _run(args: list[str]) -> Any:
    result = CliRunner().invoke(main, args)
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)


@pytest.fixture(autouse=True)
def _at_the_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


@pytest.mark.parametrize("name", SCHEMA_NAMES)
def test_schemas_are_valid_and_the_docs_copy_is_the_package_copy(name: str) -> None:
    schema = load_schema(name)
    jsonschema.Draft202012Validator.check_schema(schema)
    docs = json.loads((ROOT / "docs" / "schemas" / f"{name}.schema.json").read_text())
    assert docs == schema


def _generator() -> ModuleType:
    """scripts/make_schemas.py, imported without running it (it writes only as a script)."""
    spec = importlib.util.spec_from_file_location("make_schemas", ROOT / "scripts/make_schemas.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_generator_reproduces_both_committed_copies() -> None:
    # Comparing the two copies with each other cannot catch a field added by hand to both:
    # the generator is the source, so each copy must be exactly what it writes.
    generator = _generator()
    assert set(generator.SCHEMAS) == set(SCHEMA_NAMES)
    for name, schema in generator.SCHEMAS.items():
        for folder in generator.FOLDERS:
            committed = (ROOT / folder / f"{name}.schema.json").read_text()
            assert committed == generator.render(schema), f"{folder}/{name}.schema.json"


@pytest.mark.parametrize("path", WORLD_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_example_world_files_match_the_world_schema(path: Path) -> None:
    _validate("world", yaml.safe_load(path.read_text()))


@pytest.mark.parametrize("path", REQUEST_FILES, ids=lambda p: p.name)
def test_example_request_files_match_the_request_schema(path: Path) -> None:
    _validate("request", yaml.safe_load(path.read_text()))


def test_the_schemas_reject_what_the_loaders_reject() -> None:
    """Not vacuous: a misspelt key, a wrong type."""
    with pytest.raises(jsonschema.ValidationError):
        _validate(
            "world", {"accounts": {"111111111111": {"iam": {"roles": {"R": {"polices": []}}}}}}
        )
    with pytest.raises(jsonschema.ValidationError):
        _validate("request", {"request": {"principal": "x", "action": "y"}})
    with pytest.raises(jsonschema.ValidationError):
        _validate("explain", {"schema_version": SCHEMA_VERSION, "operation": "copy"})


def test_simulate_outputs_match_the_simulate_schema() -> None:
    for path in REQUEST_FILES:
        output = _run(["simulate", str(path), "--format", "json"])
        _validate("simulate", output)
    world = _run(
        ["simulate", "--world", "examples/worlds/cross-account-copy", "--principal",
         "arn:aws:iam::111111111111:role/service-role/BackupCopyRole", "--action",
         "backup:CopyIntoBackupVault", "--resource",
         "arn:aws:backup:us-east-1:222222222222:backup-vault:by-ou", "--format", "json"]
    )  # fmt: skip
    _validate("simulate", world)
    assert world["schema_version"] == SCHEMA_VERSION


def test_explain_outputs_match_the_explain_schema() -> None:
    from tests.test_readme import Command, steps

    checked = 0
    for readme in sorted(ROOT.glob("examples/worlds/*/README.md")):
        # the first explain command of each example world (operations, --error, --cloudtrail)
        commands = [s for s in steps(readme) if isinstance(s, Command)]
        for step in [c for c in commands if c.args[:1] == ["explain"]][:1]:
            _validate("explain", _run([*step.args, "--format", "json"]))
            checked += 1
    assert checked >= 8


def test_lint_output_matches_the_lint_schema() -> None:
    output = _run(["lint", "examples/lint/", "--format", "json"])
    _validate("lint", output)
    assert output["findings"] and output["schema_version"] == SCHEMA_VERSION


def test_fix_output_matches_the_explain_schema() -> None:
    output = _run(
        ["fix", "--world", "examples/worlds/cross-account-copy", "--format", "json", "copy",
         "--caller", "arn:aws:iam::111111111111:role/BackupOperator",
         "--role", "arn:aws:iam::111111111111:role/service-role/BackupCopyRole",
         "--source-vault", "arn:aws:backup:us-east-1:111111111111:backup-vault:prod",
         "--destination-vault", "arn:aws:backup:us-east-1:222222222222:backup-vault:wrong-org",
         "--recovery-point", "arn:aws:ec2:us-east-1::snapshot/snap-0a1b2c3d4e5f60001",
         "--key", "arn:aws:kms:us-east-1:111111111111:key/1111aaaa-0000-4000-8000-000000000001"]
    )  # fmt: skip
    _validate("explain", output)
    assert output["fixes"] and output["schema_version"] == SCHEMA_VERSION
