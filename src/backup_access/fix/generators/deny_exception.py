"""FX-DENY-EXCEPTION: an explicit Deny in an identity policy, a boundary or a resource policy
blocks the request.

An explicit deny wins over every allow
(https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html),
so no added statement helps. The Deny's own exception paths come first (``fix.exception_paths``:
a tag on the one resource or principal, the request's value joined to a negated allow-list);
only when none verifies does the Deny itself get an exception — one more condition,
``ArnNotEquals`` on ``aws:PrincipalArn`` (``StringNotEquals`` on ``aws:PrincipalServiceName``
for a service) naming only the check's principal. Conditions of a statement are ANDed, so
the Deny still applies to everyone else. This edits an existing statement: the fix says so.
A Deny in an AWS managed policy cannot be edited: the alternative is to detach that policy.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from backup_access.diagnose.model import StatementRef
from backup_access.fix.context import FixContext
from backup_access.fix.exception_paths import narrower_paths
from backup_access.fix.generators._common import denying
from backup_access.fix.model import (
    Alternative,
    DenyException,
    DocumentEdit,
    DocumentTarget,
    Failure,
    Proposal,
)
from backup_access.fix.raw import find
from backup_access.fix.registry import Generator
from backup_access.fix.targets import principal_arn, split_statement_pointer, target_at

ID = "FX-DENY-EXCEPTION"
Located = tuple[DocumentTarget, StatementRef, dict[str, Any]]
LAYERS = ("identity", "boundary", "resource")


def exceptions_for(
    context: FixContext, failure: Failure, located: list[Located] | None = None
) -> tuple[list[DocumentEdit], list[str]]:
    """Edits exempting the principal from each quoted Deny of the failure's layer, and the
    Denies that cannot be edited (by their location); ``located`` collects the editable
    Denies (target, reference, statement)."""
    check = failure.check
    who = principal_arn(context.world, check.principal or "")
    by_target: dict[DocumentTarget, list[DenyException]] = defaultdict(list)
    fixed: list[str] = []
    for ref in denying(check, failure.layer):
        split = split_statement_pointer(ref.pointer)
        target = None
        if split is not None and find(context.raw, split[0]) is not None:
            target = target_at(context.world, split[0], boundary=failure.layer == "boundary")
        if target is None or split is None:
            fixed.append(f"{ref.location} ({ref.source or 'AWS'})")
            continue
        by_target[target].append(DenyException(split[1], who, ref.sid))
        statement = find(context.raw, ref.pointer)
        if located is not None and isinstance(statement, dict):
            located.append((target, ref, statement))
    edits = [DocumentEdit(t, exceptions=tuple(e)) for t, e in by_target.items()]
    return edits, fixed


def propose(context: FixContext, failure: Failure) -> Proposal | None:
    check = failure.check
    if failure.layer not in LAYERS or not denying(check, failure.layer) or not check.principal:
        return None
    located: list[Located] = []
    edits, unchangeable = exceptions_for(context, failure, located)
    if unchangeable and not edits:
        return Proposal(
            ID,
            failure,
            alternative=Alternative(
                target=check.principal,
                text=(
                    f"{', '.join(unchangeable)} denies {check.action} and is AWS's own policy, "
                    "which cannot be edited: detach it from the principal, or use a principal "
                    "it is not attached to."
                ),
            ),
        )
    notes = tuple(f"cannot edit {where}: AWS's own policy" for where in unchangeable)
    if not edits:
        return Proposal(ID, failure, candidates=((),), notes=notes)
    who = principal_arn(context.world, check.principal)
    narrower = narrower_paths(context.world, check, located, who)
    return Proposal(
        ID,
        failure,
        candidates=(*narrower.candidates, tuple(edits)),
        properties=narrower.tags,
        notes=(*narrower.notes, *notes),
        also=narrower.also,
    )


GENERATOR = Generator(
    id=ID,
    title="Exempt the principal from the blocking Deny (edits an existing statement)",
    source="https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html",
    propose=propose,
)
