"""Lint settings as a configuration file gives them (the seam for ``[tool.backup-access]``),
and the pre-commit hook definition."""

from __future__ import annotations

import shlex
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from backup_access.cli import main
from backup_access.errors import InputError
from backup_access.lint import PolicyKind
from backup_access.lint.files import GlobKind, LintSettings, settings_from_mapping

ROOT = Path(__file__).parents[2]
BROKEN = (
    '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", '
    '"Action": "backup:CopyIntoBackupVault", "Resource": "*"}]}'
)


def test_settings_from_a_configuration_table() -> None:
    settings = settings_from_mapping(
        {
            "disable": ["ba020"],
            "disable-for": {"examples/*": ["BA031"]},
            "kind": "identity",
            "kind-for": {"scps/*.json": "scp", "rcps/*.json": "rcp"},
            "fail-on": "warning",
        },
        source="pyproject.toml",
    )
    assert settings.rules_off("policies/a.json") == {"BA020"}
    assert settings.rules_off("examples/vault.json") == {"BA020", "BA031"}
    assert settings.kind_of("org/scps/deny.json") is PolicyKind.SCP
    assert settings.kind_of("other.json") is PolicyKind.IDENTITY
    assert settings.fail_on == "warning"


@pytest.mark.parametrize(
    ("table", "expected"),
    [
        ({"disable": ["BA999"]}, "BA999"),
        ({"kind-for": {"*.json": "scpx"}}, "scpx"),
        ({"fail-on": "sometimes"}, "fail-on"),
        ({"disabled": ["BA020"]}, "unknown lint setting(s): disabled"),
        ({"disable-for": ["BA020"]}, "disable-for: expected a table"),
    ],
)
def test_bad_settings_name_the_file(table: dict[str, object], expected: str) -> None:
    with pytest.raises(
        InputError, match=expected.replace("(", r"\(").replace(")", r"\)")
    ) as caught:
        settings_from_mapping(table, source="pyproject.toml")
    assert caught.value.file == "pyproject.toml"


def test_the_command_line_overrides_the_file() -> None:
    from_file = LintSettings(
        disabled=frozenset({"BA020"}),
        kind_for=(GlobKind("*.json", PolicyKind.SCP),),
        fail_on="warning",
    )
    from_cli = LintSettings(
        disabled=frozenset({"BA031"}), kind_for=(GlobKind("rcp*.json", PolicyKind.RCP),)
    )
    merged = from_file.overridden_by(from_cli, fail_on_given=False)
    assert merged.disabled == {"BA020", "BA031"}
    assert merged.kind_of("rcp-perimeter.json") is PolicyKind.RCP  # the later glob wins
    assert merged.kind_of("guard.json") is PolicyKind.SCP
    assert merged.fail_on == "warning"
    assert from_file.overridden_by(from_cli, fail_on_given=True).fail_on == "error"


def test_pre_commit_hook_runs_the_linter_and_skips_other_files(tmp_path: Path) -> None:
    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert hook["id"] == "backup-access-lint" and hook["language"] == "python"
    assert set(hook["types_or"]) == {"json", "yaml"}
    program, command, *options = shlex.split(hook["entry"])
    assert (program, command) == ("backup-access", "lint")
    other = tmp_path / "ci.yml"
    other.write_text("on: push\n", encoding="utf-8")
    vault = tmp_path / "vault.json"
    vault.write_text(BROKEN, encoding="utf-8")
    result = CliRunner().invoke(main, ["lint", *options, str(other), str(vault)])
    assert result.exit_code == 1, result.output  # the vault policy's error, not the CI file
    assert "BA031" in result.output and "ci.yml" not in result.stderr
    # Without the hook's option a named file that holds no policy is an input error.
    assert CliRunner().invoke(main, ["lint", str(other)]).exit_code == 3


def test_docs_show_the_three_line_pre_commit_setup_and_the_sarif_upload() -> None:
    docs = (ROOT / "docs" / "lint.md").read_text(encoding="utf-8")
    assert "id: backup-access-lint" in docs
    assert "github/codeql-action/upload-sarif" in docs
    assert "security-events: write" in docs
