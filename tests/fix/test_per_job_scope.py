"""A service role's fix on a resource AWS Backup makes per job covers the next jobs' too,
scoped as AWS's managed policy AWSBackupServiceRolePolicyForBackup scopes it (review finding
M7, s23): https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AWSBackupServiceRolePolicyForBackup.html
(statement EC2ModifyPermissions: ec2:ModifySnapshotAttribute on "*" when
aws:ResourceTag/aws:backup:source-resource is present; RDSBackupPermissions on
arn:aws:rds:*:*:snapshot:awsbackup:*; BackupVaultCopyPermissions on "*")."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest

from backup_access.catalogue import CheckKind
from backup_access.diagnose import CheckDecision, Explanation, explain_operation
from backup_access.diagnose.model import CheckResult
from backup_access.fix import FixPlan, plan_fixes, world_from_json
from backup_access.fix.per_job import BACKUP_TAG, per_job_pattern, per_job_scope
from tests.diagnose.fixtures.worlds import (
    COPY,
    OPERATOR,
    PROD,
    SNAPSHOT,
    SOURCE_VAULT,
    account,
    raw_org,
)

NEXT_SNAPSHOT = "arn:aws:ec2:us-east-1::snapshot/snap-2"  # tomorrow's job


@pytest.mark.parametrize(
    ("resource", "pattern"),
    [
        (
            f"arn:aws:backup:us-east-1:{PROD}:recovery-point:rp-1",
            f"arn:aws:backup:us-east-1:{PROD}:recovery-point:*",
        ),
        (SNAPSHOT, "arn:aws:ec2:us-east-1::snapshot/*"),
        ("arn:aws:ec2:eu-west-1::image/ami-1", "arn:aws:ec2:eu-west-1::image/*"),
        (
            f"arn:aws:rds:us-east-1:{PROD}:snapshot:awsbackup:job-1",
            f"arn:aws:rds:us-east-1:{PROD}:snapshot:awsbackup:*",
        ),
        (
            f"arn:aws:rds:us-east-1:{PROD}:cluster-snapshot:awsbackup:job-1",
            f"arn:aws:rds:us-east-1:{PROD}:cluster-snapshot:awsbackup:*",
        ),
        # not made by AWS Backup, or not made per job
        (f"arn:aws:rds:us-east-1:{PROD}:snapshot:manual-1", None),
        (SOURCE_VAULT, None),
        (f"arn:aws:kms:us-east-1:{PROD}:key/k", None),
    ],
)
def test_the_pattern_of_what_aws_backup_makes_per_job(resource: str, pattern: str | None) -> None:
    assert per_job_pattern(resource) == pattern


def share_check(context: tuple[tuple[str, tuple[str, ...]], ...]) -> CheckResult:
    return CheckResult(
        id="copy.role-share-ebs-snapshot",
        kind=CheckKind.PERMISSION,
        title="share",
        source="",
        decision=CheckDecision.IMPLICIT_DENY,
        reason="",
        action="ec2:ModifySnapshotAttribute",
        resource=SNAPSHOT,
        context=context,
    )


def test_without_the_tag_on_the_request_the_exact_arn_stays_with_a_note() -> None:
    """A request read from an error message carries no resource tag: a tag-conditioned
    statement could not be checked, and an unconditioned one would let the role share
    every snapshot of the Region."""
    scope = per_job_scope(share_check(()))
    assert scope is not None
    assert scope.resource == SNAPSHOT and scope.condition is None
    (note,) = scope.notes
    assert BACKUP_TAG in note and "arn:aws:ec2:us-east-1::snapshot/*" in note


def test_with_the_tag_the_statement_mirrors_the_managed_policy() -> None:
    scope = per_job_scope(share_check(((BACKUP_TAG, ("vol-1",)),)))
    assert scope is not None
    assert scope.resource == "arn:aws:ec2:us-east-1::snapshot/*"
    assert scope.condition == {"Null": {BACKUP_TAG: "false"}}


def copy_role_without_ec2() -> dict[str, Any]:
    """The fixture with a copy role allowed everything a copy needs but EC2's sharing."""
    data = raw_org()
    role = account(data, PROD)["iam"]["roles"]["BackupCopyRole"]
    role["policies"] = []
    role["inline"] = {
        "Copy": {
            "Version": "2012-10-17",
            "Statement": [
                {"Effect": "Allow", "Action": ["backup:*", "kms:*"], "Resource": "*"},
            ],
        }
    }
    return data


def plan_for(data: dict[str, Any], operation: str, parameters: Mapping[str, str]) -> FixPlan:
    def diagnose(candidate: Any) -> Explanation:
        return explain_operation(candidate, operation, parameters)

    return plan_fixes(data, diagnose(world_from_json(data)), diagnose)


def test_the_copy_roles_share_fix_covers_the_next_snapshots() -> None:
    plan = plan_for(copy_role_without_ec2(), "copy", COPY)
    [fix] = [f for f in plan.fixes if "copy.role-share-ebs-snapshot" in f.checks]
    assert fix.generator == "FX-IDENTITY"
    [statement] = fix.document["Statement"]
    assert statement["Action"] == "ec2:ModifySnapshotAttribute"
    assert statement["Resource"] == "arn:aws:ec2:us-east-1::snapshot/*"
    assert statement["Condition"] == {"Null": {BACKUP_TAG: "false"}}
    assert fix.verified, fix.verification
    assert any("AWSBackupServiceRolePolicyForBackup" in note for note in fix.notes)
    # the next night's copy, of a new snapshot, passes on the patched world
    tomorrow = {**COPY, "recovery_point": NEXT_SNAPSHOT, "resource_type": "EBS"}
    after = explain_operation(world_from_json(plan.patched), "copy", tomorrow)
    share = next(c for c in after.checks if c.id == "copy.role-share-ebs-snapshot")
    assert share.decision is CheckDecision.ALLOWED, share.reason


def test_the_callers_own_request_keeps_its_exact_resource() -> None:
    """Deleting one recovery point is the caller's question about that point, not a job's."""
    parameters = {"caller": OPERATOR, "recovery_point": SNAPSHOT, "vault": SOURCE_VAULT}
    plan = plan_for(raw_org(), "delete-recovery-point", parameters)
    [fix] = [f for f in plan.fixes if "delete-recovery-point.delete-snapshot" in f.checks]
    [statement] = fix.document["Statement"]
    assert statement["Resource"] == SNAPSHOT
    assert "Condition" not in statement
