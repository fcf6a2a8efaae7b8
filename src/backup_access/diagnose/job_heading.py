"""A failed job's status heading, wherever a paste puts it.

People paste a failed job's status with words around it: at the start (``Backup job failed:
…``), after a log prefix (``2024-01-01T10:00:00Z Backup job failed``, ``notify[42]: Copy job
failed``), with an article (``The copy job failed: …``) or as AWS Backup's SNS notification
words a backup job's failure (``An AWS Backup job failed. Resource ARN : … BackupJob ID :
…``, https://docs.aws.amazon.com/aws-backup/latest/devguide/backup-notifications.html). The
heading names the kind of job, and so the call that started it.

A heading is read only where a clause starts (the start of the text, after punctuation, a
timestamp or a log level), so prose that mentions a job ("if the copy job failed, …") or a
job that never started ("Copy job failed to start") is not read as one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_HEADING = re.compile(
    r"(?<![\w-])(?:(?:an?|the)\s{1,4})?"
    r"(?P<kind>aws\s{1,4}backup(?:\s{1,4}(?:backup|copy|restore))?|backup|copy|restore)"
    r"\s{1,4}job(?:\s{1,4}(?:id\s{1,4})?(?=[a-z-]{0,63}\d)[\w-]{8,64})?"
    r"\s{1,4}(?:has\s{1,4})?failed\b(?!\s{1,4}to\s{1,4}(?:start|be\s))",
    re.IGNORECASE,
)
"""``[article] [AWS Backup] KIND job [ID] [has] failed``; not ``failed to start`` (the job
never ran: the call that starts it failed)."""
_ID_LABEL = re.compile(r"\b(?P<kind>Backup|Copy|Restore)Job ID\b")
"""The notification's job id label (``BackupJob ID : …``), which names the job's kind."""
_STAMP_END = re.compile(r"\d{2}:\d{2}(?::\d{2})?(?:[.,]\d{1,9})?(?:Z|[+-]\d{2}:?\d{2})?$", re.I)
_LEVELS = frozenset({"error", "err", "warn", "warning", "fatal", "critical", "alert", "info"})
_LOOK_BACK = 80
_OPENERS = "\"'`([{<>|*"

OPERATIONS = {"backup": "StartBackupJob", "copy": "StartCopyJob", "restore": "StartRestoreJob"}
"""The call that starts each kind of job."""


@dataclass(frozen=True, slots=True)
class JobHeading:
    """A failed job's heading: its kind (backup, copy, restore), the call that started the
    job, the words as the paste wrote them, and where the kind came from when the heading
    does not name it (quoted in the note that says so)."""

    kind: str
    operation: str
    words: str
    kind_from: str | None = None


def _starts_clause(text: str, start: int) -> bool:
    """Whether ``start`` begins a clause: the text's start, after a space or an opening quote
    or bracket that follow punctuation, an emoji, a timestamp or a log level word."""
    if start and not text[start - 1].isspace() and text[start - 1] not in _OPENERS:
        return False  # inside a word, an ARN or a path ("…:backup-vault:copy job failed")
    before = text[max(0, start - _LOOK_BACK) : start].rstrip()
    if not before:
        return True
    if not before[-1].isalnum() and before[-1] != ",":
        return True
    if before.split()[-1].strip("[]:").lower() in _LEVELS:
        return True
    return _STAMP_END.search(before) is not None


def _kind(words: str, text: str) -> tuple[str, str | None]:
    """The job's kind and, when the heading does not name it, where it came from: a bare
    "AWS Backup job" is the kind its id label names (``CopyJob ID``), else a backup job, as
    the notification words one."""
    said = words.lower().split()
    if said[0] != "aws" or len(said) > 2:
        return said[-1], None
    label = _ID_LABEL.search(text)
    if label is not None:
        words = f"the kind of job is read from its {label.group(0)} label"
        return label.group("kind").lower(), words
    return "backup", (
        "the heading names no kind of job: taken as a backup job, as AWS Backup's notification "
        "words a backup job's failure"
    )


def job_heading(text: str) -> JobHeading | None:
    """The first failed-job heading in ``text`` that starts a clause; None when none does."""
    for found in _HEADING.finditer(text):
        if _starts_clause(text, found.start()):
            kind, kind_from = _kind(found.group("kind"), text)
            words = " ".join(found.group(0).split())
            return JobHeading(kind, OPERATIONS[kind], words, kind_from)
    return None


__all__ = ["OPERATIONS", "JobHeading", "job_heading"]
