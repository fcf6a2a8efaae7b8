"""--error / --cloudtrail diagnosis on parsed messages (the parser's own typed records)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from backup_access.catalogue import CheckKind
from backup_access.diagnose import CheckDecision, Verdict
from backup_access.diagnose.incident import (
    MESSAGE_CHECK,
    TRUST_CHECK,
    explain_error,
    explain_parsed,
)
from backup_access.diagnose.messages import MessageGate, MessageKind, ParsedMessage
from backup_access.engine.model import Layer
from backup_access.world import World, load_world
from tests.diagnose.fixtures.worlds import (
    CENTRAL_VAULT,
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


def message(**fields: Any) -> ParsedMessage:
    """A parsed message with the given fields (the parser's own type)."""
    kind = MessageKind(fields.pop("kind", "access_denied"))
    policy_type = fields.get("policy_type")
    gate = fields.pop("gate", None)
    return ParsedMessage(
        kind,
        fields.pop("text", ""),
        layer=Layer.from_aws_words(policy_type) if policy_type else None,
        gate=MessageGate(gate) if gate else None,
        **fields,
    )


def test_a_message_the_world_reproduces_points_at_the_statement(tmp_path: Path) -> None:
    def patch(data: dict[str, Any]) -> None:
        data["organization"]["root"]["ous"][0]["policies"].append("DenyVaultDelete")

    parsed = message(
        principal=f"arn:aws:sts::{PROD}:assumed-role/BackupOperator/alice",
        action="backup:DeleteBackupVault",
        resource=SOURCE_VAULT,
        explicit=True,
        policy_type="service control",
    )
    result = explain_parsed(world_with(tmp_path, patch), parsed)
    assert result.verdict is Verdict.DENIED
    (check,) = result.checks
    assert check.id == MESSAGE_CHECK
    assert check.decision is CheckDecision.EXPLICIT_DENY
    assert check.statements[0].sid == "NoVaultDelete"
    assert result.disagreements == ()


def test_a_message_the_world_contradicts_is_flagged(org: World) -> None:
    parsed = message(
        principal=OPERATOR,
        action="backup:DeleteBackupVault",
        resource=SOURCE_VAULT,
        explicit=True,
        policy_type="service control",
    )
    result = explain_parsed(org, parsed)
    assert result.verdict is Verdict.UNKNOWN  # AWS denied it: the world is incomplete or stale
    assert result.checks[0].decision is CheckDecision.ALLOWED
    (disagreement,) = result.disagreements
    assert disagreement.startswith("AWS denied this but the world allows it: ")
    assert "service control" in disagreement


def test_the_world_blames_another_layer(tmp_path: Path) -> None:
    def patch(data: dict[str, Any]) -> None:
        del data["accounts"]["333333333333"]["regions"]["us-east-1"]["backup"]["vaults"]["central"][
            "access_policy"
        ]

    parsed = message(
        principal=COPY_ROLE,
        action="backup:CopyIntoBackupVault",
        resource=CENTRAL_VAULT,
        explicit=False,
        policy_type="identity-based",
    )
    result = explain_parsed(world_with(tmp_path, patch), parsed)
    # AWS's report comes first (issue 13 review #3); the world's evaluation follows it
    reported, evaluated = result.checks
    assert reported.id == "message.aws-reported" and "identity-based" in reported.reason
    assert evaluated.blocked_by == ("resource",)
    (disagreement,) = result.disagreements
    assert "identity-based" in disagreement and "resource" in disagreement


def test_a_trust_gate_evaluates_the_role_trust_policy(tmp_path: Path) -> None:
    def patch(data: dict[str, Any]) -> None:
        trust = account(data, PROD)["iam"]["roles"]["BackupCopyRole"]["trust"]
        trust["Statement"][0]["Principal"] = {"Service": "ec2.amazonaws.com"}

    parsed = message(kind="gate", gate="role_not_assumable", role=COPY_ROLE)
    result = explain_parsed(world_with(tmp_path, patch), parsed)
    (check,) = result.checks
    assert check.id == TRUST_CHECK and check.decision is CheckDecision.IMPLICIT_DENY


def test_cross_account_gate_reads_the_organization_setting(tmp_path: Path) -> None:
    def patch(data: dict[str, Any]) -> None:
        data["organization"]["cross_account_backup"] = False

    parsed = message(kind="gate", gate="cross_account_backup_disabled")
    result = explain_parsed(world_with(tmp_path, patch), parsed)
    (check,) = result.checks
    assert check.decision is CheckDecision.DENIED and check.blocked_by == ("setting",)


def test_an_unrecognised_message_is_unknown(org: World) -> None:
    result = explain_parsed(org, message(kind="unrecognised"))
    assert result.verdict is Verdict.UNKNOWN and result.checks == ()
    assert result.notes


def test_an_insufficient_permissions_gate_is_unknown_with_what_to_look_at(
    tmp_path: Path, org: World
) -> None:
    text = f"IAM Role {COPY_ROLE} does not have sufficient permissions to execute the backup."
    parsed = message(kind="gate", gate="role_insufficient_permissions", role=COPY_ROLE, text=text)
    result = explain_parsed(org, parsed)
    assert result.verdict is Verdict.UNKNOWN and result.checks == ()
    (note,) = result.notes
    assert "not its trust policy" in note and "AWSBackupServiceRolePolicyForBackup" in note
    assert "look at what the resource itself requires" in note  # the fixture role has it

    def strip(data: dict[str, Any]) -> None:
        account(data, PROD)["iam"]["roles"]["BackupCopyRole"]["policies"] = []

    restore = message(
        kind="gate",
        gate="role_insufficient_permissions",
        role=COPY_ROLE,
        text=text.replace("the backup", "the restore"),
    )
    (note,) = explain_parsed(world_with(tmp_path, strip), restore).notes
    assert "AWSBackupServiceRolePolicyForRestores" in note
    assert "none of them is AWSBackupServiceRolePolicyForRestores" in note

    elsewhere = message(
        kind="gate",
        gate="role_insufficient_permissions",
        role="arn:aws:iam::444444444444:role/Nope",
        text=text,
    )
    (note,) = explain_parsed(org, elsewhere).notes
    assert note.endswith("is not in the world")


def test_a_gate_message_the_world_contradicts_is_a_disagreement(tmp_path: Path, org: World) -> None:
    assumable = explain_parsed(org, message(kind="gate", gate="role_not_assumable", role=COPY_ROLE))
    assert assumable.verdict is Verdict.UNKNOWN
    (disagreement,) = assumable.disagreements
    assert disagreement.startswith("AWS denied this but the world allows it: ")
    assert "cannot assume role" in disagreement and "in the world it can" in disagreement
    assert "TrustBackup" in disagreement  # the statement that allows it

    enabled = explain_parsed(org, message(kind="gate", gate="cross_account_backup_disabled"))
    assert enabled.checks[0].decision is CheckDecision.ALLOWED
    assert enabled.verdict is Verdict.UNKNOWN
    (disagreement,) = enabled.disagreements
    assert disagreement.startswith("AWS denied this but the world allows it: ")
    assert "cross-account backup is enabled" in disagreement

    def untrust(data: dict[str, Any]) -> None:
        trust = account(data, PROD)["iam"]["roles"]["BackupCopyRole"]["trust"]
        trust["Statement"][0]["Principal"] = {"Service": "ec2.amazonaws.com"}

    parsed = message(kind="gate", gate="role_not_assumable", role=COPY_ROLE)
    assert explain_parsed(world_with(tmp_path, untrust), parsed).disagreements == ()


def test_disagreements_use_the_right_article(org: World) -> None:
    parsed = message(
        principal=OPERATOR,
        action="backup:DeleteBackupVault",
        resource=SOURCE_VAULT,
        explicit=False,
        policy_type="identity-based",
    )
    (disagreement,) = explain_parsed(org, parsed).disagreements
    assert "no allow in an identity-based policy" in disagreement
    assert " a identity" not in disagreement
    scp = replace(parsed, explicit=True, policy_type="service control", layer=Layer.SCP)
    (disagreement,) = explain_parsed(org, scp).disagreements
    assert "an explicit deny in a service control policy" in disagreement


def test_key_inaccessible_message_says_to_run_the_operation_with_the_key() -> None:
    world = load_world(Path(__file__).parents[2] / "examples" / "worlds" / "kms-perimeter")
    key = "arn:aws:kms:us-east-1:111111111111:key/1111aaaa-0000-4000-8000-000000000011"
    explanation = explain_error(
        world,
        f"The source snapshot KMS key [{key}] does not exist, is not enabled or you do not "
        "have permissions to access it.",
    )
    assert explanation.verdict is Verdict.UNKNOWN
    assert any(f"--key {key}" in note for note in explanation.notes)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        (
            "Copy job failed. The retention specified in the job is not within the range "
            "specified for the target Backup Vault.",
            "Vault Lock",
        ),
        (
            "Copy job from eu-north-1 to eu-central-1 cannot be initiated for Aurora resources. "
            "Feature is not supported for provided resource type.",
            "two steps",
        ),
        ("Source AMI not found in Region", "Allowed AMIs"),
    ],
)
def test_job_messages_that_are_not_permission_problems_say_so(text: str, words: str) -> None:
    # The world checks these gates now (lock_gate, feature_gate, job_gates); what the paste
    # leaves open stays unknown, and no check blames a policy.
    world = load_world(Path(__file__).parents[2] / "examples" / "worlds" / "cross-account-copy")
    explanation = explain_error(world, text)
    assert explanation.verdict is Verdict.UNKNOWN
    assert all(check.kind is CheckKind.SETTING for check in explanation.checks)
    assert any("not a permission problem" in n and words in n for n in explanation.notes)
