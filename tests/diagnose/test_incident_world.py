"""explain --error with a world, for the message families added with issue 13: every gate
has a handler, gates are checked against the world, masked ids are unknown (not errors), and
JSON ``parameters`` carries what the message said and nothing invented."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from backup_access.cli import main
from backup_access.diagnose import CheckDecision, Verdict
from backup_access.diagnose.families import MessageGate, families
from backup_access.diagnose.gate_handlers import HANDLERS
from backup_access.diagnose.incident import explain_error
from backup_access.world import World, load_world
from tests.diagnose.fixtures.worlds import (
    COPY_ROLE,
    OPERATOR,
    ORG,
    PROD,
    SOURCE_VAULT,
    account,
    world_with,
)


@pytest.fixture(scope="module")
def org() -> World:
    return load_world(ORG)


def test_every_gate_has_exactly_one_handler_and_every_family_gate_exists() -> None:
    assert set(HANDLERS) == set(MessageGate)
    assert {row.gate for row in families() if row.gate} <= set(MessageGate)


def test_a_selection_role_without_tag_get_resources_is_evaluated(
    tmp_path: Path, org: World
) -> None:
    # https://github.com/vinycoolguy2015/awslambda/issues/1 — the fixture role has the AWS
    # managed AWSBackupServiceRolePolicyForBackup, which grants tag:GetResources.
    text = f"IAM Role {COPY_ROLE} is not authorized to call tag:GetResources"
    allowed = explain_error(org, text)
    (check,) = allowed.checks
    assert check.action == "tag:GetResources" and check.decision is CheckDecision.ALLOWED
    assert allowed.disagreements and "closed gate" in allowed.disagreements[0]

    def strip(data: dict[str, Any]) -> None:
        account(data, PROD)["iam"]["roles"]["BackupCopyRole"]["policies"] = []

    denied = explain_error(world_with(tmp_path, strip), text)
    assert denied.verdict is Verdict.DENIED
    assert denied.checks[0].blocked_by == ("identity",)
    assert denied.disagreements == ()


def test_a_sharing_restriction_checks_the_cross_account_setting(tmp_path: Path) -> None:
    def disable(data: dict[str, Any]) -> None:
        data["organization"]["cross_account_backup"] = False

    result = explain_error(
        world_with(tmp_path, disable),
        "The specified policy cannot be added to the vault due to cross-account sharing "
        "restrictions. Amend the policy or the vault's settings, then retry request",
    )
    (check,) = result.checks
    assert check.decision is CheckDecision.DENIED and check.blocked_by == ("setting",)
    assert any("cross-account" in note for note in result.notes)


def test_an_aws_managed_key_reproduces_a_key_message(org: World) -> None:
    key = f"arn:aws:kms:us-east-1:{PROD}:alias/aws/backup"
    result = explain_error(org, f"Copy job failed. Given key ID is not accessible: {key}")
    (check,) = result.checks
    assert check.decision is CheckDecision.DENIED
    assert result.verdict is Verdict.DENIED
    assert any(f"--key {key}" in note for note in result.notes)


def test_a_masked_account_is_put_back_when_the_world_holds_one_match(org: World) -> None:
    result = explain_error(
        org,
        "User: arn:aws:sts::XXXXXXXXXXXX:assumed-role/BackupOperator/alice is not authorized to "
        f"perform: backup:DeleteBackupVault on resource: {SOURCE_VAULT} because no "
        "identity-based policy allows the backup:DeleteBackupVault action",
    )
    (check,) = result.checks
    assert check.principal == f"arn:aws:sts::{PROD}:assumed-role/BackupOperator/alice"
    assert any(
        f"masked account 'XXXXXXXXXXXX' was taken as {PROD}, the only account in the world "
        "with assumed-role BackupOperator" in note
        for note in result.notes
    )


def test_a_masked_principal_the_world_cannot_tell_is_unknown_not_an_error(org: World) -> None:
    result = explain_error(
        org,
        "User: arn:aws:sts::XXXXXXXXXXXX:assumed-role/Nobody/alice is not authorized to "
        f"perform: backup:DeleteBackupVault on resource: {SOURCE_VAULT} because no "
        "identity-based policy allows the backup:DeleteBackupVault action",
    )
    assert result.verdict is Verdict.UNKNOWN and result.checks == ()
    assert any("masked" in note for note in result.notes)
    assert dict(result.parameters)["masked"] == "principal account"
    vault = explain_error(
        org,
        "User: xxxx is not authorized to perform: backup:DeleteBackupVault on resource: "
        "arn:aws:backup:us-east-1:<account_id>:backup-vault:source because no identity-based "
        "policy allows the backup:DeleteBackupVault action",
    )
    assert vault.verdict is Verdict.UNKNOWN  # the principal is not an ARN: nothing to put back
    assert any("taken as 222222222222" in note for note in vault.notes)  # the vault is


def test_a_message_without_a_request_says_what_it_means_and_its_likely_cause(org: World) -> None:
    result = explain_error(
        org,
        "An error occurred (AccessDeniedException) when calling the DescribeBackupVault "
        "operation: Insufficient privileges to perform this action.",
    )
    assert result.verdict is Verdict.UNKNOWN
    assert any("does not exist" in note for note in result.notes)
    # the offline causes stay, each with its command (review 13 #7)
    assert any(note.startswith("likely cause 1 ") for note in result.notes)


def test_disagreements_put_the_layer_aws_blamed_first(tmp_path: Path) -> None:
    def deny_in_identity(data: dict[str, Any]) -> None:
        account(data, PROD)["iam"]["policies"]["Operator"]["Statement"].append(
            {"Effect": "Deny", "Action": "backup:DeleteBackupVault", "Resource": "*"}
        )

    result = explain_error(
        world_with(tmp_path, deny_in_identity),
        f"User: {OPERATOR} is not authorized to perform: backup:DeleteBackupVault on resource: "
        f"{SOURCE_VAULT} because no service control policy allows the "
        "backup:DeleteBackupVault action",
    )
    assert result.verdict is Verdict.DENIED
    first, second = result.disagreements
    assert first.startswith("the message blames a service control policy, the world blames")
    assert "no allow" in second and "explicit deny" in second


def test_json_parameters_carry_what_the_message_said_and_no_invented_resource() -> None:
    text = (
        "An error occurred (AccessDeniedException) when calling the ListBackupVaults operation: "
        f"User: {OPERATOR} is not authorized to perform: backup:ListBackupVaults with an explicit "
        "deny in an identity-based policy: arn:aws:iam::222222222222:policy/Deny. Go to https://"
        "console.aws.amazon.com/iam/home#/authorization-details/AQ0 for complete details, or call "
        "the GetRequestAuthorizationDetails API with the following authorization id: AQ0xyz"
    )
    result = CliRunner().invoke(
        main, ["explain", "--world", str(ORG), "--error", text, "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    parameters = json.loads(result.stdout)["parameters"]
    assert parameters["explicit"] == "true"
    assert parameters["sdk_operation"] == "ListBackupVaults"
    assert parameters["authorization_id"] == "AQ0xyz"
    assert parameters["policy_arn"] == "arn:aws:iam::222222222222:policy/Deny"
    assert parameters["layer"] == "identity"
    assert "resource" not in parameters  # the message names none: never an invented "*"


def test_a_same_organization_message_lists_who_is_in_the_organization(
    tmp_path: Path, org: World
) -> None:
    text = (
        "Access denied: Copy job failed. Both source and destination account must be a member "
        "of the same organization"
    )
    inside = explain_error(org, text)
    assert any("o-a1b2c3d4e5 holds 222222222222, 333333333333" in n for n in inside.notes)
    assert inside.disagreements  # every account of the world is in one organization

    def leave(data: dict[str, Any]) -> None:
        for ou in data["organization"]["root"]["ous"]:
            if "333333333333" in ou["accounts"]:
                ou["accounts"].remove("333333333333")

    outside = explain_error(world_with(tmp_path, leave), text)
    assert any("333333333333 is outside it" in n for n in outside.notes)
    assert outside.disagreements == ()


def test_a_default_key_message_lists_the_vaults_a_copy_cannot_enter(org: World) -> None:
    result = explain_error(
        org,
        "Copy job failed because the destination Backup vault is encrypted with the default "
        "Backup service managed key. The contents of this vault cannot be copied.",
    )
    (note,) = [n for n in result.notes if n.startswith("in the world, the vaults")]
    assert note.endswith("aws/backup): none")  # the fixture's airgap vault is a LAG vault
    assert any(n.startswith("the destination vault is encrypted") for n in result.notes)


def test_an_s3_describe_message_lists_the_backup_roles_of_the_buckets_account() -> None:
    # https://github.com/ministryofjustice/modernisation-platform/issues/6152: fixed by
    # attaching AWSBackupServiceRolePolicyForS3Backup to the backup role.
    world = load_world(
        Path(__file__).parents[2] / "examples" / "worlds" / "backup-by-resource-type"
    )
    result = explain_error(
        world,
        "Your backup job failed as AWS Backup does not have permission to describe resource "
        "arn:aws:s3:::versioned-data. Please review your IAM policies to ensure AWS Backup can "
        "protect your resources.",
    )
    (note,) = [n for n in result.notes if n.startswith("in the world, bucket versioned-data")]
    assert "S3BackupRole (has AWSBackupServiceRolePolicyForS3Backup)" in note
    assert "AWSBackupDefaultServiceRole (lacks AWSBackupServiceRolePolicyForS3Backup)" in note
    missing = explain_error(
        world, "AWS Backup does not have permission to describe resource arn:aws:s3:::elsewhere"
    )
    assert any("bucket elsewhere is not in the world" in n for n in missing.notes)
