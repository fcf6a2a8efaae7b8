"""A failed job's resource type, and the checks of its operation that only other types need.

A pasted job names its type (``ResourceType`` of describe-copy-job, ``resourceType`` of its
EventBridge event) or shows it by the shape of its recovery point's or resource's ARN (an EC2
volume, an RDS snapshot: the resource type table, ``catalogue/data/resource_types.yaml``). The
catalogue marks a check that only some types need with a type condition (``type_in: [S3]``,
``fully_managed``, ``snapshot_backed``: a fully managed type's recovery point is encrypted with
its vault's key, another's with its resource's own key,
https://docs.aws.amazon.com/aws-backup/latest/devguide/encryption.html). Those conditions are
decided by ``diagnose.predicates.type_holds``: a check that applies only to other types is left
out of the job's causes; one whose applicability cannot be decided (DynamoDB, fully managed
only with advanced backup; an ARN two types share) is kept. A gate message pasted without its
job ("… does not have permission to describe resource ARN") shows the type by the resource ARN
it names, read the same way.
"""

from __future__ import annotations

from dataclasses import dataclass

from backup_access.catalogue import Check, Operation
from backup_access.catalogue.resource_types import load_resource_types
from backup_access.diagnose.job_fields import JobFields
from backup_access.diagnose.kind import PointKind, kind_from_arn
from backup_access.diagnose.predicates import TYPE_PREDICATES, type_holds

_LISTED = 6  # check ids named in the note


@dataclass(frozen=True, slots=True)
class JobType:
    """The job's resource type (one, or the few its ARN fits) and how the paste gives it."""

    kind: PointKind
    said: str


@dataclass(frozen=True, slots=True)
class TypeNarrowing:
    """The ids of the operation's checks that only other resource types need, and the note
    that says the list was narrowed to the job's type."""

    left_out: frozenset[str]
    note: str


def job_type(job: JobFields, named: str | None = None) -> JobType | None:
    """The type the pasted job names, else the one its recovery point's or resource's ARN
    shows, else the one the resource ARN a gate message names (``named``) shows; None when the
    paste says none of them (or names a type the table does not know)."""
    if job.resource_type:
        found = load_resource_types().find(job.resource_type)
        if found is None:
            return None
        kind = PointKind((found,), found.fully_managed, "named by the job's ResourceType")
        return JobType(kind, f"the job's ResourceType {found.name}")
    return (
        _arn_type(job.recovery_point, "the job's recovery point ARN", point=True)
        or _arn_type(job.resource, "the job's resource ARN")
        or _arn_type(named, "the resource ARN the message names")
    )


def _arn_type(value: str | None, what: str, *, point: bool = False) -> JobType | None:
    """The types an ARN's shape fits (a recovery point's or a resource's), when it fits any."""
    kind = kind_from_arn(value, point=point) if value else None
    if kind is None or not kind.types:
        return None
    return JobType(kind, f"the shape of {what}, {value}")


def only_other_types(check: Check, kind: PointKind) -> str | None:
    """Why ``check`` applies only to other resource types than ``kind``; None when it applies
    to ``kind`` or that cannot be decided (it is then kept)."""
    for condition in check.when:
        if condition.predicate in TYPE_PREDICATES:
            holds, why = type_holds(kind, condition)
            if not holds:
                return why
    return None


def narrowing(
    job: JobFields, operation: Operation, named: str | None = None
) -> TypeNarrowing | None:
    """The checks of ``operation`` to leave out of a job's causes for its resource type (or the
    type of the resource a gate message names, ``named``); None when the paste gives no type or
    no check is specific to another type (nothing to say)."""
    found = job_type(job, named)
    if found is None:
        return _unknown_type(job)
    left_out = sorted(c.id for c in operation.checks if only_other_types(c, found.kind))
    if not left_out:
        return None
    named = ", ".join(left_out[:_LISTED])
    more = f" and {len(left_out) - _LISTED} more" if len(left_out) > _LISTED else ""
    note = (
        f"the checks are narrowed to resource type {found.kind.label} ({found.said}): "
        f"{len(left_out)} check(s) of {operation.api} that only other resource types need are "
        f"left out ({named}{more}); checks whose type cannot be decided are kept"
    )
    return TypeNarrowing(frozenset(left_out), note)


def _unknown_type(job: JobFields) -> TypeNarrowing | None:
    """A type the paste names that the resource type table does not know: nothing is left
    out, and the note says why."""
    if not job.resource_type:
        return None
    return TypeNarrowing(
        frozenset(),
        f"the job's ResourceType {job.resource_type} is not a resource type this tool knows: "
        "the checks of every type are listed",
    )


__all__ = ["JobType", "TypeNarrowing", "job_type", "narrowing", "only_other_types"]
