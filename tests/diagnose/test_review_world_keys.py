"""Review of issue 13, finding 2: KMS key messages inside a copy job are checked in the world
with the job's role, vaults and recovery point — confirmed when the source key is AWS managed
or its key policy shuts out the destination account, contradicted when it lets it in.

AWS's troubleshooting page for these messages:
https://repost.aws/knowledge-center/backup-cross-account-copy-error; AWS managed keys cannot
be used by another account and a snapshot-backed copy keeps its source key
(https://docs.aws.amazon.com/aws-backup/latest/devguide/encryption.html#copy-encryption).
The world (examples/worlds/cross-account-copy-gates) holds: vault prod, whose EBS snapshot
...0001 is encrypted with a customer managed key shared with 222222222222; prod-unshared,
whose snapshot ...0003 uses a key whose policy names only its own account; prod-ebs, whose
snapshot ...0002 uses the AWS managed aws/ebs key.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from backup_access.cli import main

WORLD = Path(__file__).parents[2] / "examples" / "worlds" / "cross-account-copy-gates"
SOURCE_VAULTS = "arn:aws:backup:us-east-1:111111111111:backup-vault:"
ROLE = "arn:aws:iam::111111111111:role/service-role/BackupCopyRole"
GIVEN_KEY = "Copy job failed. Given key ID is not accessible"
DEFAULT_CMK = "Copy job failed: You must have DescribeKey permissions on the default CMK"
CIPHERTEXT = (
    "The ciphertext refers to a customer master key that does not exist, does not exist in "
    "this region, or you are not allowed to access it."
)
RDS_FAULT = (
    "An error occurred (KMSKeyNotAccessibleFault) when calling the CopyDBSnapshot operation: "
    "The source snapshot KMS key does not exist, is not enabled or you do not have "
    "permissions to access it."
)


def copy_job(message: str, vault: str, snapshot: str) -> str:
    """``aws backup describe-copy-job`` output around ``message``."""
    return json.dumps(
        {
            "CopyJob": {
                "AccountId": "111111111111",
                "CopyJobId": "abc",
                "SourceBackupVaultArn": f"{SOURCE_VAULTS}{vault}",
                "SourceRecoveryPointArn": f"arn:aws:ec2:us-east-1::snapshot/{snapshot}",
                "DestinationBackupVaultArn": (
                    "arn:aws:backup:us-east-1:222222222222:backup-vault:central"
                ),
                "State": "FAILED",
                "StatusMessage": message,
                "IamRoleArn": ROLE,
                "ResourceType": "EBS",
            }
        },
        indent=1,
    )


def explain(text: str) -> dict[str, Any]:
    result = CliRunner().invoke(
        main, ["explain", "--world", str(WORLD), "--format", "json", "--error", "-"], input=text
    )
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def failing(data: dict[str, Any]) -> list[str]:
    return [c["id"] for c in data["checks"] if c["decision"] not in ("allowed", "unknown")]


@pytest.mark.parametrize("message", [GIVEN_KEY, DEFAULT_CMK, CIPHERTEXT, RDS_FAULT])
def test_a_key_policy_that_shuts_out_the_destination_confirms_the_message(message: str) -> None:
    data = explain(copy_job(message, "prod-unshared", "snap-0b1c2d3e4f5a60003"))
    assert data["verdict"] == "denied"
    assert "copy.destination-slr-describe-source-key" in failing(data)
    assert "copy.source-key-customer-managed" not in failing(data)
    assert data["disagreements"] == []


@pytest.mark.parametrize("message", [GIVEN_KEY, DEFAULT_CMK])
def test_an_aws_managed_source_key_confirms_the_message(message: str) -> None:
    data = explain(copy_job(message, "prod-ebs", "snap-0b1c2d3e4f5a60002"))
    assert data["verdict"] == "denied"
    assert failing(data)[0] == "copy.source-key-customer-managed"
    first = data["checks"][0]
    assert first["source"].startswith("https://docs.aws.amazon.com/aws-backup/")


@pytest.mark.parametrize("message", [GIVEN_KEY, DEFAULT_CMK, CIPHERTEXT])
def test_a_shared_customer_managed_key_contradicts_the_message(message: str) -> None:
    data = explain(copy_job(message, "prod", "snap-0b1c2d3e4f5a60001"))
    assert data["verdict"] == "unknown"
    assert failing(data) == []
    ids = {c["id"] for c in data["checks"]}
    assert {"copy.source-key-customer-managed", "copy.destination-slr-describe-source-key"} <= ids
    (first, *_) = data["disagreements"]
    assert "customer managed" in first and "key policy lets" in first
    assert "backup-cross-account-copy-error" in " ".join(data["notes"])


def test_without_the_job_the_key_message_says_what_is_missing() -> None:
    data = explain(GIVEN_KEY)
    assert data["verdict"] == "unknown" and data["checks"] == []
    assert any("describe-copy-job" in note for note in data["notes"])


def test_the_first_line_names_the_key_policy_for_the_unshared_key() -> None:
    text = copy_job(GIVEN_KEY, "prod-unshared", "snap-0b1c2d3e4f5a60003")
    result = CliRunner().invoke(
        main, ["explain", "-q", "--world", str(WORLD), "--error", "-"], input=text
    )
    assert result.output.startswith("✘ DENIED error message — the source key's key policy")
    assert "AWSServiceRoleForBackup" in result.output


def test_a_backup_job_whose_key_the_world_does_not_record_says_so() -> None:
    job = {
        "BackupJob": {
            "BackupVaultArn": f"{SOURCE_VAULTS}prod",
            "ResourceArn": "arn:aws:ec2:us-east-1:111111111111:volume/vol-1",
            "ResourceType": "EBS",
            "IamRoleArn": ROLE,
            "StatusMessage": "Access to KMS key is denied",
        }
    }
    data = explain(json.dumps(job))
    assert data["verdict"] == "unknown" and data["checks"] == []
    assert any("explain backup" in n and "--key KEY" in n for n in data["notes"]), data["notes"]
