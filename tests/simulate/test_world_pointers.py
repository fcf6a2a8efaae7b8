"""``simulate --world`` names the world file of each quoted statement, as ``explain`` does
(fuzz round s23, F8): in a directory of many files a bare pointer does not say which file
holds the statement."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from backup_access.cli import main

WORLD = Path(__file__).parents[2] / "examples" / "worlds" / "restore-and-delete"
FILE = WORLD / "workloads-111111111111.yaml"
POINTER = "#/accounts/111111111111/iam/policies/BackupOperatorPolicy/Statement/0"


@pytest.mark.parametrize("output", ["text", "markdown"])
def test_simulate_world_names_the_file(output: str) -> None:
    result = CliRunner().invoke(
        main,
        [
            "simulate",
            "--world",
            str(WORLD),
            "--principal",
            "arn:aws:iam::111111111111:role/BackupOperator",
            "--action",
            "backup:DeleteBackupVault",
            "--resource",
            "arn:aws:backup:us-east-1:111111111111:backup-vault:prod",
            "--format",
            output,
        ],
    )
    assert result.exit_code == 0, result.output
    assert f"{FILE}{POINTER}" in result.output
