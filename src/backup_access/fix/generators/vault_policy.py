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
"""

from __future__ import annotations

from typing import Any

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
    candidates = []
    for scope, principal, condition in _scopes(context, who, account):
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
    notes: tuple[str, ...] = ()
    if not candidates:
        notes = (f"--scope {context.scope} is not possible for account {account}",)
    return Proposal(ID, failure, candidates=tuple(candidates), notes=notes)


GENERATOR = Generator(
    id=ID,
    title="Allow the other account, its OU or the organization in the vault's access policy",
    source="https://docs.aws.amazon.com/aws-backup/latest/devguide/create-cross-account-backup.html",
    propose=propose,
)
