"""BA032: a Deny that blocks what an AWS Backup operation needs, for principals who must be
able to do it: the administrators, AWS Backup's service role, the destination account's
AWSServiceRoleForBackup.

For each Deny the catalogue says which operations' permission checks it would deny, and for
whom (the caller, the service role, the service-linked role). Judged are Denies with no
condition, and Denies whose only exemption is a list of principals or accounts
(``NotPrincipal``, or a negated ``aws:PrincipalArn`` / ``aws:PrincipalAccount`` condition): the
finding names who is not on the list. Listing the key's own account does not exempt a copy's
destination account, whose AWSServiceRoleForBackup uses the source key. Other
conditions are not judged. Denying the protective operations (deleting recovery points or
vaults, removing a Vault Lock, shortening retention) is the usual protection, not a finding.
Scope by kind follows AWS: SCPs and RCPs do not affect service-linked roles, RCPs apply only
to the services that support them (not AWS Backup itself).
https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from backup_access.catalogue import Actor
from backup_access.conditions.evaluate import SetOperator, read_operator
from backup_access.engine.services import RCP_EXEMPT_ACTIONS, rcp_supported_services
from backup_access.lint.backup_needs import (
    ACTOR_WORDS,
    PROTECTIVE_OPERATIONS,
    Need,
    backup_needs,
)
from backup_access.lint.model import PolicyKind, Severity
from backup_access.lint.rule import Hit, Rule
from backup_access.lint.statement_queries import is_open_to_everyone, named_actions
from backup_access.lint.view import PolicyView
from backup_access.policy.model import Effect, Statement
from backup_access.policy.wildcard import glob_matches

_SLR_PATH = "aws-service-role/backup.amazonaws.com/AWSServiceRoleForBackup"
# Negated conditions on these keys exempt a list of principals (ARNs) or accounts (ids).
_EXEMPTING_KEYS = frozenset({"aws:principalarn", "aws:principalaccount"})
_DEFAULT_SERVICE_ROLE = "service-role/AWSBackupDefaultServiceRole"
# Who each kind of policy can stop (SCPs and RCPs exempt service-linked roles).
_ACTORS = {
    PolicyKind.SCP: frozenset({Actor.CALLER, Actor.SERVICE_ROLE}),
    PolicyKind.RCP: frozenset({Actor.CALLER, Actor.SERVICE_ROLE}),
    PolicyKind.IDENTITY: frozenset({Actor.CALLER, Actor.SERVICE_ROLE}),
    PolicyKind.RESOURCE: frozenset({Actor.CALLER, Actor.SERVICE_ROLE, Actor.BACKUP_SLR}),
    PolicyKind.KMS_KEY: frozenset({Actor.CALLER, Actor.SERVICE_ROLE, Actor.BACKUP_SLR}),
}


@dataclass(frozen=True, slots=True)
class Exemption:
    """Whom a Deny leaves out: nobody, or the principals listed (``NotPrincipal`` or a
    negated ``aws:PrincipalArn`` condition; ``services`` from NotPrincipal's Service)."""

    listed: tuple[str, ...] = ()
    has_list: bool = False

    @property
    def accounts(self) -> tuple[str, ...]:
        """The whole accounts exempted (``…:root`` or a bare id)."""
        return tuple(item for item in self.listed if _is_account(item))

    def exempts(self, actor: Actor) -> bool:
        if not self.has_list:
            return False
        if self.accounts and actor is not Actor.BACKUP_SLR:
            return True  # a whole account is exempt: every principal in it
        # The service-linked role a copy needs is the *destination* account's: listing the
        # key's own account does not exempt it (see the message).
        if actor is Actor.CALLER:
            return bool(self.listed)  # the listed principals are the administrators
        sample = _SLR_PATH if actor is Actor.BACKUP_SLR else _DEFAULT_SERVICE_ROLE
        # Only the AWS-defined names are recognised; a custom service role's name says
        # nothing reliable, so the finding tells the reader to check it.
        for item in self.listed:
            role = item.split(":role/", 1)[1] if ":role/" in item else ""
            if role and glob_matches(role, sample, ignore_case=True):
                return True
        return False


def _is_account(item: str) -> bool:
    return item.endswith(":root") or (len(item) == 12 and item.isdigit())


def _exemption(statement: Statement) -> Exemption | None:
    """The Deny's exemption, or None when its conditions are not judged."""
    if statement.not_principal is not None:
        if statement.conditions:
            return None
        return Exemption(statement.not_principal.aws, has_list=True)
    listed: list[str] = []
    for condition in statement.conditions:
        operator = read_operator(condition.operator)
        if (
            isinstance(operator, str)
            or condition.key.lower() not in _EXEMPTING_KEYS
            or not operator.base.negated
            or operator.set_operator is not SetOperator.NONE
        ):
            return None
        listed.extend(condition.values)
    return Exemption(tuple(listed), has_list=bool(listed))


def _applies(need: Need, kind: PolicyKind) -> bool:
    if need.operation in PROTECTIVE_OPERATIONS or need.actor not in _ACTORS.get(kind, ()):
        return False
    service = need.action.partition(":")[0].lower()
    if kind is PolicyKind.RCP:
        return service in rcp_supported_services() and need.action.lower() not in (
            RCP_EXEMPT_ACTIONS
        )
    if kind is PolicyKind.RESOURCE:
        return service == "backup" and need.on_vault
    if kind is PolicyKind.KMS_KEY:
        return service == "kms"
    return True


def _in_scope(statement: Statement, kind: PolicyKind) -> bool:
    """The Deny reaches every principal and every resource AWS Backup works on."""
    if statement.effect is not Effect.DENY or statement.not_resources is not None:
        return False
    if kind in (PolicyKind.RESOURCE, PolicyKind.KMS_KEY):
        return statement.not_principal is not None or is_open_to_everyone(statement)
    return statement.resources == ("*",)


def _blocked(statement: Statement, kind: PolicyKind, exemption: Exemption) -> list[Need]:
    needs = [need for need in backup_needs() if _applies(need, kind)]
    denied = set(named_actions(statement, sorted({need.action for need in needs})))
    return [n for n in needs if n.action in denied and not exemption.exempts(n.actor)]


def _operations(blocked: list[Need]) -> str:
    """``restore (the caller: backup:StartRestoreJob), copy (…)``."""
    parts = []
    for operation in dict.fromkeys(need.operation for need in blocked):
        by_actor: dict[Actor, list[str]] = {}
        for need in blocked:
            if need.operation == operation:
                by_actor.setdefault(need.actor, [])
                if need.action not in by_actor[need.actor]:
                    by_actor[need.actor].append(need.action)
        who = "; ".join(f"{ACTOR_WORDS[a]}: {', '.join(acts)}" for a, acts in by_actor.items())
        parts.append(f"{operation} ({who})")
    return ", ".join(parts)


def _shut_out(actor: Actor, exemption: Exemption) -> str:
    if actor is Actor.BACKUP_SLR and exemption.accounts:
        return (
            "the AWSServiceRoleForBackup of a cross-account copy's destination account "
            "(unless that account is one of those listed)"
        )
    return ACTOR_WORDS[actor]


def _whom(kind: PolicyKind) -> str:
    if kind is PolicyKind.IDENTITY:
        return "for whoever this policy is attached to"
    return "for every principal"


def check(view: PolicyView) -> Iterator[Hit]:
    kind = view.source.kind
    for statement, parsed in view.parsed():
        if not _in_scope(parsed, kind):
            continue
        exemption = _exemption(parsed)
        if exemption is None:
            continue
        blocked = _blocked(parsed, kind, exemption)
        if not blocked:
            continue
        actions = sorted({need.action for need in blocked})
        if not exemption.has_list:
            head = f"this Deny has no condition and blocks {', '.join(actions)} {_whom(kind)}"
            tail = (
                "exempt who must do it with a condition (e.g. ArnNotLike aws:PrincipalArn "
                "for the administrators and AWS Backup's roles)"
            )
        else:
            shut_out = sorted({_shut_out(need.actor, exemption) for need in blocked})
            head = (
                f"this Deny exempts only {', '.join(exemption.listed[:4]) or 'services'}"
                f"{' and more' if len(exemption.listed) > 4 else ''}; "
                f"{' and '.join(shut_out)} {'is' if len(shut_out) == 1 else 'are'} not among "
                f"them, so it blocks {', '.join(actions)}"
            )
            tail = (
                "add those roles to the exemption (if the role you pass to AWS Backup is "
                "one of those listed, the service role part does not apply)"
            )
        yield Hit(
            f"{statement.pointer}/Effect",
            f"{head}; AWS Backup needs them for {_operations(blocked)}: {tail}",
        )


RULE = Rule(
    id="BA032",
    severity=Severity.WARNING,
    title="Deny that blocks what AWS Backup needs",
    explanation="An explicit deny wins over every allow. A Deny on an action an AWS Backup "
    "operation needs (backup, copy, restore, changing the vault policy or the account "
    "settings, using the vault's KMS key) that exempts nobody, or only a short list that "
    "leaves out AWS Backup's service role or the AWSServiceRoleForBackup of the destination "
    "account, stops those operations along with what it was meant to stop.",
    source="https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html",
    check=check,
    example='An SCP with {"Effect": "Deny", "Action": "backup:StartRestoreJob", "Resource": "*"}',
    fix="Exempt the principals that must perform the operation, e.g. a Condition "
    "ArnNotLike aws:PrincipalArn [arn:aws:iam::*:role/BackupAdmin, "
    "arn:aws:iam::*:role/service-role/AWSBackupDefaultServiceRole, arn:aws:iam::*:role/"
    "aws-service-role/backup.amazonaws.com/AWSServiceRoleForBackup], or narrow the Deny to "
    "the resources it protects.",
    kinds=frozenset(_ACTORS),
)
