"""Where a job's retention comes from, said with a Vault Lock retention message.

A backup or copy job into a locked vault fails when its retention lies outside the lock's
range. That retention is the job's ``Lifecycle`` (``DeleteAfterDays``, and
``MoveToColdStorageAfterDays`` for the move to cold storage,
https://docs.aws.amazon.com/aws-backup/latest/devguide/API_Lifecycle.html): an on-demand job
takes it from the ``Lifecycle`` parameter of StartBackupJob or StartCopyJob
(https://docs.aws.amazon.com/aws-backup/latest/devguide/API_StartBackupJob.html,
https://docs.aws.amazon.com/aws-backup/latest/devguide/API_StartCopyJob.html), a plan's job
from its rule's lifecycle (a copy from its copy action's). When the pasted job carries its
lifecycle it is quoted; otherwise the answer says where to find it.
"""

from __future__ import annotations

from backup_access.diagnose.job_fields import JobFields

LIFECYCLE = "https://docs.aws.amazon.com/aws-backup/latest/devguide/API_Lifecycle.html"
_START_PAGES = {
    "StartBackupJob": "https://docs.aws.amazon.com/aws-backup/latest/devguide/API_StartBackupJob.html",
    "StartCopyJob": "https://docs.aws.amazon.com/aws-backup/latest/devguide/API_StartCopyJob.html",
}


def lifecycle_words(job: JobFields) -> str | None:
    """The pasted job's lifecycle as AWS names its fields (``DeleteAfterDays=3,
    MoveToColdStorageAfterDays=1``); None when the paste gives neither."""
    parts = [
        f"{name}={days}"
        for name, days in (
            ("DeleteAfterDays", job.delete_after_days),
            ("MoveToColdStorageAfterDays", job.cold_after_days),
        )
        if days is not None
    ]
    return ", ".join(parts) or None


def retention_source(job: JobFields, api: str | None) -> str:
    """The job's lifecycle quoted when the paste gives it; else where its retention comes
    from: the Lifecycle parameter of the call that started an on-demand job, or the plan's
    rule (the call is the one the paste names, else both that take a Lifecycle)."""
    quoted = lifecycle_words(job)
    if quoted is not None:
        without = (
            "; it names no DeleteAfterDays, so it asks for no expiry (AWS's pages do not say "
            "how that meets a lock's maximum)"
            if job.delete_after_days is None
            else ""
        )
        return f"the pasted job's Lifecycle is {quoted} ({LIFECYCLE}){without}"
    calls = [api] if api in _START_PAGES else list(_START_PAGES)
    pages = ", ".join(_START_PAGES[c] for c in calls)
    return (
        "the paste gives no Lifecycle for the job: an on-demand job's retention is the Lifecycle "
        f"parameter (DeleteAfterDays, MoveToColdStorageAfterDays) of its {' or '.join(calls)} "
        f"call ({pages}); a plan's job takes its rule's lifecycle, a copy its copy action's "
        "(aws backup describe-copy-job / describe-backup-job show the job's Lifecycle)"
    )


__all__ = ["LIFECYCLE", "lifecycle_words", "retention_source"]
