"""FX-BOUNDARY: the principal's permissions boundary does not allow the action.

A boundary only caps what identity policies grant; the action must be allowed by both
(https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html). The fix
adds the exact action on the exact resource to the boundary's customer managed policy (a
new default version); an AWS managed boundary cannot be edited, so the alternative is a
customer managed boundary.
"""

from __future__ import annotations

from backup_access.fix.context import FixContext
from backup_access.fix.generators._common import denying
from backup_access.fix.model import Alternative, DocumentEdit, Failure, FixKind, Proposal
from backup_access.fix.registry import Generator
from backup_access.fix.statements import identity_allow, unconditioned
from backup_access.fix.targets import account_of, entity_of, managed_target

ID = "FX-BOUNDARY"


def propose(context: FixContext, failure: Failure) -> Proposal | None:
    check = failure.check
    if failure.layer != "boundary" or denying(check, "boundary"):
        return None
    if not (check.principal and check.action and check.resource):
        return None
    entity = entity_of(context.world, check.principal)
    account = account_of(context.world, check.principal)
    if entity is None or account is None or entity.boundary is None:
        return None
    target, policy = managed_target(
        context.world, account, entity.boundary, FixKind.BOUNDARY_POLICY
    )
    if target is None:
        name = policy.arn if policy is not None else entity.boundary
        return Proposal(
            ID,
            failure,
            alternative=Alternative(
                target=entity.arn,
                text=(
                    f"{entity.arn}'s permissions boundary {name} is an AWS managed policy, "
                    f"which cannot be edited and does not allow {check.action}: set a customer "
                    f"managed boundary that allows what the role needs (including {check.action} "
                    f"on {check.resource})."
                ),
            ),
        )
    statement = identity_allow(check, purpose="InBoundary")
    edit = DocumentEdit(target, (statement,))
    return Proposal(ID, failure, candidates=((edit,),), notes=unconditioned(check))


GENERATOR = Generator(
    id=ID,
    title="Let the permissions boundary allow the action",
    source="https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html",
    propose=propose,
)
