"""A message headed by its job's status ("Backup job failed: User: … is not authorized …", as
AWS Backup's console and notifications show a job's status message): the job names the
operation, so the causes are those of that operation, and the reading says it inferred it.
AWS Backup makes a job's calls with the job's service role
(https://docs.aws.amazon.com/aws-backup/latest/devguide/iam-service-roles.html), and
iam:PassRole is authorized against the role's ARN, not a session's
(https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html).
"""

from __future__ import annotations

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


def test_the_causes_are_the_backup_operations_and_pass_role_names_the_role() -> None:
    answer = answer_offline(parse_error_message("Backup job failed: " + DENIED))
    assert answer.causes[0].check == "backup.role-create-grant-key"
    assert not any("paste does not say which was called" in note for note in answer.notes)
    commands = [
        c.command for cause in (*answer.causes, *answer.other_checks) for c in cause.confirm
    ]
    pass_role = [c for c in commands if "--action-names iam:PassRole" in c]
    assert pass_role
    assert all(
        "--resource-arns arn:aws:iam::111111111111:role/AWSBackupDefaultServiceRole" in c
        for c in pass_role
    ), pass_role


def test_without_the_heading_the_operation_stays_open() -> None:
    answer = answer_offline(parse_error_message(DENIED))
    assert any("paste does not say which was called" in note for note in answer.notes)
