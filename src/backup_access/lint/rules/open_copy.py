"""BA031: ``backup:CopyIntoBackupVault`` (or ``backup:*``) allowed to everyone, with no
account or organization condition: any AWS account could copy into the vault."""

from __future__ import annotations

from collections.abc import Iterator

from backup_access.lint.model import PolicyKind, Severity
from backup_access.lint.rule import Hit, Rule
from backup_access.lint.statement_queries import is_open_to_everyone, named_actions, restricts_by
from backup_access.lint.view import PolicyView
from backup_access.policy.model import Effect

_NARROWING_KEYS = frozenset(
    {
        "aws:principalorgid",
        "aws:principalorgpaths",
        "aws:principalaccount",
        "aws:principalarn",
        "aws:sourceaccount",
        "aws:sourceorgid",
        "aws:sourceorgpaths",
        "aws:sourcearn",
        "aws:userid",
        "aws:sourcevpce",
        "aws:sourcevpc",
    }
)
_ACTIONS = ("backup:CopyIntoBackupVault", "backup:StartBackupJob", "backup:DeleteRecoveryPoint")


def check(view: PolicyView) -> Iterator[Hit]:
    for statement, parsed in view.parsed():
        if parsed.effect is not Effect.ALLOW or not is_open_to_everyone(parsed):
            continue
        if restricts_by(parsed, _NARROWING_KEYS):
            continue
        opened = named_actions(parsed, _ACTIONS)
        if opened:
            yield Hit(
                f"{statement.pointer}/Principal",
                f"{', '.join(opened)} is allowed to every AWS account: add a condition on "
                "aws:PrincipalOrgID, aws:PrincipalOrgPaths or aws:PrincipalAccount",
            )


RULE = Rule(
    id="BA031",
    severity=Severity.ERROR,
    title="Backup vault open to every AWS account",
    explanation='AWS\'s organization examples use "Principal": "*" together with an '
    "aws:PrincipalOrgID or aws:PrincipalOrgPaths condition; without one, any account can copy "
    "recovery points into (and fill) the vault.",
    source="https://docs.aws.amazon.com/aws-backup/latest/devguide/create-cross-account-backup.html",
    check=check,
    example=(
        '{"Effect": "Allow", "Principal": "*", "Action": "backup:CopyIntoBackupVault", '
        '"Resource": "*"}'
    ),
    fix=(
        "Add a condition on aws:PrincipalOrgID, aws:PrincipalOrgPaths or aws:PrincipalAccount, "
        "or name the source accounts as principals."
    ),
    kinds=frozenset({PolicyKind.RESOURCE}),
)
