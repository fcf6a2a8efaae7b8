"""``backup-access simulate --world``: modes, output shape, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from backup_access.cli import main

FIXTURES = Path(__file__).parent / "fixtures"
WORLD = str(FIXTURES / "world.yaml")
PROD, BACKUP = "222222222222", "333333333333"
SESSION = f"arn:aws:sts::{PROD}:assumed-role/BackupAdmin/job-1"
CENTRAL = f"arn:aws:backup:us-east-1:{BACKUP}:backup-vault:central"
MYSTERY = f"arn:aws:iam::{PROD}:role/ops/Mystery"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def world_args(principal: str, action: str, resource: str, world: str = WORLD) -> list[str]:
    return [
        "simulate",
        "--world",
        world,
        "--principal",
        principal,
        "--action",
        action,
        "--resource",
        resource,
    ]


def test_json_has_the_file_mode_shape_plus_notes_and_missing() -> None:
    code, out, _ = run(
        *world_args(SESSION, "backup:CopyIntoBackupVault", CENTRAL), "--format", "json"
    )
    assert code == 0
    result = json.loads(out)
    assert set(result) == {
        "decision",
        "blocked_by",
        "request",
        "unsupported",
        "trace",
        "notes",
        "missing",
        "assumptions",
        "schema_version",
    }
    assert result["decision"] == "allowed"
    assert result["missing"] == []
    assert result["request"]["context"]["aws:PrincipalOrgPaths"] == [
        "o-a1b2c3d4e5/r-a1b2/ou-a1b2-11111111/ou-a1b2-22222222/"
    ]
    assert any("RCPFullAWSAccess" in note for note in result["notes"])


def test_directory_world_and_explicit_deny() -> None:
    code, out, _ = run(
        *world_args(
            f"arn:aws:iam::{PROD}:user/alice",
            "backup:DeleteBackupVault",
            f"arn:aws:backup:us-east-1:{PROD}:backup-vault:source",
            str(FIXTURES / "split"),
        ),
        "--format",
        "json",
    )
    assert code == 0
    result = json.loads(out)
    assert result["decision"] == "explicit_deny"
    assert result["blocked_by"] == ["scp"]


def test_text_says_prominently_when_data_is_missing() -> None:
    code, out, _ = run(*world_args(MYSTERY, "backup:ListBackupVaults", "*"))
    assert code == 0
    assert "⚠ INCOMPLETE" in out.splitlines()[0]
    assert "Missing from the world" in out
    assert "SomethingNotShipped" in out


def test_context_options_repeat_into_lists_and_win() -> None:
    code, out, _ = run(
        *world_args(SESSION, "backup:CopyIntoBackupVault", CENTRAL),
        "--context",
        "aws:PrincipalOrgID=o-other",
        "--context",
        "aws:TagKeys=a",
        "--context",
        "aws:TagKeys=b",
        "--format",
        "json",
    )
    assert code == 0
    result = json.loads(out)
    assert result["request"]["context"]["aws:TagKeys"] == ["a", "b"]
    assert result["request"]["context"]["aws:PrincipalOrgID"] == "o-other"
    assert result["decision"] == "implicit_deny"
    assert result["blocked_by"] == ["resource"]


def test_via_service_option() -> None:
    code, out, _ = run(
        *world_args(
            f"arn:aws:iam::{PROD}:role/BackupAdmin",
            "kms:CreateGrant",
            f"arn:aws:kms:us-east-1:{PROD}:alias/backup",
        ),
        "--via-service",
        "backup.amazonaws.com",
        "--format",
        "json",
    )
    assert code == 0
    context = json.loads(out)["request"]["context"]
    assert context["kms:ViaService"] == "backup.us-east-1.amazonaws.com"
    assert context["aws:CalledVia"] == ["backup.amazonaws.com"]


def test_expect_unmet_exits_1() -> None:
    code, _, err = run(*world_args(MYSTERY, "backup:ListBackupVaults", "*"), "--expect", "allowed")
    assert code == 1
    assert "expected allowed" in err


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    request = tmp_path / "r.yaml"
    request.write_text("request: {principal: x, action: a:b, resource: '*'}\n")
    both = [*world_args(SESSION, "backup:ListBackupVaults", "*"), str(request)]
    assert run(*both)[0] == 2
    assert run("simulate")[0] == 2
    assert run("simulate", "--world", WORLD, "--principal", SESSION)[0] == 2
    assert run("simulate", str(request), "--principal", SESSION)[0] == 2
    code, _, err = run(*world_args(SESSION, "backup:ListBackupVaults", "*"), "--context", "novalue")
    assert code == 2 and "KEY=VALUE" in err


def test_bad_world_exits_3_with_file_and_pointer() -> None:
    code, _, err = run(
        *world_args(SESSION, "backup:ListBackupVaults", "*", str(FIXTURES / "bad-role-policy.yaml"))
    )
    assert code == 3
    assert "bad-role-policy.yaml at /accounts/222222222222/iam/roles/BackupAdmin/policies/1" in err


def test_bad_principal_is_a_usage_error() -> None:
    code, _, err = run(*world_args("nobody", "backup:ListBackupVaults", "*"))
    assert code == 2  # a usage mistake: a bare name where an ARN is needed
    assert "not the bare name 'nobody'" in err
