"""Review of issue 13, finding 7 (and #8's Terraform name): a world never gives less help than
no world — when nothing can be evaluated the offline causes and their commands stay, and
`explain OPERATION` is suggested only for an operation the catalogue has; Terraform's
``Backup Vault (NAME)`` names the vault, filling the commands and letting the world check
"cannot be deleted because it contains recovery points" (a vault must be empty to be deleted:
https://docs.aws.amazon.com/aws-backup/latest/devguide/API_DeleteBackupVault.html).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from backup_access.cli import main
from backup_access.diagnose.messages import parse_error_message
from backup_access.diagnose.offline import answer_offline

WORLDS = Path(__file__).parents[2] / "examples" / "worlds"
INSUFFICIENT = (
    "An error occurred (AccessDeniedException) when calling the DescribeBackupVault operation: "
    "Insufficient privileges to perform this action."
)
NOT_EMPTY = (
    "│ Error: deleting Backup Vault (cooling): operation error Backup: DeleteBackupVault, https "
    "response error StatusCode: 400, RequestID: 1, InvalidRequestException: Backup vault cannot "
    "be deleted because it contains recovery points.\n"
)


def explain(world: str, text: str) -> dict[str, Any]:
    result = CliRunner().invoke(
        main,
        ["explain", "--world", str(WORLDS / world), "--format", "json", "--error", "-"],
        input=text,
    )
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def test_nothing_evaluable_keeps_the_offline_causes_and_commands() -> None:
    data = explain("lag-vault", INSUFFICIENT)
    assert data["verdict"] == "unknown" and data["checks"] == []
    causes = [n for n in data["notes"] if n.startswith("likely cause ")]
    assert len(causes) == 3
    assert any("`aws backup describe-backup-vault" in n for n in causes)
    # the catalogue has no DescribeBackupVault operation: no `explain OPERATION` advice
    assert not any("run `explain OPERATION`" in n for n in data["notes"])
    assert any("no `explain` operation covers DescribeBackupVault" in n for n in data["notes"])


def test_an_operation_the_catalogue_has_is_suggested_by_name() -> None:
    text = (
        "An error occurred (AccessDeniedException) when calling the CreateBackupVault operation: "
    )
    data = explain("lag-vault", text)
    assert any("run `explain create-vault`" in n for n in data["notes"]), data["notes"]


def test_terraform_vault_name_fills_the_offline_commands() -> None:
    answer = answer_offline(parse_error_message(NOT_EMPTY))
    commands = [c.command for cause in answer.causes for c in cause.confirm]
    assert any("--backup-vault-name cooling" in c for c in commands), commands
    assert not any("VAULT_NAME" in c for c in commands)


def test_terraform_vault_name_lets_the_world_contradict_vault_not_empty() -> None:
    # examples/worlds/vault-lock holds vault cooling with no recovery points
    data = explain("vault-lock", NOT_EMPTY)
    assert [c["id"] for c in data["checks"]] == ["message.vault-empty"]
    assert data["checks"][0]["decision"] == "allowed"
    assert data["verdict"] == "unknown"
    assert data["disagreements"][0].startswith("AWS refused this but the world allows it")


def test_a_masked_job_role_is_said_to_be_named_not_missing() -> None:
    # review 13 #15: the role is named (masked), so "nothing names the copy role" was wrong
    job = {
        "CopyJob": {
            "SourceBackupVaultArn": "arn:aws:backup:us-east-1:111111111111:backup-vault:prod",
            "DestinationBackupVaultArn": "arn:aws:backup:us-east-1:222222222222:backup-vault:c",
            "IamRoleArn": "arn:aws:iam::XXXXXXXXXXXX:role/NoSuchRole",
            "StatusMessage": "Access Denied trying to call AWS Backup service",
        }
    }
    result = CliRunner().invoke(
        main,
        ["explain", "-q", "--world", str(WORLDS / "cross-account-copy"), "--error", "-"],
        input=json.dumps(job),
    )
    assert "the paste names the copy role (IamRoleArn)" in result.output
    assert "nothing in this message names the copy role" not in result.output
