"""FX-PROTECTED: the principal is a role AWS owns (a service-linked role, an IAM Identity
Center role) whose policies the account cannot change.

Within one account a resource policy naming the principal is enough
(https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html),
so the vault's access policy or the key's policy is changed instead; across accounts the
principal's own policies must allow too, and nothing can be proposed but an alternative.
"""

from __future__ import annotations

from backup_access.fix.context import FixContext
from backup_access.fix.generators._common import denying
from backup_access.fix.merge import sid_from
from backup_access.fix.model import Alternative, DocumentEdit, Failure, Proposal
from backup_access.fix.registry import Generator
from backup_access.fix.statements import action_words, resource_allow
from backup_access.fix.targets import (
    account_of,
    entity_of,
    is_protected,
    key_at,
    key_target,
    principal_arn,
    vault_at,
    vault_target,
)
from backup_access.world.model import KeyManager

ID = "FX-PROTECTED"


def _protected(context: FixContext, principal: str) -> bool:
    entity = entity_of(context.world, principal)
    if entity is not None:
        return is_protected(entity)
    return "/aws-service-role/" in principal or "/aws-reserved/" in principal


def propose(context: FixContext, failure: Failure) -> Proposal | None:
    check = failure.check
    if failure.layer != "identity" or denying(check, "identity"):
        return None
    if not (check.principal and check.action and check.resource):
        return None
    if not _protected(context, check.principal):
        return None
    who = principal_arn(context.world, check.principal)
    same = account_of(context.world, who) == account_of(context.world, check.resource)
    sid = sid_from("Allow", action_words(check.action), who.rsplit("/", 1)[-1])
    vault = vault_at(context.world, check.resource)
    key = key_at(context.world, check.resource)
    if same and vault is not None:
        statement = resource_allow(who, check.action, vault.arn, sid=sid)
        return Proposal(
            ID, failure, candidates=((DocumentEdit(vault_target(vault), (statement,)),),)
        )
    if same and key is not None and key.manager is KeyManager.CUSTOMER:
        statement = resource_allow(who, check.action, "*", sid=sid)
        return Proposal(ID, failure, candidates=((DocumentEdit(key_target(key), (statement,)),),))
    return Proposal(
        ID,
        failure,
        alternative=Alternative(
            target=who,
            text=(
                f"{who} is a role AWS owns: its policies cannot be changed, and "
                f"{check.resource} has no resource policy in the same account that could "
                f"allow {check.action} instead. Use a role of your own for this request, or "
                "ask AWS Support whether the service-linked role's managed policy is meant to "
                "cover it."
            ),
        ),
    )


GENERATOR = Generator(
    id=ID,
    title="Allow an AWS-owned role in the resource's policy instead of its own",
    source="https://docs.aws.amazon.com/IAM/latest/UserGuide/using-service-linked-roles.html",
    propose=propose,
)
