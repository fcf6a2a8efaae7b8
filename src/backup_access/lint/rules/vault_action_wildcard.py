"""BA030: a wildcard in the Action of a backup vault access policy, which AWS Backup does not
support there ("wildcards are not supported in the Action key")."""

from __future__ import annotations

from collections.abc import Iterator

from backup_access.lint.model import Severity
from backup_access.lint.rule import Hit, Rule
from backup_access.lint.view import PolicyView


def check(view: PolicyView) -> Iterator[Hit]:
    if not view.source.vault:
        return
    for statement in view.statements:
        for element in ("Action", "NotAction"):
            for pointer, action in statement.strings(element):
                if "*" in action or "?" in action:
                    yield Hit(
                        pointer,
                        f"'{action}': a vault access policy cannot use wildcards "
                        "in Action; list the actions (e.g. backup:CopyIntoBackupVault)",
                    )


RULE = Rule(
    id="BA030",
    severity=Severity.ERROR,
    title="Wildcard action in a backup vault access policy",
    explanation="AWS Backup vault access policies do not support wildcards in the Action key; "
    "list each action explicitly.",
    source="https://docs.aws.amazon.com/aws-backup/latest/devguide/create-a-vault-access-policy.html",
    check=check,
    example='A vault access policy with "Action": "backup:*"',
    fix="List the actions one by one (backup:CopyIntoBackupVault, backup:DeleteRecoveryPoint…).",
)
