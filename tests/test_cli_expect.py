"""``--expect`` takes the same values in explain as in simulate."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from backup_access.cli import main

ROOT = Path(__file__).parents[1]
DELETE = [
    "explain", "--world", "examples/worlds/restore-and-delete", "delete-recovery-point",
    "--caller", "arn:aws:iam::111111111111:role/BackupOperator",
    "--recovery-point",
    "arn:aws:backup:us-east-1:111111111111:recovery-point:ef633021-5e2a-4c1b-9d3e-7a8b9c0d1e2f",
    "--vault", "arn:aws:backup:us-east-1:111111111111:backup-vault:prod",
]  # fmt: skip


@pytest.mark.parametrize(
    ("expect", "code"),
    [("denied", 0), ("explicit_deny", 0), ("implicit_deny", 1), ("allowed", 1)],
)
def test_explain_expect_values(expect: str, code: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """The vault policy's explicit Deny of DeleteRecoveryPoint (the example's README)."""
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(main, [*DELETE, "--expect", expect, "-q"])
    assert result.exit_code == code, result.output


def test_the_choices_are_the_same_everywhere() -> None:
    explain = CliRunner().invoke(main, ["explain", "copy", "--help"]).output
    simulate = CliRunner().invoke(main, ["simulate", "--help"]).output
    for value in ("allowed|denied|implicit_deny|explicit_deny",):
        assert value in explain.replace("\n", "").replace(" ", "")
        assert value in simulate.replace("\n", "").replace(" ", "")
