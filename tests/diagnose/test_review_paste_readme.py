"""Review of issue 13, finding 13: examples/worlds/README.md says what the tool does today. A
pasted describe-copy-job with the Vault Lock retention message is checked against the
vault-lock world (the README said such messages answered ``unknown`` "as before"), and the
README no longer says the EC2 Allowed AMIs setting is not modelled (docs/world.md has it)."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from backup_access.cli import main

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "examples" / "worlds" / "README.md").read_text(encoding="utf-8")
JOB = {
    "CopyJob": {
        "AccountId": "111111111111",
        "CopyJobId": "4E6F5A9B-1234-5678-9ABC-DEF012345678",
        "SourceBackupVaultArn": "arn:aws:backup:us-east-1:111111111111:backup-vault:open",
        "SourceRecoveryPointArn": "arn:aws:ec2:us-east-1::snapshot/snap-0123456789abcdef0",
        "DestinationBackupVaultArn": "arn:aws:backup:us-east-1:111111111111:backup-vault:governed",
        "State": "FAILED",
        "StatusMessage": (
            "Copy job failed. The retention specified in the job is not within the range "
            "specified for the target Backup Vault."
        ),
        "IamRoleArn": "arn:aws:iam::111111111111:role/service-role/AWSBackupDefaultServiceRole",
        "ResourceType": "EBS",
        "Lifecycle": {"DeleteAfterDays": 30},
    }
}


def test_the_readme_command_for_a_pasted_job_is_checked_against_the_world() -> None:
    assert "examples/worlds/vault-lock --error -" in README
    assert "as before" not in README
    result = CliRunner().invoke(
        main,
        ["explain", "--world", str(ROOT / "examples/worlds/vault-lock"), "--error", "-"],
        input=json.dumps(JOB, indent=4),
    )
    first = result.stdout.splitlines()[0]
    assert "AWS refused this but the world allows it" in first, result.output
    assert "governed" in first and "30 days" in first


def test_the_readme_does_not_call_allowed_amis_unmodelled() -> None:
    world_doc = (ROOT / "docs" / "world.md").read_text(encoding="utf-8")
    assert "allowed_images" in world_doc
    not_reproduced = README.split("## Not reproduced", 1)[1]
    assert "Allowed AMIs" not in not_reproduced
    assert "ec2.allowed_images" in README
