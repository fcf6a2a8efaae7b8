"""BA032: a Deny with no condition that blocks what AWS Backup itself needs: copies into the
vault, backups, or the use of a KMS key by every principal, the backup roles included."""

from __future__ import annotations

from collections.abc import Iterator

from backup_access.lint.model import PolicyKind, Severity
from backup_access.lint.rule import Hit, Rule
from backup_access.lint.statement_queries import is_open_to_everyone, named_actions
from backup_access.lint.view import PolicyView
from backup_access.policy.model import Effect, Statement

_BACKUP_ACTIONS = (
    "backup:CopyIntoBackupVault",
    "backup:StartBackupJob",
    "backup:StartCopyJob",
    "backup:CopyFromBackupVault",
)
_KEY_ACTIONS = ("kms:Decrypt", "kms:GenerateDataKey", "kms:CreateGrant", "kms:DescribeKey")


def _applies_to_everyone(statement: Statement, kind: PolicyKind) -> bool:
    return kind in (PolicyKind.SCP, PolicyKind.IDENTITY) or is_open_to_everyone(statement)


def check(view: PolicyView) -> Iterator[Hit]:
    kind = view.source.kind
    # RCPs restrict KMS keys but not AWS Backup (not an RCP-supported service).
    actions = _KEY_ACTIONS if kind in (PolicyKind.KMS_KEY, PolicyKind.RCP) else _BACKUP_ACTIONS
    for statement, parsed in view.parsed():
        if (
            parsed.effect is not Effect.DENY
            or parsed.conditions
            or parsed.not_principal is not None
        ):
            continue
        if parsed.resources != ("*",) and kind not in (PolicyKind.RESOURCE, PolicyKind.KMS_KEY):
            continue
        if not _applies_to_everyone(parsed, kind):
            continue
        denied = named_actions(parsed, actions)
        if denied:
            yield Hit(
                f"{statement.pointer}/Effect",
                f"this Deny has no condition and blocks {', '.join(denied)} for every "
                "principal, AWS Backup's service role and the organization's copies "
                "included: exempt them with a condition (e.g. aws:PrincipalArn, "
                "aws:PrincipalOrgID)",
            )


RULE = Rule(
    id="BA032",
    severity=Severity.WARNING,
    title="Unconditional Deny that blocks AWS Backup",
    explanation="An explicit deny wins over every allow. A Deny on copy/backup actions, or on "
    "the key actions AWS Backup uses, with no condition stops the backup service role and "
    "cross-account copies as well as the people it was meant for.",
    source="https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html",
    check=check,
    example='An SCP with {"Effect": "Deny", "Action": "backup:StartRestoreJob", "Resource": "*"}',
    fix=(
        "Exempt the principals that must perform the operation, e.g. a Condition ArnNotLike "
        "aws:PrincipalArn [arn:aws:iam::*:role/BackupAdmin, "
        "arn:aws:iam::*:role/aws-service-role/backup.amazonaws.com/AWSServiceRoleForBackup], "
        "or narrow the Deny to the resources it protects."
    ),
    kinds=frozenset(
        {
            PolicyKind.RESOURCE,
            PolicyKind.KMS_KEY,
            PolicyKind.SCP,
            PolicyKind.RCP,
            PolicyKind.IDENTITY,
        }
    ),
)
