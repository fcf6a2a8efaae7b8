"""Every access-denied and AWS Backup message form backup-access reads
(https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html; the AWS
Backup job messages are those AWS Backup documents for failed jobs)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backup_access.diagnose.messages import (
    MessageFamily,
    MessageGate,
    MessageKind,
    parse_error_message,
)

ROLE_SESSION = "arn:aws:sts::111111111111:assumed-role/BackupOperator/alice"
VAULT = "arn:aws:backup:us-east-1:111111111111:backup-vault:central"


@pytest.mark.parametrize(
    ("text", "layer", "explicit"),
    [
        (
            f"User: {ROLE_SESSION} is not authorized to perform: backup:CreateBackupVault on "
            f"resource: {VAULT} because no identity-based policy allows the "
            "backup:CreateBackupVault action",
            "identity",
            False,
        ),
        (
            f"User: {ROLE_SESSION} is not authorized to perform: backup:CreateBackupVault on "
            f"resource: {VAULT} with an explicit deny in a service control policy",
            "scp",
            True,
        ),
        (
            f"User: {ROLE_SESSION} is not authorized to perform: backup:CreateBackupVault on "
            f"resource: {VAULT} because no permissions boundary allows the "
            "backup:CreateBackupVault action",
            "boundary",
            False,
        ),
        (
            f"User: {ROLE_SESSION} is not authorized to perform: backup:CreateBackupVault on "
            f"resource: {VAULT} with an explicit deny in a sessions policy",
            "session",
            True,
        ),
        (
            f"User: {ROLE_SESSION} is not authorized to perform: kms:Decrypt on resource: "
            "arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab "
            "because no resource-based policy allows the kms:Decrypt action",
            "resource",
            False,
        ),
        (
            f"User: {ROLE_SESSION} is not authorized to perform: kms:Decrypt on resource: "
            "arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab "
            "with an explicit deny in a resource control policy",
            "rcp",
            True,
        ),
        (
            f"User: {ROLE_SESSION} is not authorized to perform: backup:ListBackupVaults "
            "because no VPC endpoint policy allows the backup:ListBackupVaults action",
            "endpoint",
            False,
        ),
        (
            "User: arn:aws:sts::222222222222:assumed-role/Deployer/ci is not authorized to "
            "perform: sts:AssumeRole on resource: arn:aws:iam::111111111111:role/Backup because "
            "no role trust policy allows the sts:AssumeRole action",
            "resource",  # changed: a trust policy is the role's resource policy (engine layer)
            False,
        ),
    ],
)
def test_iam_access_denied_forms(text: str, layer: str, explicit: bool) -> None:
    parsed = parse_error_message(text)
    assert parsed.kind is MessageKind.ACCESS_DENIED
    assert parsed.layer == layer
    assert parsed.explicit is explicit
    assert parsed.principal and parsed.principal.startswith("arn:aws:")
    assert parsed.action and ":" in parsed.action


def test_sdk_prefix_and_status_suffix_over_several_lines() -> None:
    text = (
        "An error occurred (AccessDeniedException) when calling the StartRestoreJob operation: "
        "User: arn:aws:sts::326912278139:assumed-role/MemberInfrastructureAccess/aws-go-sdk is "
        "not authorized to perform: backup:StartRestoreJob on resource:\n"
        "arn:aws:backup:eu-west-2:326912278139:recovery-point:ef633021-6b1a-4f0e-9c3d-2d5c5e1a7b90"
        " because no identity-based policy allows the backup:StartRestoreJob action\n"
        "\tstatus code: 400, request id: 4bc06b8e-0e3c-4e59-9a8f-8f0e7e2c3a1d"
    )
    parsed = parse_error_message(text)
    assert parsed.operation == "StartRestoreJob"
    assert parsed.action == "backup:StartRestoreJob"
    assert parsed.resource == (
        "arn:aws:backup:eu-west-2:326912278139:recovery-point:ef633021-6b1a-4f0e-9c3d-2d5c5e1a7b90"
    )
    assert parsed.layer == "identity"


def test_newer_form_with_policy_arn_and_authorization_id() -> None:
    text = (
        "User: arn:aws:iam::123456789012:user/ExampleUser is not authorized to perform: "
        "backup:DeleteRecoveryPoint on resource: "
        "arn:aws:backup:us-east-1:123456789012:recovery-point:1EB3B5E7 with an explicit deny "
        "in an identity-based policy: arn:aws:iam::123456789012:policy/ExampleDenyPolicy. Go to "
        "https://console.aws.amazon.com/iam/home#/authorization-details/AQ0N2xK for complete "
        "details, or call the GetRequestAuthorizationDetails API with the following "
        "authorization id: AQ0N2xKexampleZ9"
    )
    parsed = parse_error_message(text)
    assert parsed.explicit is True
    assert parsed.policy_arn == "arn:aws:iam::123456789012:policy/ExampleDenyPolicy"
    assert parsed.authorization_id == "AQ0N2xKexampleZ9"


def test_quoted_resource_and_old_form_without_policy_type() -> None:
    quoted = parse_error_message(
        "User: arn:aws:iam::111111111111:user/a is not authorized to perform: s3:GetObject on "
        'resource: "arn:aws:s3:::backup-reports/2026/report.csv" because no session policy '
        "allows the s3:GetObject action"
    )
    assert quoted.resource == "arn:aws:s3:::backup-reports/2026/report.csv"
    old = parse_error_message(
        "User: arn:aws:iam::111111111111:user/a is not authorized to perform: "
        "backup:ListBackupVaults"
    )
    assert old.kind is MessageKind.ACCESS_DENIED
    assert old.resource is None
    assert old.explicit is None
    assert old.note and "older" in old.note


@pytest.mark.parametrize(
    ("text", "gate"),
    [
        (
            "Access Denied trying to call AWS Backup service",
            MessageGate.BACKUP_SERVICE_ACCESS_DENIED,
        ),
        (
            "Access denied: Copy job failed. Both source and destination account must be a "
            "member of the same organization.",
            MessageGate.NOT_SAME_ORGANIZATION,
        ),
        (
            "Copy job failed. Cross-account copy feature is not enabled for the current "
            "organization.",
            MessageGate.CROSS_ACCOUNT_BACKUP_DISABLED,
        ),
        (
            "Copy job failed because the destination Backup vault is encrypted with the default "
            "Backup service managed key. The contents of this vault cannot be copied. Only the "
            "contents of a Backup vault encrypted by an AWS KMS key may be copied.",
            MessageGate.DESTINATION_VAULT_DEFAULT_KEY,
        ),
        (
            "Snapshots encrypted with the AWS managed key can't be shared. Specify another "
            "snapshot.",
            MessageGate.AWS_MANAGED_KEY_NOT_SHAREABLE,
        ),
        (
            "Encrypted snapshots with Amazon EBS default key cannot be shared",
            MessageGate.AWS_MANAGED_KEY_NOT_SHAREABLE,
        ),
        ("Given key ID is not accessible", MessageGate.KMS_KEY_INACCESSIBLE),
        (
            "The source snapshot KMS key [arn:aws:kms:eu-north-1:222222222222:key/"
            "0b1c2d3e-4f5a-6b7c-8d9e-0f1a2b3c4d5e] does not exist, is not enabled or you do not "
            "have permissions to access it.",
            MessageGate.KMS_KEY_INACCESSIBLE,
        ),
        (
            "The provided role arn:aws:iam::222222222222:role/MyBackupRole cannot be assumed by "
            "AWS Backup.",
            MessageGate.ROLE_NOT_ASSUMABLE,
        ),
        (
            "IAM Role arn:aws:iam::222222222222:role/service-role/AWSBackupDefaultServiceRole "
            "does not have sufficient permissions to execute the backup.",
            MessageGate.ROLE_INSUFFICIENT_PERMISSIONS,
        ),
        (
            "You are not authorized to perform this operation. Please consult the permissions "
            "associated with your AWS Backup role",
            MessageGate.ROLE_INSUFFICIENT_PERMISSIONS,
        ),
        (
            "Your backup job failed as AWS Backup does not have permission to describe resource "
            "arn:aws:s3:::prod-data. Please review your IAM policies to ensure AWS Backup can "
            "protect your resources.",
            MessageGate.RESOURCE_DESCRIBE_DENIED,
        ),
        (
            "Copy job failed. The retention specified in the job is not within the range "
            "specified for the target Backup Vault.",
            MessageGate.RETENTION_OUT_OF_RANGE,
        ),
        (
            "Copy job from eu-north-1 to eu-central-1 cannot be initiated for Aurora resources. "
            "Feature is not supported for provided resource type.",
            MessageGate.UNSUPPORTED_FEATURE,
        ),
        ("Source AMI not found in Region", MessageGate.SOURCE_AMI_NOT_FOUND),
    ],
)
def test_aws_backup_gate_messages(text: str, gate: MessageGate) -> None:
    parsed = parse_error_message(text)
    assert parsed.kind is MessageKind.GATE
    assert parsed.gate is gate


def test_gate_messages_carry_the_role_key_or_resource_they_name() -> None:
    role = parse_error_message(
        "The provided role arn:aws:iam::222222222222:role/MyBackupRole cannot be assumed by "
        "AWS Backup."
    )
    assert role.role == "arn:aws:iam::222222222222:role/MyBackupRole"
    key = parse_error_message(
        "The source snapshot KMS key [arn:aws:kms:eu-north-1:222222222222:key/abc-123] does not "
        "exist, is not enabled or you do not have permissions to access it."
    )
    assert key.key == "arn:aws:kms:eu-north-1:222222222222:key/abc-123"
    described = parse_error_message(
        "AWS Backup does not have permission to describe resource arn:aws:s3:::prod-data."
    )
    assert described.resource == "arn:aws:s3:::prod-data"


@pytest.mark.parametrize("text", ["", "Something else"])
def test_empty_and_unknown_messages_are_unrecognised_with_a_note(text: str) -> None:
    parsed = parse_error_message(text)
    assert parsed.kind is MessageKind.UNRECOGNISED
    assert parsed.note


def test_empty_403_quirk_is_explained() -> None:
    # Changed (issue 13): an AccessDeniedException with no message is an access denial (the
    # empty-403 family), no longer "unrecognised".
    parsed = parse_error_message("AccessDeniedException: status code: 403, request id: 6a1b")
    assert parsed.kind is MessageKind.ACCESS_DENIED
    assert parsed.family is MessageFamily.EMPTY_ACCESS_DENIED
    assert parsed.evidence.request_id == "6a1b" and parsed.evidence.status_code == 403
    assert parsed.note and "no message" in parsed.note


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=400))
def test_any_text_parses_without_raising(text: str) -> None:
    assert parse_error_message(text).kind in set(MessageKind)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=60), st.text(max_size=60))
def test_access_denied_embedded_in_noise_is_found(before: str, after: str) -> None:
    core = (
        f"User: {ROLE_SESSION} is not authorized to perform: backup:StartBackupJob on "
        f"resource: {VAULT} because no identity-based policy allows the backup:StartBackupJob "
        "action"
    )
    parsed = parse_error_message(f"{before} {core} {after}")
    assert parsed.kind is MessageKind.ACCESS_DENIED
