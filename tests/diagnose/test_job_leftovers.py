"""Failed jobs as people paste them, read further (a review's leftovers):

1. a job-status heading after a log prefix or in other words (``2024-… Backup job failed``,
   ``An AWS Backup job failed.`` as AWS Backup's notification words it,
   https://docs.aws.amazon.com/aws-backup/latest/devguide/backup-notifications.html,
   ``The copy job failed: …``) names the call that started the job, and prose that only
   mentions a job does not;
2. a job's EventBridge event (``"detail-type": "Copy Job State Change"``, its ``detail`` in
   camelCase: ``copyJobId``, ``statusMessage``, ``iamRoleArn``, the vaults, ``resourceType``,
   https://docs.aws.amazon.com/aws-backup/latest/devguide/eventbridge.html) is read like a
   pasted describe-copy-job record;
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from backup_access.diagnose import Verdict
from backup_access.diagnose.incident import explain_error
from backup_access.diagnose.job_fields import read_job_fields
from backup_access.diagnose.messages import parse_error_message
from backup_access.diagnose.offline import answer_offline
from backup_access.diagnose.unwrap import unwrap
from tests.diagnose.fixtures.worlds import (
    CENTRAL,
    CENTRAL_VAULT,
    COPY_ROLE,
    SOURCE_VAULT,
    vaults,
    world_with,
)

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


# --- 2. a job's EventBridge event (eventbridge.html) ----------------------------------------


def event(kind: str, **detail: Any) -> str:
    """A job state change event as EventBridge delivers it (eventbridge.html): the envelope,
    then the job's fields in camelCase under ``detail``."""
    return json.dumps(
        {
            "version": "0",
            "id": "0a1b2c3d-0000-1111-2222-333344445555",
            "detail-type": f"{kind} Job State Change",
            "source": "aws.backup",
            "account": ACCOUNT,
            "time": "2024-03-01T02:00:00Z",
            "region": "us-east-1",
            "resources": [],
            "detail": detail,
        },
        indent=2,
    )


COPY_EVENT = {
    "copyJobId": "5E1F0D2C-0000-1111-2222-333344445555",
    "iamRoleArn": COPY_ROLE,
    "resourceArn": "arn:aws:ec2:us-east-1:222222222222:volume/vol-0123456789abcdef0",
    "resourceType": "EBS",
    "sourceBackupVaultArn": SOURCE_VAULT,
    "state": "FAILED",
    "statusMessage": "Access Denied trying to call AWS Backup service",
    "destinationBackupVaultArn": CENTRAL_VAULT,
    "destinationRecoveryPointArn": {},  # an empty object in AWS's FAILED example
}


@pytest.mark.parametrize(
    ("kind", "id_field", "operation"),
    [
        ("Copy", "copyJobId", "StartCopyJob"),
        ("Backup", "backupJobId", "StartBackupJob"),
        ("Restore", "restoreJobId", "StartRestoreJob"),
    ],
)
def test_a_job_event_names_its_kind_and_message(kind: str, id_field: str, operation: str) -> None:
    text = event(kind, **{id_field: "job-1", "statusMessage": "Access Denied"})
    read = unwrap(text)
    assert read.message == "Access Denied"
    assert read.evidence.wrappers == ("eventbridge",)
    assert (read.evidence.operation, read.evidence.operation_from) == (operation, "job record")
    assert any("EventBridge event" in n and "job id field" in n for n in read.notes)


def test_the_detail_type_names_the_kind_when_the_detail_has_no_id() -> None:
    read = unwrap(event("Restore", statusMessage="Access Denied"))
    assert read.evidence.operation == "StartRestoreJob"
    assert any("(its detail-type)" in n for n in read.notes)


def test_a_quoted_status_message_keeps_its_heading_readable() -> None:
    """AWS's FAILED backup event quotes its status message inside the JSON string; a fragment
    of the event without its id or detail-type is still read by its heading."""
    quoted = f'"Backup job failed because backup vault {SOURCE_VAULT} does not exist."'
    read = unwrap(json.dumps({"state": "FAILED", "statusMessage": quoted}))
    assert (read.evidence.operation, read.evidence.operation_from) == (
        "StartBackupJob",
        "job status",
    )
    assert read.message.startswith("Backup job failed because") and "does not exist" in read.message


def test_a_copy_event_gives_its_role_vaults_and_type() -> None:
    job = read_job_fields(event("Copy", **COPY_EVENT))
    assert (job.role, job.source_vault, job.destination_vault, job.resource_type) == (
        COPY_ROLE,
        SOURCE_VAULT,
        CENTRAL_VAULT,
        "EBS",
    )
    answer = answer_offline(parse_error_message(event("Copy", **COPY_EVENT)))
    assert answer.causes[0].check == "copy.copy-into-destination-vault"
    params = answer.to_dict()["parameters"]
    assert isinstance(params, dict)
    assert params["job_role"] == COPY_ROLE and params["wrappers"] == ["eventbridge"]


def test_a_copy_event_is_checked_in_the_world(tmp_path: Path) -> None:
    """As a pasted describe-copy-job record is: the destination vault's access policy must let
    the source account copy in (https://repost.aws/knowledge-center/backup-resolve-access-denied-error)."""

    def closed(data: dict[str, Any]) -> None:
        del vaults(data, CENTRAL)["central"]["access_policy"]

    result = explain_error(world_with(tmp_path, closed), event("Copy", **COPY_EVENT))
    assert [c.id for c in result.checks if c.decision.denies] == [
        "copy.copy-into-destination-vault"
    ]
    assert result.verdict is Verdict.DENIED


def test_a_list_of_events_is_read_from_the_first_failed_job() -> None:
    running = {**COPY_EVENT, "copyJobId": "running-1", "state": "RUNNING"}
    del running["statusMessage"]
    other = {
        **COPY_EVENT,
        "copyJobId": "failed-2",
        "iamRoleArn": "arn:aws:iam::222222222222:role/Other",
    }
    text = json.dumps(
        [
            json.loads(event("Copy", **running)),
            json.loads(event("Copy", **COPY_EVENT)),
            json.loads(event("Copy", **other)),
        ]
    )
    parsed = parse_error_message(text)
    assert parsed.job.role == COPY_ROLE
    assert any("5E1F0D2C" in n for n in parsed.notes)


@pytest.mark.parametrize(
    "broken",
    [
        '{"detail-type": "Copy Job State Change", "detail": {"statusMessage": ',
        '{"detail-type": "Copy Job State Change", '
        '"detail": {"copyJobId": null, "statusMessage": null}}',
    ],
)
def test_a_broken_event_does_not_raise(broken: str) -> None:
    answer_offline(parse_error_message(broken))
