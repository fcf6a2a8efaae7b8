"""A message family's reading fitted to the resource type the paste shows.

Some messages read differently by type: "does not have permission to describe resource" is the
S3 backup policy missing for a bucket, the type's describe action of
AWSBackupServiceRolePolicyForBackup for another resource
(https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AWSBackupServiceRolePolicyForBackup.html);
"The source snapshot KMS key … does not exist" is the wording of Amazon RDS's
KMSKeyNotAccessibleFault, which is not asserted of an EBS copy. The type comes from the pasted
job (``diagnose.job_type``) or, for a gate message, from the resource ARN it names; the
family's own reading stays when no type can be read, or when the ARN fits several types whose
readings differ.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from backup_access.catalogue.resource_types import ResourceType
from backup_access.diagnose.families import (
    DESCRIBE,
    Family,
    Hint,
    MessageKind,
    TypeReading,
    family,
)
from backup_access.diagnose.job_type import JobType, job_type
from backup_access.diagnose.messages import ParsedMessage

_ANY = "*"


@dataclass(frozen=True, slots=True)
class FittedFamily:
    """The family's row with the reading for the paste's type applied, and the note that says
    which type it was fitted to and where the type came from (None: the family's own)."""

    row: Family
    note: str | None = None


def message_resource(parsed: ParsedMessage) -> str | None:
    """The resource a gate message names (its type tells the reading); None for other kinds,
    whose resource is a request's, not the job's."""
    return parsed.resource if parsed.kind is MessageKind.GATE else None


def paste_type(parsed: ParsedMessage) -> JobType | None:
    """The resource type the pasted job names or shows, else the one a gate message's
    resource ARN shows."""
    return job_type(parsed.job, message_resource(parsed))


def _reading_for(row: Family, name: str) -> TypeReading | None:
    wanted = name.lower()
    listed = next((r for r in row.by_type if wanted in {t.lower() for t in r.types}), None)
    return listed or next((r for r in row.by_type if _ANY in r.types), None)


def _describe(found: ResourceType) -> str:
    return " / ".join(found.describe) if found.describe else f"the {found.name} describe permission"


def _fill(text: str, found: ResourceType) -> str:
    return text.replace("{type}", found.name).replace(DESCRIBE, _describe(found))


def _fill_hint(hint: Hint, found: ResourceType) -> Hint:
    action = hint.action
    if action == DESCRIBE:  # the first describe action gives the cause's commands
        action = found.describe[0] if found.describe else None
    return replace(hint, title=_fill(hint.title, found), why=_fill(hint.why, found), action=action)


def fitted_family(parsed: ParsedMessage) -> FittedFamily:
    """The paste's family, read for its resource type when the family has a reading for it."""
    row = family(parsed.family)
    if not row.by_type:
        return FittedFamily(row)
    found = paste_type(parsed)
    if found is None or found.kind.type is None:
        return FittedFamily(row)  # no type, or an ARN several types share: the family's own
    kind = found.kind.type
    reading = _reading_for(row, kind.name)
    if reading is None:
        return FittedFamily(row)
    fitted = replace(
        row,
        summary=_fill(reading.summary, kind),
        meaning=_fill(reading.meaning, kind),
        todo=_fill(reading.todo, kind),
        hints=row.hints
        if reading.hints is None
        else tuple(_fill_hint(h, kind) for h in reading.hints),
        sources=(*row.sources, *(s for s in reading.sources if s not in row.sources)),
    )
    note = f"the message is read for resource type {kind.name} ({found.said})"
    return FittedFamily(fitted, note)


__all__ = ["FittedFamily", "fitted_family", "message_resource", "paste_type"]
