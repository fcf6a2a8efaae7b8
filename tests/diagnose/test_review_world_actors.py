"""Review of issue 13, finding 9 (and #6's last bullet): messages about a service role name that
role, not "the caller", in the layer AWS blamed; a KMS message in a copy names the copy role
as the key's user; CloudFormation's HandlerErrorCode is labelled as CloudFormation's.

Pages: a selection's role needs tag:GetResources
(https://docs.aws.amazon.com/aws-backup/latest/devguide/assigning-resources.html); in a copy
the copy role and, across accounts, the destination's AWSServiceRoleForBackup use the source
key (https://docs.aws.amazon.com/aws-backup/latest/devguide/encryption.html#copy-encryption);
CloudFormation's handler error codes
(https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_RecordHandlerProgress.html).
"""

from __future__ import annotations

import json

from backup_access.diagnose.messages import parse_error_message
from backup_access.diagnose.offline import answer_offline
from backup_access.report.incident import render_offline

SELECTION = (
    'Resource handler returned message: "IAM Role arn:aws:iam::111111111111:role/service-role/'
    "AWSBackupDefaultServiceRole is not authorized to call tag:GetResources (Service: Backup, "
    'Status Code: 400, Request ID: 1234)" (RequestToken: abc, HandlerErrorCode: InvalidRequest)'
)
S3_DESCRIBE = (
    "Backup job failed: IAM Role arn:aws:iam::111111111111:role/BackupRole does not have "
    "permission to describe resource arn:aws:s3:::my-bucket"
)
CIPHERTEXT = (
    "An error occurred (AccessDeniedException) when calling the StartCopyJob operation: The "
    "ciphertext refers to a customer master key that does not exist, does not exist in this "
    "region, or you are not allowed to access it."
)


def test_the_selection_role_message_blames_the_selection_role_not_the_caller() -> None:
    answer = answer_offline(parse_error_message(SELECTION))
    assert "of the selection's role" in answer.blame.says
    assert "AWSBackupDefaultServiceRole" in answer.blame.says
    assert "of the caller" not in answer.blame.says


def test_the_s3_describe_message_blames_the_jobs_service_role() -> None:
    answer = answer_offline(parse_error_message(S3_DESCRIBE))
    assert "of the job's service role" in answer.blame.says
    assert "of the caller" not in answer.blame.says


def test_cloudformation_handler_error_code_is_labelled_as_cloudformations() -> None:
    text = render_offline(answer_offline(parse_error_message(SELECTION)))
    assert "CloudFormation handler error code InvalidRequest" in text
    assert "; error code InvalidRequest" not in text


def test_a_kms_message_in_a_copy_names_the_copy_role_as_the_keys_user() -> None:
    answer = answer_offline(parse_error_message(CIPHERTEXT))
    titles = [c.title for c in answer.causes[:2]]
    assert all("caller" not in t for t in titles), titles
    assert "copy role" in titles[0] and "copy role" in titles[1]
    identity = answer.causes[1]
    assert "AWSServiceRoleForBackup" in identity.why
    assert "--policy-source-arn IAM_ROLE_ARN" in identity.confirm[0].command


def test_with_the_job_the_copy_role_itself_is_simulated() -> None:
    job = {
        "CopyJob": {
            "SourceBackupVaultArn": "arn:aws:backup:us-east-1:111111111111:backup-vault:prod",
            "DestinationBackupVaultArn": "arn:aws:backup:us-east-1:222222222222:backup-vault:c",
            "StatusMessage": CIPHERTEXT.split(": ", 1)[1],
            "IamRoleArn": "arn:aws:iam::111111111111:role/service-role/BackupCopyRole",
        }
    }
    answer = answer_offline(parse_error_message(json.dumps(job)))
    commands = [c.command for cause in answer.causes for c in cause.confirm]
    assert any(
        "--policy-source-arn arn:aws:iam::111111111111:role/service-role/BackupCopyRole" in c
        for c in commands
    ), commands
