"""Failed jobs as people paste them, read further (a review's leftovers):

1. a job-status heading after a log prefix or in other words (``2024-… Backup job failed``,
   ``An AWS Backup job failed.`` as AWS Backup's notification words it,
   https://docs.aws.amazon.com/aws-backup/latest/devguide/backup-notifications.html,
   ``The copy job failed: …``) names the call that started the job, and prose that only
   mentions a job does not;
"""

from __future__ import annotations

import pytest

from backup_access.diagnose.messages import parse_error_message
from backup_access.diagnose.offline import answer_offline
from backup_access.diagnose.unwrap import unwrap

NOTIFICATIONS = "https://docs.aws.amazon.com/aws-backup/latest/devguide/backup-notifications.html"
ACCOUNT = "111111111111"


# --- 1. the job-status heading, wherever the paste puts it ---------------------------------


@pytest.mark.parametrize(
    ("paste", "operation"),
    [
        ("2024-01-01T10:00:00Z Backup job failed: Access Denied", "StartBackupJob"),
        (
            "[2024-01-01 10:00:00,123] backup-monitor - Backup job failed: Access Denied",
            "StartBackupJob",
        ),
        ("Jan  1 10:00:00 ip-10-0-0-1 notify[42]: Copy job failed. Access Denied", "StartCopyJob"),
        ("The copy job failed: Access Denied", "StartCopyJob"),
        ("A restore job has failed - Access Denied", "StartRestoreJob"),
        ("Copy job 47C8EF56-74D8-059D-1301-C5BE1D5C926E failed: Access Denied", "StartCopyJob"),
        ("⚠️ AWS Backup restore job failed: Access Denied", "StartRestoreJob"),
        # AWS Backup's SNS notification (backup-notifications.html): "An AWS Backup job …"
        # with a "BackupJob ID" label
        (
            f"An AWS Backup job failed. Resource ARN : arn:aws:ec2:us-west-1:{ACCOUNT}:volume/"
            "vol-012f345df6789012e. BackupJob ID : 1b2345b2-f22c-4dab-5eb6-bbc7890ed123",
            "StartBackupJob",
        ),
        ("An AWS Backup job failed. CopyJob ID : 1b2345b2-f22c", "StartCopyJob"),
    ],
)
def test_a_heading_after_a_prefix_or_in_other_words_names_the_job(
    paste: str, operation: str
) -> None:
    read = unwrap(paste)
    assert (read.evidence.operation, read.evidence.operation_from) == (operation, "job status")
    (note,) = [n for n in read.notes if "inferred from the job status" in n]
    assert "failed" in note  # the heading's own words are quoted


def test_a_kind_taken_from_the_notification_wording_is_said() -> None:
    (note,) = unwrap("An AWS Backup job failed.").notes
    assert "names no kind of job: taken as a backup job" in note
    (label,) = unwrap("An AWS Backup job failed. RestoreJob ID : 1b2345b2").notes
    assert "from its RestoreJob ID label" in label


@pytest.mark.parametrize(
    "paste",
    [
        "if the copy job failed, check the destination vault's access policy",
        "Copy job failed to start: Access Denied",  # never ran: StartCopyJob itself failed
        "Access Denied, backup job failed",  # mid-sentence
        "my backup job failed yesterday",
        "The backup job is running",
        "Backup job failedUser: x",
        f"User: arn:aws:iam::{ACCOUNT}:user/x is not authorized to perform: backup:StartCopyJob",
        "arn:aws:backup:us-east-1:111111111111:backup-vault:copy job failed",
    ],
)
def test_a_mere_mention_of_a_job_is_not_a_failed_job(paste: str) -> None:
    assert unwrap(paste).evidence.operation_from != "job status"


def test_a_failed_job_after_a_log_prefix_lists_no_check_of_the_starting_call() -> None:
    answer = answer_offline(
        parse_error_message(
            "2024-01-01T10:00:00Z backup-notify: The copy job failed: Access Denied"
        )
    )
    listed = {c.check for c in (*answer.causes, *answer.other_checks)}
    assert "copy.start-copy-job" not in listed and "copy.pass-role" not in listed
    assert any(note.startswith("the job started, so StartCopyJob") for note in answer.notes)
