"""FX-IDENTITY: the caller or the service role lacks an identity-policy allow.

Adds one statement to an inline policy of that role or user (``BackupAccessFix``), for the
check's exact action on its exact resource — never ``*`` when the action has a resource;
for the service role on a resource AWS Backup makes per job, the resources of the next jobs
too, scoped as AWS's managed policy scopes them (``fix/per_job.py``) —
with ``iam:PassedToService`` on ``iam:PassRole`` naming the service the check's request passes
the role to (``backup.amazonaws.com`` for a backup's service role, ``ec2.amazonaws.com`` for an
EC2 restore's instance role). An inline policy changes only that
principal, unlike a managed policy other principals may share
(https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_managed-vs-inline.html).
"""

from __future__ import annotations

from backup_access.catalogue import Actor
from backup_access.diagnose.model import CheckResult
from backup_access.fix.context import FixContext
from backup_access.fix.generators._common import denying
from backup_access.fix.model import DocumentEdit, Failure, Proposal
from backup_access.fix.per_job import PerJobScope, per_job_scope
from backup_access.fix.registry import Generator
from backup_access.fix.statements import identity_allow, unconditioned
from backup_access.fix.targets import account_of, entity_of, inline_target, is_protected

ID = "FX-IDENTITY"


def propose(context: FixContext, failure: Failure) -> Proposal | None:
    check = failure.check
    if failure.layer != "identity" or denying(check, "identity"):
        return None
    if not (check.principal and check.action and check.resource):
        return None
    entity = entity_of(context.world, check.principal)
    account = account_of(context.world, check.principal)
    if entity is None or account is None or is_protected(entity):
        return None
    scope = per_job(context, check)
    statement = identity_allow(check, scope=scope)
    edit = DocumentEdit(inline_target(entity, account), add=(statement,))
    notes = (*unconditioned(check), *(scope.notes if scope is not None else ()))
    return Proposal(ID, failure, candidates=((edit,),), notes=notes)


def per_job(context: FixContext, check: CheckResult) -> PerJobScope | None:
    """The next jobs' resources too, for the service role every job of a plan runs with."""
    found = context.catalogue_check(check)
    if found is None or found.actor is not Actor.SERVICE_ROLE:
        return None
    return per_job_scope(check)


GENERATOR = Generator(
    id=ID,
    title="Allow the action in the principal's own inline policy",
    source="https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_manage-attach-detach.html",
    propose=propose,
)
