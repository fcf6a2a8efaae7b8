"""The project configuration file: ``.backup-access.toml`` or ``[tool.backup-access]`` in
``pyproject.toml`` — explain's default world and lint's settings; command-line options win."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from backup_access.cli import main

ROOT = Path(__file__).parents[1]
DENIED_COPY = [
    "copy",
    "--caller", "arn:aws:iam::111111111111:role/BackupOperator",
    "--role", "arn:aws:iam::111111111111:role/service-role/BackupCopyRole",
    "--recovery-point", "arn:aws:ec2:us-east-1::snapshot/snap-0a1b2c3d4e5f60001",
    "--source-vault", "arn:aws:backup:us-east-1:111111111111:backup-vault:prod",
    "--destination-vault", "arn:aws:backup:us-east-1:222222222222:backup-vault:wrong-org",
    "--key", "arn:aws:kms:us-east-1:111111111111:key/1111aaaa-0000-4000-8000-000000000001",
]  # fmt: skip
POLICY = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "backup:*", '
POLICY += '"Resource": "arn:aws:backup:us-east-1:111111111111:backup-vault:x"}]}'


def run(args: list[str]) -> tuple[int, str]:
    result = CliRunner().invoke(main, args)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.output


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "worlds").symlink_to(ROOT / "examples" / "worlds")
    (tmp_path / "policies").mkdir()
    (tmp_path / "policies" / "placeholder.json").write_text(POLICY)  # BA020: 111111111111
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_explain_takes_its_world_from_the_configuration(project: Path) -> None:
    (project / ".backup-access.toml").write_text('world = "worlds/cross-account-copy"\n')
    code, out = run(["explain", "-q", "--expect", "denied", *DENIED_COPY])
    assert code == 0, out
    assert out.startswith("✘ DENIED copy")


def test_the_command_line_world_wins(project: Path) -> None:
    (project / ".backup-access.toml").write_text('world = "worlds/does-not-exist"\n')
    code, out = run(["explain", "--world", "worlds/cross-account-copy", "-q", *DENIED_COPY])
    assert code == 0, out
    code, out = run(["explain", "-q", *DENIED_COPY])
    assert code == 3 and "does-not-exist" in out


def test_pyproject_table_and_a_parent_directory(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (project / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.backup-access]\nworld = "worlds/cross-account-copy"\n'
    )
    (project / "sub").mkdir()
    monkeypatch.chdir(project / "sub")
    code, out = run(["explain", "-q", *DENIED_COPY])
    assert code == 0 and out.startswith("✘ DENIED copy"), out


def test_lint_settings_from_the_configuration_and_options_on_top(project: Path) -> None:
    code, out = run(["lint", "policies"])
    assert code == 1 and "BA020" in out
    (project / ".backup-access.toml").write_text('[lint]\ndisable = ["BA020"]\n')
    code, out = run(["lint", "policies"])
    assert code == 0 and "BA020" not in out, out
    (project / ".backup-access.toml").write_text('[lint]\nfail-on = "never"\n')
    code, out = run(["lint", "policies"])
    assert code == 0 and "BA020" in out  # reported, but not failing
    code, out = run(["lint", "policies", "--fail-on", "error"])
    assert code == 1  # the command line wins


def test_lint_kind_for_from_the_configuration(project: Path) -> None:
    (project / ".backup-access.toml").write_text('[lint.kind-for]\n"policies/*" = "scp"\n')
    _, out = run(["lint", "--format", "json", "policies"])
    assert '"kind": "scp"' in out, out


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('wrold = "x"\n', "unknown setting(s) wrold"),
        ("world = 3\n", "world: expected a path"),
        ('[lint]\ndisable = ["BA999"]\n', "BA999"),
        ("world = \n", "not valid TOML"),
    ],
)
def test_a_bad_configuration_is_invalid_input_naming_the_file(
    project: Path, text: str, message: str
) -> None:
    (project / ".backup-access.toml").write_text(text)
    command = ["lint", "policies"] if "lint" in text else ["explain", *DENIED_COPY]
    code, out = run(command)
    assert code == 3, out
    assert ".backup-access.toml" in out and message in out
