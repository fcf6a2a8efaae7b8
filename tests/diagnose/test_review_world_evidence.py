"""Review of issue 13, finding 8: what the pasted job says is used in the offline answer — the
job's fields are shown as evidence, and a vault command names the job's vault (Vault Lock's
fields of DescribeBackupVault:
https://docs.aws.amazon.com/aws-backup/latest/devguide/API_DescribeBackupVault.html).
"""

from __future__ import annotations

import json

from backup_access.diagnose.messages import parse_error_message
from backup_access.diagnose.offline import answer_offline
from backup_access.report.incident import render_offline

RETENTION = (
    "Copy job failed. The retention specified in the job is not within the range specified "
    "for the target Backup Vault"
)
VAULTS = "arn:aws:backup:us-east-1:111111111111:backup-vault:"
JOB = json.dumps(
    {
        "CopyJob": {
            "SourceBackupVaultArn": f"{VAULTS}open",
            "DestinationBackupVaultArn": f"{VAULTS}governed",
            "Lifecycle": {"DeleteAfterDays": 30},
            "StatusMessage": RETENTION,
        }
    }
)


def test_the_lock_command_names_the_jobs_destination_vault() -> None:
    answer = answer_offline(parse_error_message(JOB))
    commands = [c.command for cause in answer.causes for c in cause.confirm]
    lock = [c for c in commands if "MinRetentionDays" in c]
    assert lock and all("--backup-vault-name governed --region us-east-1" in c for c in lock)
    assert not any("VAULT_NAME" in c for c in commands)


def test_the_evidence_shows_the_jobs_fields() -> None:
    text = render_offline(answer_offline(parse_error_message(JOB)))
    evidence = next(line for line in text.splitlines() if line.startswith("Evidence"))
    assert "job DeleteAfterDays 30" in evidence
    assert "job destination vault arn:aws:backup:us-east-1:111111111111:backup-vault:governed" in (
        evidence
    )


def test_a_job_naming_its_vault_by_name_fills_the_name() -> None:
    job = {"BackupJob": {"BackupVaultName": "governed", "StatusMessage": RETENTION}}
    answer = answer_offline(parse_error_message(json.dumps(job)))
    commands = [c.command for cause in answer.causes for c in cause.confirm]
    assert any("--backup-vault-name governed" in c for c in commands), commands


def test_the_retention_cause_fits_a_copy_job() -> None:
    """A copy job's retention is its copy action's lifecycle, not the plan rule's
    (https://docs.aws.amazon.com/aws-backup/latest/devguide/API_CopyAction.html)."""
    answer = answer_offline(parse_error_message(JOB))
    title = answer.causes[0].title
    assert "copy action's" in title and "plan rule's lifecycle" not in title
    # not a permission problem: nothing about who makes the job's requests (only where the
    # job's retention comes from, diagnose.job_retention)
    why = answer.causes[0].why
    assert why.startswith("the message says so; ") and "role" not in why


def test_a_list_of_jobs_is_read_from_the_job_whose_message_is_read() -> None:
    """list-copy-jobs output holds several jobs
    (https://docs.aws.amazon.com/aws-backup/latest/devguide/API_ListCopyJobs.html): the
    role, vaults and resource type are the failed job's, not the first job's."""
    ok = {
        "CopyJobId": "ok-1",
        "DestinationBackupVaultArn": f"{VAULTS}okdest",
        "IamRoleArn": "arn:aws:iam::111111111111:role/OkRole",
        "State": "COMPLETED",
        "ResourceType": "RDS",
    }
    failed = {
        "CopyJobId": "bad-2",
        "DestinationBackupVaultArn": f"{VAULTS}governed",
        "IamRoleArn": "arn:aws:iam::111111111111:role/CopyRole",
        "State": "FAILED",
        "StatusMessage": RETENTION,
        "ResourceType": "EBS",
    }
    parsed = parse_error_message(json.dumps({"CopyJobs": [ok, failed]}))
    assert parsed.job.role == "arn:aws:iam::111111111111:role/CopyRole"
    assert parsed.job.destination_vault == f"{VAULTS}governed"
    assert parsed.job.resource_type == "EBS"
    assert any(n.startswith("the paste holds 2 jobs: the one read is bad-2") for n in parsed.notes)
    alone = parse_error_message(json.dumps({"CopyJob": failed}))
    assert alone.job.role == parsed.job.role
    assert not any("the paste holds" in n for n in alone.notes)
