"""`explain --error` and `--cloudtrail` end to end, with the real parsers, in the fixture world
(docs/output.md)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from backup_access.cli import main
from tests.diagnose.fixtures.worlds import (
    COPY_ROLE,
    OPERATOR,
    PROD,
    SOURCE_VAULT,
    account,
    write_world,
)

FIXTURES = Path(__file__).parent / "fixtures"
ROOT = Path(__file__).parents[2]


def explain(*args: str) -> tuple[int, Any]:
    result = CliRunner().invoke(main, ["explain", *args, "--format", "json"])
    return result.exit_code, json.loads(result.stdout) if result.stdout.strip() else None


def deny_vault_delete(data: dict[str, Any]) -> None:
    for ou in data["organization"]["root"]["ous"]:
        if PROD in ou["accounts"]:
            ou["policies"].append("DenyVaultDelete")


def test_error_message_is_evaluated_and_points_at_the_scp(tmp_path: Path) -> None:
    world = write_world(tmp_path, deny_vault_delete)
    code, out = explain(
        "--world",
        str(world),
        "--error",
        f"User: {OPERATOR} is not authorized to perform: backup:DeleteBackupVault on resource: "
        f"{SOURCE_VAULT} with an explicit deny in a service control policy",
    )
    assert code == 0
    assert out["verdict"] == "denied"
    (check,) = out["checks"]
    assert check["decision"] == "explicit_deny"
    assert check["blocked_by"] == ["scp"]
    assert "NoVaultDelete" in check["reason"]
    assert out["disagreements"] == []


def test_world_that_disagrees_with_the_message_says_so(tmp_path: Path) -> None:
    code, out = explain(
        "--world",
        str(write_world(tmp_path)),
        "--error",
        f"User: {OPERATOR} is not authorized to perform: backup:DeleteBackupVault on resource: "
        f"{SOURCE_VAULT} with an explicit deny in a service control policy",
    )
    assert code == 0
    assert out["verdict"] == "unknown"  # AWS denied it; the world allows it
    assert out["disagreements"][0].startswith("AWS denied this but the world allows it: ")


def test_role_not_assumable_message_checks_the_trust_policy(tmp_path: Path) -> None:
    def untrust(data: dict[str, Any]) -> None:
        trust = account(data, PROD)["iam"]["roles"]["BackupCopyRole"]["trust"]
        trust["Statement"][0]["Principal"] = {"Service": "ec2.amazonaws.com"}

    code, out = explain(
        "--world",
        str(write_world(tmp_path, untrust)),
        "--error",
        f"The provided role {COPY_ROLE} cannot be assumed by AWS Backup.",
    )
    assert code == 0
    assert out["verdict"] == "denied"
    (check,) = out["checks"]
    assert check["action"] == "sts:AssumeRole"
    assert check["blocked_by"] == ["resource"]


def test_cloudtrail_file_explains_each_denied_record(tmp_path: Path) -> None:
    world = write_world(tmp_path, deny_vault_delete)
    result = CliRunner().invoke(
        main,
        [
            "explain",
            "--world",
            str(world),
            "--cloudtrail",
            str(FIXTURES / "cloudtrail.json"),
            "--format",
            "json",
        ],
    )
    assert result.exit_code == 0, result.stderr
    explanations = json.loads(result.stdout)
    assert isinstance(explanations, list)
    assert [e["checks"][0]["action"] for e in explanations] == [
        "backup:DeleteBackupVault",
        "sts:AssumeRole",
        "kms:CreateGrant",
    ]
    assert explanations[0]["verdict"] == "denied"
    assert explanations[0]["checks"][0]["blocked_by"] == ["scp"]


RESTORE_MESSAGE = (
    "User: arn:aws:sts::111111111111:assumed-role/BackupOperator/heidi is not authorized to "
    "perform: backup:StartRestoreJob on resource: arn:aws:backup:us-east-1:111111111111:"
    "recovery-point:ef633021-5e2a-4c1b-9d3e-7a8b9c0d1e2f because no identity-based policy "
    "allows the backup:StartRestoreJob action"
)  # examples/worlds/restore-and-delete lets BackupOperator restore: the world disagrees


def test_an_allowed_request_may_carry_a_session_policy_when_none_was_given() -> None:
    world = ROOT / "examples" / "worlds" / "restore-and-delete"
    code, out = explain("--world", str(world), "--error", RESTORE_MESSAGE)
    assert code == 0
    assert out["verdict"] == "unknown"
    (disagreement,) = out["disagreements"]
    assert disagreement.endswith(
        "the world may be incomplete or out of date, or the request carried context it cannot know "
        "(session policy, VPC endpoint, source IP, tags)"
    )


def test_session_policies_given_are_not_called_unknown_context() -> None:
    world = ROOT / "examples" / "worlds" / "restore-and-delete"
    policy = ROOT / "examples" / "session-policies" / "restore-operator.json"
    code, out = explain(
        "--world", str(world), "--session-policy", str(policy), "--error", RESTORE_MESSAGE
    )
    assert code == 0
    assert out["verdict"] == "unknown"
    (disagreement,) = out["disagreements"]
    assert "session policy," not in disagreement
    assert disagreement.endswith(
        "the world may be incomplete or out of date, or the request carried context it cannot know "
        "(VPC endpoint, source IP, tags); the session policies given with --session-policy "
        "were applied, so check they are the ones the session was created with"
    )
