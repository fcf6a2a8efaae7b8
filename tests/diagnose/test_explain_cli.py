"""``backup-access explain``: JSON shape (Contract 3), text tree, exit codes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from backup_access.catalogue import operation_names
from backup_access.cli import main
from tests.diagnose.fixtures.worlds import COPY, ORG, vaults, write_world

CHECK_KEYS = {
    "id",
    "kind",
    "principal",
    "action",
    "resource",
    "decision",
    "blocked_by",
    "reason",
    "title",
    "source",
    "resource_policy",
    "statements",
    "missing",
    "notes",
}
STATEMENT_KEYS = {
    "layer",
    "level",
    "policy",
    "statement",
    "sid",
    "effect",
    "pointer",
    "source",
    "reason",
    "quoted",
}


def copy_args(world: Path, *extra: str) -> list[str]:
    args = ["explain", "--world", str(world), "copy"]
    for name, value in COPY.items():
        args += ["--" + name.replace("_", "-"), value]
    return args + list(extra)


def run(args: list[str]) -> Any:
    return CliRunner().invoke(main, args)


def wrong_org(data: dict[str, Any]) -> None:
    statement = vaults(data, "333333333333")["central"]["access_policy"]["Statement"][0]
    statement["Condition"]["StringEquals"]["aws:PrincipalOrgID"] = "o-other"


def test_json_output_has_the_contract_fields() -> None:
    result = run(copy_args(ORG, "--format", "json"))
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert list(data)[:4] == ["operation", "verdict", "checks", "fixes"]
    assert data["operation"] == "copy" and data["verdict"] == "allowed"
    assert data["fixes"] == []
    for check in data["checks"]:
        assert set(check) == CHECK_KEYS
        assert check["kind"] in ("permission", "setting")
        assert check["decision"] in (
            "allowed",
            "implicit_deny",
            "explicit_deny",
            "denied",
            "unknown",
        )
    assert set(data) >= {"parameters", "skipped", "notes", "missing", "disagreements"}


def test_json_of_a_denied_copy_quotes_the_statement(tmp_path: Path) -> None:
    world = write_world(tmp_path, wrong_org)
    result = run(copy_args(world, "--format", "json"))
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert data["verdict"] == "denied"
    (check,) = [c for c in data["checks"] if c["decision"] != "allowed"]
    assert check["id"] == "copy.copy-into-destination-vault"
    assert check["blocked_by"] == ["resource"]
    (statement,) = check["statements"]
    assert set(statement) == STATEMENT_KEYS
    assert statement["sid"] == "AllowOrgCopy" and statement["source"] == str(world)
    assert statement["quoted"]["Action"] == "backup:CopyIntoBackupVault"


def test_json_output_is_deterministic() -> None:
    first = run(copy_args(ORG, "--format", "json")).output
    assert first == run(copy_args(ORG, "--format", "json")).output


def test_text_output_is_a_tree_with_marks_and_the_quoted_statement(tmp_path: Path) -> None:
    world = write_world(tmp_path, wrong_org)
    result = run(copy_args(world))
    assert result.exit_code == 0
    assert "✘ DENIED" in result.output
    assert "✔ copy.start-copy-job" in result.output
    assert "✘ copy.copy-into-destination-vault" in result.output
    assert "blocked by: the destination vault's access policy" in result.output
    assert '"Sid": "AllowOrgCopy"' in result.output


def test_expect_met_and_not_met(tmp_path: Path) -> None:
    assert run(copy_args(ORG, "--expect", "allowed")).exit_code == 0
    assert run(copy_args(ORG, "--expect", "denied")).exit_code == 1
    world = write_world(tmp_path, wrong_org)
    assert run(copy_args(world, "--expect", "denied")).exit_code == 0


def test_options_before_the_operation_work_too() -> None:
    args = ["explain", "--world", str(ORG), "--format", "json", "--expect", "allowed", "copy"]
    for name, value in COPY.items():
        args += ["--" + name.replace("_", "-"), value]
    result = run(args)
    assert result.exit_code == 0
    assert json.loads(result.output)["verdict"] == "allowed"


def test_unknown_verdict_meets_no_expectation(tmp_path: Path) -> None:
    def unrecorded(data: dict[str, Any]) -> None:
        del data["organization"]["cross_account_backup"]

    world = write_world(tmp_path, unrecorded)
    result = run(copy_args(world, "--expect", "allowed", "--format", "json"))
    assert result.exit_code == 1
    assert json.loads(result.stdout)["verdict"] == "unknown"


@pytest.mark.parametrize(
    "args",
    [
        ["explain"],
        ["explain", "--world", str(ORG)],
        ["explain", "copy", "--caller", COPY["caller"]],
        ["explain", "--world", str(ORG), "nope"],
        ["explain", "--world", str(ORG), "--format", "xml", "copy"],
    ],
)
def test_usage_errors_exit_2(args: list[str]) -> None:
    assert run(args).exit_code == 2


def test_missing_world_option_exits_2() -> None:
    args = copy_args(ORG)
    args.remove("--world")
    args.remove(str(ORG))
    assert run(args).exit_code == 2


def test_bad_input_exits_3(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("accounts: {nope: 1}\n")
    assert run(copy_args(bad)).exit_code == 3
    # a bare name where an ARN is needed is a usage mistake (exit 2), with the world's ARN
    result = run(copy_args(ORG, "--destination-vault", "central"))
    assert result.exit_code == 2
    assert "not the bare name 'central'" in result.output
    assert "did you mean `arn:aws:backup:us-east-1:" in result.output


def test_help_lists_every_operation_and_its_options() -> None:
    result = run(["explain", "--help"])
    assert result.exit_code == 0
    for name in operation_names():
        assert name in result.output
    copy_help = run(["explain", "copy", "--help"]).output
    for option in ("--caller", "--role", "--recovery-point", "--source-vault"):
        assert option in copy_help
    assert "copy.copy-into-destination-vault" in copy_help
    create_help = run(["explain", "create-vault", "--help"]).output
    assert "--key" in create_help and "--vault" in create_help


_RESTORE_WORLD = Path(__file__).parents[2] / "examples" / "worlds" / "restore-and-delete"
_RESTORE_ARGS = [
    "restore",
    "--caller",
    "arn:aws:iam::111111111111:role/BackupOperator",
    "--role",
    "arn:aws:iam::111111111111:role/service-role/AWSBackupDefaultServiceRole",
    "--recovery-point",
    "arn:aws:backup:us-east-1:111111111111:recovery-point:ef633021-5e2a-4c1b-9d3e-7a8b9c0d1e2f",
    "--vault",
    "arn:aws:backup:us-east-1:111111111111:backup-vault:prod",
]


def test_session_policy_with_a_principal_is_invalid_input_exit_3(tmp_path: Path) -> None:
    bad = tmp_path / "session.json"
    bad.write_text(
        json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}
                ],
            }
        )
    )
    args = ["explain", "--world", str(_RESTORE_WORLD), "--session-policy", str(bad)]
    result = CliRunner().invoke(main, [*args, *_RESTORE_ARGS])
    assert result.exit_code == 3
    assert f"{bad} at /Statement/0/Principal" in result.output


def test_session_policy_applies_to_the_caller_only(tmp_path: Path) -> None:
    # A session policy that allows nothing the service role needs: only the caller's checks
    # see it (the trust check is made by backup.amazonaws.com, not the caller's session).
    narrow = tmp_path / "session.json"
    narrow.write_text(
        json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}],
            }
        )
    )
    args = ["explain", "--world", str(_RESTORE_WORLD), "--format", "json"]
    result = CliRunner().invoke(main, [*args, *_RESTORE_ARGS, "--session-policy", str(narrow)])
    assert result.exit_code == 0, result.output
    checks = {c["id"]: c for c in json.loads(result.stdout)["checks"]}
    assert "session" in checks["restore.start-restore-job"]["blocked_by"]
    assert checks["restore.role-trust"]["decision"] == "allowed"


def test_session_policy_with_cloudtrail_is_a_usage_error(tmp_path: Path) -> None:
    policy = Path(__file__).parents[2] / "examples" / "session-policies" / "read-only.json"
    trail = tmp_path / "trail.json"
    trail.write_text('{"Records": []}')
    args = ["explain", "--world", str(_RESTORE_WORLD), "--session-policy", str(policy)]
    result = CliRunner().invoke(main, [*args, "--cloudtrail", str(trail)])
    assert result.exit_code == 2
    assert "--session-policy applies to one caller's session" in result.output
