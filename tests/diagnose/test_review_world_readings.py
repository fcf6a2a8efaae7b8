"""Review of issue 13, finding 10: an offline reading that assumes a cross-account copy is said
as a condition when the paste does not show the copy's two accounts, and the Source AMI
family gets the commands that confirm it.

Pages: the cross-account copy page the families cite
(https://docs.aws.amazon.com/aws-backup/latest/devguide/create-cross-account-backup.html) and
EC2 Allowed AMIs (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_GetAllowedImagesSettings.html).
"""

from __future__ import annotations

import json

from backup_access.diagnose.messages import parse_error_message
from backup_access.diagnose.offline import answer_offline

AMI = "Copy job failed. Source AMI not found in Region us-east-1"
CONSOLE_BACKUP_JOB = (
    "Backup job ID: 1234-abcd Status: Failed Message: Access denied trying to call AWS Backup "
    "service Resource type: EBS"
)


def _job(message: str, source_account: str, destination_account: str) -> str:
    return json.dumps(
        {
            "CopyJob": {
                "SourceBackupVaultArn": f"arn:aws:backup:us-east-1:{source_account}:backup-vault:a",
                "DestinationBackupVaultArn": (
                    f"arn:aws:backup:us-east-1:{destination_account}:backup-vault:b"
                ),
                "SourceRecoveryPointArn": "arn:aws:ec2:us-east-1::image/ami-0123456789abcdef0",
                "StatusMessage": message,
            }
        }
    )


def test_a_bare_ami_message_is_read_as_a_condition() -> None:
    answer = answer_offline(parse_error_message(AMI))
    assert answer.summary.startswith("if this was a cross-account copy: ")
    assert answer.meaning.startswith("If this was a cross-account copy (nothing in the paste")


def test_the_ami_family_lists_allowed_images_and_describe_images() -> None:
    answer = answer_offline(parse_error_message(AMI))
    commands = [c.command for cause in answer.causes for c in cause.confirm]
    assert "aws ec2 get-allowed-images-settings --region us-east-1" in commands
    assert any(c.startswith("aws ec2 describe-images --image-ids AMI_ID") for c in commands)
    job = answer_offline(parse_error_message(_job(AMI, "111111111111", "222222222222")))
    commands = [c.command for cause in job.causes for c in cause.confirm]
    assert any("--image-ids ami-0123456789abcdef0" in c for c in commands)


def test_a_pasted_cross_account_copy_states_the_reading() -> None:
    answer = answer_offline(parse_error_message(_job(AMI, "111111111111", "222222222222")))
    assert not answer.summary.startswith("if ")


def test_a_pasted_same_account_copy_says_the_reading_does_not_fit() -> None:
    answer = answer_offline(parse_error_message(_job(AMI, "111111111111", "111111111111")))
    assert "does not fit" in answer.summary and "same account" in answer.meaning


def test_a_backup_job_paste_is_not_called_a_copy_as_fact() -> None:
    answer = answer_offline(parse_error_message(CONSOLE_BACKUP_JOB))
    assert answer.summary.startswith("if this was a cross-account copy: ")
    assert "the paste says a backup job" in answer.meaning
