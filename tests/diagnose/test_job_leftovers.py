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
4. a failed job's causes are narrowed to its resource type (its ResourceType, or its ARN's
   shape): checks the catalogue marks for other types only (``type_in``, ``fully_managed``,
   ``snapshot_backed``) are left out, as the encryption page's split between fully managed and
   other types asks (https://docs.aws.amazon.com/aws-backup/latest/devguide/encryption.html);
   a check whose type cannot be decided is kept;
3. a Vault Lock retention refusal quotes the job's own ``Lifecycle`` (``DeleteAfterDays``,
   ``MoveToColdStorageAfterDays``,
   https://docs.aws.amazon.com/aws-backup/latest/devguide/API_Lifecycle.html) when the paste
   carries it, and otherwise says an on-demand job's retention is the ``Lifecycle`` parameter
   of its StartCopyJob / StartBackupJob call
   (https://docs.aws.amazon.com/aws-backup/latest/devguide/API_StartCopyJob.html).
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
from backup_access.world import load_world
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


# --- 4. the causes narrowed to the job's resource type (encryption.html, catalogue) --------

S3_RESTORE = {
    "restore.s3-get-bucket-versioning",
    "restore.s3-put-bucket-versioning",
    "restore.s3-list-bucket-versions",
    "restore.s3-put-object",
}
S3_BACKUP = {"backup.s3-get-bucket-versioning", "backup.s3-bucket-versioned"}
DYNAMODB = {"backup.dynamodb-start-aws-backup-job", "backup.dynamodb-list-tags"}
VAULT_KEY = {"backup.role-describe-vault-key", "backup.role-create-grant-vault-key"}


def listed(text: str) -> tuple[set[str | None], tuple[str, ...]]:
    """Every check the offline answer lists (causes and other checks), and its notes."""
    answer = answer_offline(parse_error_message(text))
    return {c.check for c in (*answer.causes, *answer.other_checks)}, answer.notes


def record(kind: str, **fields: Any) -> str:
    """A failed job as describe-*-job prints it (API_DescribeRestoreJob.html and siblings)."""
    return json.dumps({f"{kind}JobId": "job-1", "Status": "FAILED", **fields})


def test_an_ebs_restore_job_lists_no_s3_check() -> None:
    checks, notes = listed(record("Restore", ResourceType="EBS", StatusMessage="Access Denied"))
    assert checks.isdisjoint(S3_RESTORE)
    assert "restore.role-create-grant-key" in checks  # the snapshot's own key: EBS needs it
    (note,) = [n for n in notes if n.startswith("the checks are narrowed")]
    assert "resource type EBS (the job's ResourceType EBS)" in note
    assert "restore.s3-put-object" in note


def test_an_s3_restore_job_keeps_its_s3_checks() -> None:
    checks, notes = listed(record("Restore", ResourceType="S3", StatusMessage="Access Denied"))
    assert checks >= S3_RESTORE
    assert not any(n.startswith("the checks are narrowed") for n in notes)  # none left out


@pytest.mark.parametrize(
    ("fields", "kept", "left_out"),
    [
        # EBS is not fully managed: the vault's key does not encrypt it (encryption.html)
        ({"ResourceType": "EBS"}, set(), S3_BACKUP | DYNAMODB | VAULT_KEY),
        # DynamoDB is fully managed only with advanced backup: its checks cannot be decided
        ({"ResourceType": "DynamoDB"}, DYNAMODB | VAULT_KEY, S3_BACKUP),
        # the ARN's service: an S3 bucket, an EC2 volume
        ({"ResourceArn": "arn:aws:s3:::my-bucket"}, S3_BACKUP | VAULT_KEY, DYNAMODB),
        (
            {"ResourceArn": f"arn:aws:ec2:us-east-1:{ACCOUNT}:volume/vol-0123456789abcdef0"},
            set(),
            S3_BACKUP | DYNAMODB | VAULT_KEY,
        ),
    ],
)
def test_a_backup_job_is_narrowed_to_its_type(
    fields: dict[str, str], kept: set[str], left_out: set[str]
) -> None:
    checks, _ = listed(record("Backup", StatusMessage="Access Denied", **fields))
    assert kept <= checks and checks.isdisjoint(left_out)
    assert "backup.role-create-grant-key" in checks  # every type's


def test_without_a_type_nothing_is_left_out_and_an_unknown_type_is_said() -> None:
    checks, notes = listed(record("Backup", StatusMessage="Access Denied"))
    assert checks >= S3_BACKUP | DYNAMODB | VAULT_KEY
    assert not any("narrowed" in n or "ResourceType" in n for n in notes)
    checks, notes = listed(record("Backup", ResourceType="Cryo", StatusMessage="Access Denied"))
    assert checks >= S3_BACKUP | DYNAMODB
    assert any("ResourceType Cryo is not a resource type this tool knows" in n for n in notes)


def test_an_iam_message_in_a_restore_record_is_narrowed_too() -> None:
    denied = (
        f"User: arn:aws:sts::{ACCOUNT}:assumed-role/RestoreRole/AWSBackup-RestoreRole is not "
        f"authorized to perform: kms:CreateGrant on resource: arn:aws:kms:us-east-1:{ACCOUNT}:"
        "key/1234abcd-12ab-34cd-56ef-1234567890ab because no identity-based policy allows the "
        "kms:CreateGrant action"
    )
    checks, notes = listed(record("Restore", ResourceType="EBS", StatusMessage=denied))
    assert "restore.role-create-grant-key" in checks and checks.isdisjoint(S3_RESTORE)
    assert any(n.startswith("the checks are narrowed to resource type EBS") for n in notes)


def test_a_copy_event_is_narrowed_to_its_type() -> None:
    checks, notes = listed(event("Copy", **COPY_EVENT))  # resourceType EBS
    assert "copy.role-share-ebs-snapshot" in checks
    assert checks.isdisjoint({"copy.role-share-ec2-image", "copy.role-share-rds-snapshot"})
    assert any("the job's ResourceType EBS" in n for n in notes)


# --- 3. the job's Lifecycle with a Vault Lock retention refusal (API_Lifecycle.html) -------

LIFECYCLE = "https://docs.aws.amazon.com/aws-backup/latest/devguide/API_Lifecycle.html"
START_COPY = "https://docs.aws.amazon.com/aws-backup/latest/devguide/API_StartCopyJob.html"
START_BACKUP = "https://docs.aws.amazon.com/aws-backup/latest/devguide/API_StartBackupJob.html"
RETENTION = (
    "Copy job failed. The retention specified in the job is not within the range specified for "
    "the target Backup Vault."
)
LOCKED = f"arn:aws:backup:us-east-1:{ACCOUNT}:backup-vault:governed"  # [7, 365] days
EXAMPLES = Path(__file__).parents[2] / "examples" / "worlds"


def copy_record(**fields: Any) -> str:
    return json.dumps({"CopyJob": {"CopyJobId": "c-1", **fields, "StatusMessage": RETENTION}})


def retention_why(text: str) -> str:
    answer = answer_offline(parse_error_message(text))
    assert answer.causes[0].title.startswith("The job's retention (its Lifecycle")
    return answer.causes[0].why


def test_the_jobs_own_lifecycle_is_quoted() -> None:
    lifecycle = {"DeleteAfterDays": 3, "MoveToColdStorageAfterDays": 1}
    why = retention_why(copy_record(DestinationBackupVaultArn=LOCKED, Lifecycle=lifecycle))
    assert "the pasted job's Lifecycle is DeleteAfterDays=3, MoveToColdStorageAfterDays=1" in why
    assert LIFECYCLE in why and "on-demand" not in why
    # a CloudTrail record's requestParameters name them in camelCase
    trail = (
        '{"eventName": "StartCopyJob", "requestParameters": {"lifecycle": '
        '{"moveToColdStorageAfterDays": 30}}, "errorMessage": "' + RETENTION + '"}'
    )
    cold = retention_why(trail)
    assert "Lifecycle is MoveToColdStorageAfterDays=30" in cold
    assert "names no DeleteAfterDays" in cold  # no expiry asked: said, not evaluated


@pytest.mark.parametrize(
    ("paste", "call", "page"),
    [
        (RETENTION, "its StartCopyJob call", START_COPY),
        (
            RETENTION.replace("Copy job", "Backup job"),
            "its StartBackupJob call",
            START_BACKUP,
        ),
    ],
)
def test_without_a_lifecycle_the_retention_source_is_said(paste: str, call: str, page: str) -> None:
    why = retention_why(paste)
    assert "the paste gives no Lifecycle for the job" in why
    assert "an on-demand job's retention is the Lifecycle parameter" in why and call in why
    assert page in why and "a plan's job takes its rule's lifecycle" in why


def test_the_world_answer_quotes_the_lifecycle_or_says_where_it_comes_from() -> None:
    """vault-lock.html: jobs into a locked vault keep recovery points within [min, max]."""
    locks = load_world(EXAMPLES / "vault-lock")
    quoted = explain_error(
        locks,
        copy_record(
            DestinationBackupVaultArn=LOCKED,
            Lifecycle={"DeleteAfterDays": 3, "MoveToColdStorageAfterDays": 1},
        ),
    )
    assert quoted.verdict is Verdict.DENIED
    assert any(
        "Lifecycle is DeleteAfterDays=3, MoveToColdStorageAfterDays=1" in n for n in quoted.notes
    )
    bare = explain_error(locks, copy_record(DestinationBackupVaultArn=LOCKED))
    assert bare.verdict is Verdict.UNKNOWN
    assert any("the Lifecycle parameter" in n and START_COPY in n for n in bare.notes)
    (check,) = bare.checks
    assert any("StartBackupJob / StartCopyJob" in m for m in check.missing)
