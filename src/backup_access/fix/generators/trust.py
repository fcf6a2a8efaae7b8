"""FX-TRUST: the role's trust policy does not let AWS Backup (or the principal) assume it.

Adds a statement trusting exactly the principal the check names — for a service role,
``backup.amazonaws.com`` with ``sts:AssumeRole``
(https://docs.aws.amazon.com/aws-backup/latest/devguide/iam-service-roles.html). Roles AWS
owns cannot be changed: the alternative is a role of your own.
"""

from __future__ import annotations

from backup_access.fix.context import FixContext
from backup_access.fix.generators._common import denying, is_assume
from backup_access.fix.merge import sid_from
from backup_access.fix.model import Alternative, DocumentEdit, Failure, Proposal
from backup_access.fix.registry import Generator
from backup_access.fix.statements import principal_element
from backup_access.fix.targets import account_of, entity_of, is_protected, trust_target
from backup_access.world import Role

ID = "FX-TRUST"


def propose(context: FixContext, failure: Failure) -> Proposal | None:
    check = failure.check
    if failure.layer != "resource" or not is_assume(check) or denying(check, "resource"):
        return None
    if not (check.principal and check.action and check.resource):
        return None
    role = entity_of(context.world, check.resource)
    account = account_of(context.world, check.resource)
    if not isinstance(role, Role) or account is None:
        return None
    if is_protected(role):
        return Proposal(
            ID,
            failure,
            alternative=Alternative(
                role.arn,
                f"{role.arn} is a role AWS owns; its trust policy cannot be changed. Pass a "
                f"service role of your own that trusts {check.principal}.",
            ),
        )
    who = check.principal
    statement = {
        "Sid": sid_from("Trust", who.split(".")[0].rsplit("/", 1)[-1]),
        "Effect": "Allow",
        "Principal": principal_element(who),
        "Action": check.action,
    }
    return Proposal(
        ID, failure, candidates=((DocumentEdit(trust_target(role, account), (statement,)),),)
    )


GENERATOR = Generator(
    id=ID,
    title="Trust the service (or principal) in the role's trust policy",
    source="https://docs.aws.amazon.com/aws-backup/latest/devguide/iam-service-roles.html",
    propose=propose,
)
