"""A pasted describe-restore-job record whose StatusMessage says the role lacks permissions to
execute the restore (found by a new user): the restore role's checks are run in the world with the
record's role, recovery point and type, the vault taken from the record or the one vault of the
world listing the point; when one is missing, the filled `explain restore` command is printed
and nothing is evaluated. Never an allow: AWS refused the restore.

Pages: DescribeRestoreJob's fields
(https://docs.aws.amazon.com/aws-backup/latest/devguide/API_DescribeRestoreJob.html) and AWS's
page for this message, which points at the instance profile's role an EC2 restore passes
(https://aws.amazon.com/premiumsupport/knowledge-center/aws-backup-encoded-authorization-failure/).
"""

from __future__ import annotations

import json
from pathlib import Path

from backup_access.diagnose import Verdict
from backup_access.diagnose.incident import explain_error
from backup_access.diagnose.messages import parse_error_message
from backup_access.diagnose.offline import answer_offline
from backup_access.world import load_world

WORLDS = Path(__file__).parents[2] / "examples" / "worlds"
ROLE = "arn:aws:iam::111111111111:role/service-role/NarrowRestoreRole"
AMI = "arn:aws:ec2:us-east-1::image/ami-0a1b2c3d4e5f60001"
VAULT = "arn:aws:backup:us-east-1:111111111111:backup-vault:main"


def _restore_job(**extra: str) -> str:
    """describe-restore-job output (the shape of /tmp/nu22/err/r1.json)."""
    return json.dumps(
        {
            "AccountId": "111111111111",
            "RestoreJobId": "1a2b3c4d-0000-1111-2222-333344445555",
            "RecoveryPointArn": AMI,
            "Status": "FAILED",
            "StatusMessage": (
                f"IAM Role {ROLE} does not have sufficient permissions to execute the restore. "
                "Please consult the permissions associated with your AWS Backup role."
            ),
            "IamRoleArn": ROLE,
            "ResourceType": "EC2",
            **extra,
        }
    )


def test_the_restore_roles_checks_are_evaluated_with_the_jobs_values() -> None:
    world = load_world(WORLDS / "backup-by-resource-type")
    result = explain_error(world, _restore_job())
    ids = {c.id for c in result.checks}
    assert {"restore.role-trust", "restore.role-describe-key"} <= ids
    assert not ids & {"restore.start-restore-job", "restore.pass-role", "restore.same-account"}
    assert result.unevaluated is None
    assert result.verdict is Verdict.UNKNOWN  # every check passes, but AWS refused it
    assert result.disagreements
    notes = " ".join(result.notes)
    assert f"taken as {VAULT}, the only vault of the world" in notes
    assert f"--vault {VAULT} --recovery-point {AMI} --resource-type EC2" in notes
    assert "--instance-role INSTANCE_ROLE_ARN" in notes
    assert "none of them is AWSBackupServiceRolePolicyForRestores" in notes


def test_the_records_own_vault_is_used() -> None:
    world = load_world(WORLDS / "backup-by-resource-type")
    result = explain_error(world, _restore_job(BackupVaultArn=VAULT))
    assert "restore.role-trust" in {c.id for c in result.checks}
    assert not any("the only vault of the world" in n for n in result.notes)


def test_a_vault_the_world_cannot_find_prints_the_command_and_evaluates_nothing() -> None:
    world = load_world(WORLDS / "cross-account-copy")
    result = explain_error(world, _restore_job())
    assert not result.checks
    assert result.verdict is Verdict.UNKNOWN
    assert result.unevaluated is not None
    assert "vault cannot be found" in result.unevaluated
    assert f"explain restore --caller CALLER_ARN --role {ROLE} --vault VAULT_ARN" in (
        result.unevaluated
    )


def test_offline_the_instance_profile_hint_is_the_restore_roles_check() -> None:
    answer = answer_offline(parse_error_message(_restore_job()))
    checks = [c.check for c in answer.causes]
    assert "restore.pass-instance-role" in checks
    assert "restore.pass-role" not in checks  # the caller's PassRole passed: the job started
    assert any(n.startswith("to check the restore role's permissions") for n in answer.notes)
