"""Review of issue 13, finding 6: the first command listed under a cause tests that cause —
the resource's policy for a resource-policy cause, Vault Lock's fields for a lock check, EC2
actions simulated against the snapshot or image, not the recovery point.

Pages: vault access policies
(https://docs.aws.amazon.com/aws-backup/latest/devguide/create-a-vault-access-policy.html),
key policies (https://docs.aws.amazon.com/kms/latest/developerguide/key-policies.html),
DescribeBackupVault's lock fields
(https://docs.aws.amazon.com/aws-backup/latest/devguide/API_DescribeBackupVault.html), EC2
resource types (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonec2.html).
"""

from __future__ import annotations

import json

import pytest

from backup_access.catalogue import load_catalogue
from backup_access.diagnose.messages import parse_error_message
from backup_access.diagnose.offline import Cause, answer_offline
from tests.diagnose.test_message_corpus import CORPUS

_CHECKS = {c.id: c for op in load_catalogue().operations.values() for c in op.checks}
_RESOURCE_POLICY_READS = (
    "aws backup get-backup-vault-access-policy",
    "aws kms get-key-policy",
    "aws iam get-role ",  # a role's trust policy
    "aws s3api get-bucket-policy",
)
_LOCK_GATES = {"lock_allows_change", "lock_removable", "lock_changeable", "retention_within_lock"}


def _causes(text: str) -> list[Cause]:
    answer = answer_offline(parse_error_message(text))
    return [*answer.causes, *answer.other_checks]


def _every_cause() -> list[tuple[str, Cause]]:
    return [(entry["id"], cause) for entry in CORPUS for cause in _causes(entry["text"])]


@pytest.mark.parametrize(("entry", "cause"), _every_cause())
def test_the_first_command_reads_the_layer_the_cause_is_listed_under(
    entry: str, cause: Cause
) -> None:
    check = _CHECKS.get(cause.check or "")
    if check is None or not cause.confirm:
        return
    first = cause.confirm[0].command
    if check.resource_policy and cause.layer == "resource":
        assert first.startswith(_RESOURCE_POLICY_READS), (entry, cause.check, first)
    if check.gate is not None and check.gate.value in _LOCK_GATES:
        assert "Locked:Locked" in first and "MinRetentionDays" in first, (entry, first)
        assert "LockDate" in first
    for command in cause.confirm:
        if check.action and check.action.startswith("ec2:") and "simulate" in command.command:
            assert ":recovery-point:" not in command.command, (entry, command.command)


def test_the_destination_vault_policy_comes_first_for_access_denied_to_backup() -> None:
    (first, *_) = _causes("Access Denied trying to call AWS Backup service")
    assert first.check == "copy.copy-into-destination-vault"
    assert first.confirm[0].command.startswith("aws backup get-backup-vault-access-policy")


def test_empty_403_key_causes_read_the_key_policy() -> None:
    text = (
        "An error occurred (AccessDeniedException) when calling the CreateBackupVault operation: "
    )
    grant = next(c for c in _causes(text) if c.check == "create-vault.kms-create-grant")
    assert grant.confirm[0].command.startswith("aws kms get-key-policy --key-id KEY_ARN")


def test_delete_recovery_point_lock_and_snapshot_commands() -> None:
    decoded = {
        "allowed": False,
        "explicitDeny": False,
        "context": {
            "principal": {"arn": "arn:aws:sts::111111111111:assumed-role/Ops/jane"},
            "action": "backup:DeleteRecoveryPoint",
            "resource": "arn:aws:backup:us-east-1:111111111111:recovery-point:abc",
        },
    }
    causes = {c.check: c for c in _causes(json.dumps(decoded))}
    lock = causes["delete-recovery-point.vault-lock"].confirm[0].command
    assert "{Locked:Locked,MinRetentionDays:MinRetentionDays" in lock
    snapshot = causes["delete-recovery-point.delete-snapshot"].confirm[0].command
    assert "--resource-arns arn:aws:ec2:us-east-1::snapshot/SNAPSHOT_ID" in snapshot
    image = causes["delete-recovery-point.deregister-image"].confirm[0].command
    assert "--resource-arns arn:aws:ec2:us-east-1::image/AMI_ID" in image
