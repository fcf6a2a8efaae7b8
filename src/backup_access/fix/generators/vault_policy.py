"""FX-VAULT-POLICY: the vault's access policy does not let another account's principal in.

Across accounts the vault's access policy must allow as well as the principal's own policies
(https://docs.aws.amazon.com/aws-backup/latest/devguide/create-cross-account-backup.html).
The statement names, narrowest first: the principal's account (its root, or the principal
itself when the account is not a member of the organization), the OU the account sits in
(``ForAnyValue:StringLike`` on ``aws:PrincipalOrgPaths`` with the full ``o-…/r-…/ou-…/*``
path, https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalorgpaths),
or the organization (``aws:PrincipalOrgID``). ``--scope`` picks one; by default the
narrowest that verifies is kept. Within one account the principal's own policy is enough,
so this generator leaves same-account failures to FX-IDENTITY.

When the vault policy already has an Allow for the action whose condition fails (the
diagnosis names it as the nearest statement) and its condition names the principal's own
OU path, organization or account, that is the scope the owner meant:
``aws:PrincipalOrgPaths`` the OU (with the paths as it names them), ``aws:PrincipalOrgID``
the organization, ``aws:PrincipalAccount`` / ``aws:SourceAccount`` the account. That
scope is tried first, and the fix says plainly that the statement cannot match and may be
replaced by the new one — it is never edited or removed (no fix changes an existing
Allow). The common mistake is a single-valued operator on the multivalued
``aws:PrincipalOrgPaths``, which needs ``ForAnyValue:``
(https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from backup_access.diagnose.model import CheckResult
from backup_access.fix.context import FixContext, Scope
from backup_access.fix.generators._common import denying
from backup_access.fix.merge import sid_from
from backup_access.fix.model import DocumentEdit, Failure, Proposal
from backup_access.fix.registry import Generator
from backup_access.fix.statements import action_words, resource_allow
from backup_access.fix.targets import account_of, principal_arn, vault_at, vault_target
from backup_access.policy.arn import Arn
from backup_access.world import Vault
from backup_access.world.lookup import vault_of_recovery_point
from backup_access.world.organization import account_path

ID = "FX-VAULT-POLICY"


def vault_for(context: FixContext, failure: Failure) -> Vault | None:
    """The vault whose access policy governs the check's resource."""
    check = failure.check
    resource = check.resource or ""
    found = vault_at(context.world, resource)
    if found is not None:
        return found
    spec = context.catalogue_check(check)
    named = context.template(spec.recovery_point_vault) if spec is not None else None
    if named is not None:
        return vault_at(context.world, named)
    arn = Arn.parse(resource)
    return vault_of_recovery_point(context.world, arn) if arn is not None else None


def _scopes(context: FixContext, who: str, account: str) -> list[tuple[Scope, Any, Any]]:
    """(scope, principal, condition) from the narrowest to the widest."""
    organization = context.world.organization
    out: list[tuple[Scope, Any, Any]] = []
    member = organization is not None and context.org_member(account)
    out.append((Scope.ACCOUNT, f"arn:aws:iam::{account}:root" if member else who, None))
    if organization is None or not member:
        return out
    path = account_path(organization, account)
    if path is not None and len(path.units) > 1:
        pattern = path.text(organization.id) + "*"
        out.append(
            (Scope.OU, None, {"ForAnyValue:StringLike": {"aws:PrincipalOrgPaths": [pattern]}})
        )
    out.append((Scope.ORG, None, {"StringEquals": {"aws:PrincipalOrgID": organization.id}}))
    return out


_MULTIVALUED = {"aws:principalorgpaths"}
_SCOPE_OF_KEY = {
    "aws:principalorgpaths": Scope.OU,
    "aws:principalorgid": Scope.ORG,
    "aws:principalaccount": Scope.ACCOUNT,
    "aws:sourceaccount": Scope.ACCOUNT,
}


@dataclass(frozen=True, slots=True)
class Intent:
    """An existing Allow meant to let the principal in, whose condition cannot match."""

    sid: str
    scope: Scope
    why: str
    paths: tuple[str, ...] = ()  # the OU paths it names (for Scope.OU)


def _like(pattern: str, text: str) -> bool:
    """StringLike: ``*`` any run of characters, ``?`` one character, case-sensitive."""
    escaped = re.escape(pattern).replace(r"\*", ".*").replace(r"\?", ".")
    return re.fullmatch(escaped, text) is not None


def _why(operator: str, key: str, values: list[str], reason: str) -> str:
    plain = operator.split(":")[-1]
    if key.lower() in _MULTIVALUED and ":" not in operator:
        meant = "ForAnyValue:StringLike" if plain.lower().startswith("string") else "ForAnyValue:"
        return f"{operator} on the multivalued key {key}, where {meant} is meant"
    if plain.lower().startswith("stringequals") and any("*" in v or "?" in v for v in values):
        return f"{operator} compares '*' literally, where StringLike is meant"
    return reason or "its condition fails for this request"


@dataclass(frozen=True, slots=True)
class Whom:
    """What the principal's account is: its id, organization id and OU path."""

    account: str
    organization: str | None
    path: str | None

    def named(self, scope: Scope, value: str) -> bool:
        """Whether a condition value names this account's account, organization or OU."""
        own = {Scope.ACCOUNT: self.account, Scope.ORG: self.organization, Scope.OU: self.path}
        found = own.get(scope)
        return found is not None and _like(value, found)


def intent(check: CheckResult, whom: Whom) -> Intent | None:
    """The first failing Allow of the vault policy whose condition names the principal's
    account, organization or OU (so it was meant for it) and still fails."""
    for statement in check.statements:
        quoted = statement.quoted
        if statement.layer != "resource" or statement.effect != "Allow":
            continue
        if not isinstance(quoted.get("Condition"), dict):
            continue
        for operator, entries in quoted["Condition"].items():
            if not isinstance(entries, dict):
                continue
            for key, raw in entries.items():
                scope = _SCOPE_OF_KEY.get(str(key).lower())
                if scope is None:
                    continue
                values = [str(v) for v in (raw if isinstance(raw, list) else [raw])]
                named = tuple(v for v in values if whom.named(scope, v))
                if not named:
                    continue  # it names other accounts, organizations or OUs
                paths = named if scope is Scope.OU else ()
                why = _why(str(operator), str(key), values, statement.reason or "")
                sid = statement.sid or f"{statement.index}"
                return Intent(sid, scope, why, paths)
    return None


def _intent_note(found: Intent) -> str:
    return (
        f"statement {found.sid} looks meant to allow this but its condition cannot match "
        f"({found.why}): consider replacing it with the new statement (the fix adds a "
        "statement and leaves the existing one as it is)"
    )


def propose(context: FixContext, failure: Failure) -> Proposal | None:
    check = failure.check
    if failure.layer != "resource" or denying(check, "resource"):
        return None
    if not (check.principal and check.action and check.resource):
        return None
    if not check.action.lower().startswith("backup:"):
        return None
    vault = vault_for(context, failure)
    who = principal_arn(context.world, check.principal)
    account = account_of(context.world, who)
    if vault is None or account is None or account == vault.account:
        return None
    organization = context.world.organization
    path = account_path(organization, account) if organization is not None else None
    whom = Whom(
        account,
        organization.id if organization is not None else None,
        path.text(organization.id) if path is not None and organization is not None else None,
    )
    meant = intent(check, whom)
    scopes = _scopes(context, who, account)
    if meant is not None and context.scope is None:
        # The owner's evident scope first (the OU paths as the statement names them).
        first = [entry for entry in scopes if entry[0] is meant.scope]
        if first and meant.scope is Scope.OU:
            condition = {"ForAnyValue:StringLike": {"aws:PrincipalOrgPaths": list(meant.paths)}}
            first = [(Scope.OU, None, condition)]
        scopes = first + [entry for entry in scopes if entry[0] is not meant.scope]
    candidates = []
    for scope, principal, condition in scopes:
        if context.scope is not None and scope is not context.scope:
            continue
        sid = sid_from("Allow", action_words(check.action), "From", scope.value, account)
        if scope is Scope.ORG:
            sid = sid_from("Allow", action_words(check.action), "From organization")
        elif scope is Scope.OU:
            sid = sid_from("Allow", action_words(check.action), "From OU of", account)
        statement = resource_allow(
            principal, check.action, check.resource, sid=sid, condition=condition
        )
        candidates.append((DocumentEdit(vault_target(vault), (statement,)),))
    notes: tuple[str, ...] = (_intent_note(meant),) if meant is not None else ()
    if not candidates:
        notes = (f"--scope {context.scope} is not possible for account {account}",)
    return Proposal(ID, failure, candidates=tuple(candidates), notes=notes)


GENERATOR = Generator(
    id=ID,
    title="Allow the other account, its OU or the organization in the vault's access policy",
    source="https://docs.aws.amazon.com/aws-backup/latest/devguide/create-cross-account-backup.html",
    propose=propose,
)
