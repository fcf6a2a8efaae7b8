"""A message headed by its job's status ("Backup job failed: User: … is not authorized …", as
AWS Backup's console and notifications show a job's status message): the job names the
operation, so the causes are those of that operation, and the reading says it inferred it.
AWS Backup makes a job's calls with the job's service role
(https://docs.aws.amazon.com/aws-backup/latest/devguide/iam-service-roles.html), and
iam:PassRole is authorized against the role's ARN, not a session's
(https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html).
"""

from __future__ import annotations

import json

import pytest

from backup_access.diagnose.messages import parse_error_message
from backup_access.diagnose.offline import answer_offline
from backup_access.diagnose.unwrap import unwrap

SESSION = (
    "arn:aws:sts::111111111111:assumed-role/AWSBackupDefaultServiceRole/"
    "AWSBackup-AWSBackupDefaultServiceRole"
)
DENIED = (
    f"User: {SESSION} is not authorized to perform: kms:CreateGrant on resource: "
    "arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab because no "
    "identity-based policy allows the kms:CreateGrant action"
)


@pytest.mark.parametrize(
    ("heading", "operation"),
    [
        ("Backup job failed: ", "StartBackupJob"),
        ("Copy job failed. ", "StartCopyJob"),
        ("restore job failed:", "StartRestoreJob"),
    ],
)
def test_the_job_status_names_the_operation(heading: str, operation: str) -> None:
    read = unwrap(heading + DENIED)
    assert read.message.endswith(DENIED)
    assert read.evidence.operation == operation
    assert read.evidence.operation_from == "job status"
    assert any("inferred from the job status" in note for note in read.notes)


def test_an_operation_the_paste_names_is_kept() -> None:
    cli = "An error occurred (AccessDeniedException) when calling the StartCopyJob operation: "
    read = unwrap(cli + "Backup job failed: " + DENIED)
    assert read.evidence.operation == "StartCopyJob"
    assert read.evidence.operation_from == "sdk"


def test_the_causes_are_the_backup_operations_and_the_role_is_named_by_its_arn() -> None:
    answer = answer_offline(parse_error_message("Backup job failed: " + DENIED))
    assert answer.causes[0].check == "backup.role-create-grant-key"
    assert not any("paste does not say which was called" in note for note in answer.notes)
    commands = [
        c.command for cause in (*answer.causes, *answer.other_checks) for c in cause.confirm
    ]
    trust = [c for c in commands if c.startswith("aws iam get-role ")]
    assert trust
    assert all("--role-name AWSBackupDefaultServiceRole " in c for c in trust), trust


def test_without_the_heading_the_operation_stays_open() -> None:
    answer = answer_offline(parse_error_message(DENIED))
    assert any("paste does not say which was called" in note for note in answer.notes)


def test_a_failed_job_is_not_blamed_on_the_call_that_started_it() -> None:
    """The job ran, so StartRestoreJob and the caller's iam:PassRole passed: no cause or
    other check is the caller's, no command simulates the start call, and the generic causes
    speak of the job's service role."""
    answer = answer_offline(parse_error_message("Restore job failed: Access Denied"))
    listed = (*answer.causes, *answer.other_checks)
    assert {c.check for c in listed}.isdisjoint({"restore.start-restore-job", "restore.pass-role"})
    commands = [c.command for cause in listed for c in cause.confirm]
    assert not any("backup:StartRestoreJob" in c for c in commands), commands
    assert "the job's service role" in answer.causes[0].title
    assert any(note.startswith("the job started, so StartRestoreJob") for note in answer.notes)


def test_a_jobs_denied_request_lists_no_check_of_the_starting_call() -> None:
    answer = answer_offline(parse_error_message("Backup job failed: " + DENIED))
    listed = {c.check for c in (*answer.causes, *answer.other_checks)}
    assert "backup.start-backup-job" not in listed and "backup.pass-role" not in listed
    assert "backup.role-create-grant-vault-key" in listed


def test_the_heading_must_end_at_a_word() -> None:
    assert unwrap("Backup job failedUser: x").evidence.operation is None


@pytest.mark.parametrize(
    ("kind", "wrapped", "operation"),
    [
        ("Copy", True, "StartCopyJob"),
        ("Backup", False, "StartBackupJob"),
        ("Restore", False, "StartRestoreJob"),
    ],
)
def test_a_pasted_job_record_names_its_kind(kind: str, wrapped: bool, operation: str) -> None:
    """describe-copy-job wraps the job in CopyJob; describe-backup-job and
    describe-restore-job return its fields at the top
    (https://docs.aws.amazon.com/aws-backup/latest/devguide/API_DescribeCopyJob.html,
    API_DescribeBackupJob.html, API_DescribeRestoreJob.html): the id field names the kind,
    even when the status message is headed by another."""
    fields = {f"{kind}JobId": "job-1", "StatusMessage": "Backup job failed: " + DENIED}
    text = json.dumps({f"{kind}Job": fields} if wrapped else fields)
    read = unwrap(text)
    assert read.evidence.operation == operation
    assert read.evidence.operation_from == "job record"
    answer = answer_offline(parse_error_message(text))
    assert any(note.startswith(f"the job started, so {operation}") for note in answer.notes)
