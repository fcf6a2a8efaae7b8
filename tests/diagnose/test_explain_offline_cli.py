"""`explain --error` without a world: the offline answer on the command line (text and JSON),
standard input, and the encoded-message round trip (decode command, then the decoded JSON)."""

from __future__ import annotations

import json
from typing import Any

from click.testing import CliRunner

from backup_access.cli import main
from tests.diagnose.test_message_corpus import BY_ID


def offline(*args: str, stdin: str | None = None) -> Any:
    return CliRunner().invoke(main, ["explain", *args], input=stdin)


def test_empty_403_from_terraform_answers_with_mount_capsule_first_and_its_command() -> None:
    result = offline("--error", BY_ID["empty-403-terraform-go-v2-box"]["text"])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.startswith("? UNKNOWN (no world given) (CreateBackupVault)")
    first = out.index("  1. ")
    assert "backup-storage:MountCapsule" in out[first : out.index("  2. ")]
    assert "$ aws iam simulate-principal-policy" in out
    assert "tool resource module.backup.aws_backup_vault.this[0]" in out


def test_json_offline_answer_shape() -> None:
    result = offline("--error", BY_ID["scp-explicit-with-policy-arn"]["text"], "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["mode"] == "offline" and data["verdict"] == "unknown"
    assert data["blame"] == {
        "says": data["blame"]["says"],
        "explicit": True,
        "policy_type": "service control",
        "layer": "scp",
        "policy_arn": (
            "arn:aws:organizations::111111111111:policy/o-a1b2c3d4e5/service_control_policy/"
            "p-examplepolicyid111"
        ),
    }
    first = data["causes"][0]
    assert first["rank"] == 1 and first["layer"] == "scp"
    commands = [c["command"] for c in first["confirm"]]
    assert commands[0] == "aws organizations describe-policy --policy-id p-examplepolicyid111"
    assert all(c["account"] for c in first["confirm"])
    assert data["parameters"]["explicit"] is True
    assert "resource" in data["parameters"]


def test_a_masked_paste_from_stdin_is_read_not_refused() -> None:
    paste = json.dumps(BY_ID["masked-angle-account"]["text"])  # quoted, as copied from a log
    result = offline("--error", "-", "--format", "json", stdin=paste)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["parameters"]["masked"] == ["principal account", "resource account"]
    assert data["causes"][0]["layer"] == "resource"
    confirm = data["causes"][0]["confirm"]
    assert any("unknown: '<account_id>' is masked" in c["account"] for c in confirm)


def test_encoded_message_gives_the_decode_command_and_the_decoded_json_is_understood() -> None:
    encoded = offline("--error", BY_ID["encoded-ec2"]["text"], "--format", "json")
    data = json.loads(encoded.stdout)
    command = data["causes"][0]["confirm"][0]["command"]
    assert command.startswith("aws sts decode-authorization-message --encoded-message B2UTpuAS30")
    decoded = offline("--error", BY_ID["decoded-cli-output"]["text"], "--format", "json")
    data = json.loads(decoded.stdout)
    assert data["family"] == "decoded_authorization"
    assert data["blame"]["explicit"] is True
    assert data["parameters"]["action"] == "backup:StartRestoreJob"


def test_a_non_permission_error_says_so_and_blames_no_policy() -> None:
    result = offline("--error", BY_ID["vault-not-empty-go-v2"]["text"])
    assert result.exit_code == 0
    assert "This is not a permission problem: no policy is to blame." in result.stdout
    assert "Layer AWS blamed: not a permission problem" in result.stdout


def test_expect_without_a_world_is_not_met() -> None:
    result = offline("--error", BY_ID["boundary-implicit"]["text"], "--expect", "denied")
    assert result.exit_code == 1
    assert "no world was given" in result.stderr


def test_unreadable_stdin_is_an_input_error_not_a_traceback() -> None:
    result = CliRunner().invoke(main, ["explain", "--error", "-"], input=b"\xff\xfe bad")
    assert result.exit_code == 3
    assert "not UTF-8" in result.stderr
