"""A message family read for the resource type the paste shows (found by a new user).

"does not have permission to describe resource ARN" is read for the ARN's type: the type's
describe action of AWSBackupServiceRolePolicyForBackup
(https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AWSBackupServiceRolePolicyForBackup.html),
the S3 backup policy for a bucket
(https://docs.aws.amazon.com/aws-backup/latest/devguide/iam-service-roles.html), the generic
reading without an ARN; other types' checks are left out as for a job record. "The source
snapshot KMS key … does not exist" is RDS's KMSKeyNotAccessibleFault wording
(https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CopyDBSnapshot.html), so an EBS
copy is not told RDS could not use its key; the type's origin is said truthfully.
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

from backup_access.catalogue.resource_types import load_resource_types
from backup_access.diagnose.incident import explain_error
from backup_access.diagnose.messages import parse_error_message
from backup_access.diagnose.offline import answer_offline
from backup_access.policy.wildcard import glob_matches
from backup_access.world import load_world

DESCRIBE = "Your backup job failed as AWS Backup does not have permission to describe resource"
RDS_DB = "arn:aws:rds:us-east-1:111111111111:db:orders"
SOURCE_VAULT = "arn:aws:backup:us-east-1:111111111111:backup-vault:prod"
WORLDS = Path(__file__).parents[2] / "examples" / "worlds"
KMS_MESSAGE = (
    "The source snapshot KMS key [arn:aws:kms:us-east-1:111111111111:key/1111aaaa-0000-4000-8000-"
    "000000000001] does not exist, is not enabled or you do not have permission to access it."
)


def _copy_job(resource_type: str, point: str, resource: str) -> str:
    """A describe-copy-job record of a failed copy (the shape of /tmp/nu22/err/e4c.json)."""
    return json.dumps(
        {
            "CopyJobs": [
                {
                    "AccountId": "111111111111",
                    "CopyJobId": "A1B2C3D4-5678-90AB-CDEF-EXAMPLE11111",
                    "SourceBackupVaultArn": SOURCE_VAULT,
                    "SourceRecoveryPointArn": point,
                    "DestinationBackupVaultArn": (
                        "arn:aws:backup:us-east-1:222222222222:backup-vault:by-ou"
                    ),
                    "ResourceArn": resource,
                    "State": "FAILED",
                    "StatusMessage": KMS_MESSAGE,
                    "IamRoleArn": "arn:aws:iam::111111111111:role/service-role/BackupCopyRole",
                    "ResourceType": resource_type,
                }
            ]
        }
    )


EBS_JOB = _copy_job(
    "EBS",
    "arn:aws:ec2:us-east-1::snapshot/snap-0a1b2c3d4e5f60001",
    "arn:aws:ec2:us-east-1:111111111111:volume/vol-0123456789abcdef0",
)
RDS_JOB = _copy_job(
    "RDS",
    "arn:aws:rds:us-east-1:111111111111:snapshot:awsbackup:job-1",
    RDS_DB,
)


def test_an_rds_arn_gets_the_rds_describe_permission_not_the_s3_policy() -> None:
    answer = answer_offline(parse_error_message(f"{DESCRIBE} {RDS_DB}"))
    assert "rds:DescribeDBInstances" in answer.todo
    assert "AWSBackupServiceRolePolicyForBackup" in answer.todo
    assert "S3" not in answer.todo and "S3" not in answer.meaning
    assert "rds:DescribeDBInstances" in answer.causes[0].title
    commands = [c.command for c in answer.causes[1].confirm]
    assert any("--action-names rds:DescribeDBInstances" in c for c in commands)
    assert any("resource type RDS" in n and RDS_DB in n for n in answer.notes)


def test_an_rds_arn_leaves_out_the_s3_and_dynamodb_checks_with_a_note() -> None:
    answer = answer_offline(parse_error_message(f"{DESCRIBE} {RDS_DB}"))
    listed = {c.check for c in (*answer.causes, *answer.other_checks)}
    assert not {c for c in listed if c and (".s3-" in c or ".dynamodb-" in c)}
    (note,) = [n for n in answer.notes if n.startswith("the checks are narrowed")]
    assert "backup.s3-bucket-versioned" in note or "more" in note
    assert "the resource ARN the message names" in note


def test_an_s3_bucket_keeps_the_s3_backup_policy() -> None:
    answer = answer_offline(parse_error_message(f"{DESCRIBE} arn:aws:s3:::my-bucket"))
    assert answer.todo == "attach AWSBackupServiceRolePolicyForS3Backup to the backup role"
    assert "AWSBackupServiceRolePolicyForS3Backup" in answer.causes[0].title


def test_no_arn_keeps_the_generic_reading() -> None:
    answer = answer_offline(parse_error_message(DESCRIBE))
    assert (
        answer.todo
        == "attach AWSBackupServiceRolePolicyForS3Backup to the backup role for S3 buckets"
    )
    assert not any("read for resource type" in n for n in answer.notes)


def test_the_world_answer_reads_the_rds_arn_too() -> None:
    world = load_world(WORLDS / "backup-by-resource-type")
    result = explain_error(world, f"{DESCRIBE} {RDS_DB}")
    assert any("rds:DescribeDBInstances" in n for n in result.notes)
    assert not any("S3Backup" in n for n in result.notes)


def test_every_describe_action_is_granted_by_the_backup_role_policy() -> None:
    """The table's describe actions are the AWS managed policy's own, not guesses."""
    text = (
        resources.files("backup_access")
        .joinpath("data/managed_policies/AWSBackupServiceRolePolicyForBackup.json")
        .read_text("utf-8")
    )
    statements = json.loads(text)["document"]["Statement"]
    granted = [
        pattern
        for s in statements
        if s["Effect"] == "Allow"
        for pattern in ([s["Action"]] if isinstance(s["Action"], str) else s["Action"])
    ]
    described = {a for t in load_resource_types().types.values() for a in t.describe}
    assert "rds:DescribeDBInstances" in described
    for action in described:
        assert any(glob_matches(p, action, ignore_case=True) for p in granted), action


def test_an_ebs_copy_is_not_said_to_be_rds() -> None:
    answer = answer_offline(parse_error_message(EBS_JOB))
    assert answer.message.family.value == "rds_kms_key_not_accessible"  # the id stays
    assert "RDS/Aurora could not" not in answer.meaning
    assert not answer.summary.startswith("RDS")
    assert "EBS" in answer.summary
    assert "the job's ResourceType EBS" in " ".join(answer.notes)


def test_an_rds_copy_keeps_the_rds_reading() -> None:
    answer = answer_offline(parse_error_message(RDS_JOB))
    assert answer.summary == "RDS cannot use the KMS key of the snapshot it copies"
    assert "aws/rds" in answer.meaning


def test_the_job_record_is_named_as_the_types_origin_not_the_option() -> None:
    world = load_world(WORLDS / "cross-account-copy")
    result = explain_error(world, EBS_JOB)
    notes = [*result.notes, *(n for c in result.checks for n in c.notes)]
    assert "resource type: EBS (named by the job's ResourceType)" in notes
    assert not any("given as --resource-type" in n for n in notes)
    assert not any("RDS/Aurora could not" in n for n in notes)
