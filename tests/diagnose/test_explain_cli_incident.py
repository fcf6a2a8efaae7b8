"""explain --error / --cloudtrail wiring (the parsers are typed now: real messages, no stubs)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from backup_access.cli import main
from tests.diagnose.fixtures.worlds import OPERATOR, ORG, SOURCE_VAULT

DENIED = (
    f"User: {OPERATOR} is not authorized to perform: backup:DeleteBackupVault on resource: "
    f"{SOURCE_VAULT} with an explicit deny in a service control policy"
)


def run(*args: str, stdin: str | None = None) -> Any:
    return CliRunner().invoke(main, ["explain", "--world", str(ORG), *args], input=stdin)


def test_error_message_is_checked_against_the_world() -> None:
    result = run("--error", DENIED, "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["operation"] == "error-message"
    # the fixture world has no such SCP: AWS's denial and the world's allow disagree, so the
    # answer is unknown (never "allowed" about a denial) and --expect allowed is not met
    assert data["verdict"] == "unknown"
    assert data["checks"][0]["id"] == "message.request"
    assert data["checks"][0]["decision"] == "allowed"
    assert data["disagreements"][0].startswith("AWS denied this but the world allows it: ")
    assert run("--error", DENIED, "--expect", "allowed").exit_code == 1
    assert run("--error", DENIED, "--expect", "denied").exit_code == 1


def test_error_dash_reads_a_quoted_multi_line_paste_from_stdin() -> None:
    paste = '"' + DENIED.replace(" on resource: ", " on resource:\n    ") + '"\n'
    result = run("--error", "-", "--format", "json", stdin=paste)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["parameters"]["action"] == "backup:DeleteBackupVault"
    assert data["parameters"]["resource"] == SOURCE_VAULT


def test_cloudtrail_file_gives_one_explanation_per_record(tmp_path: Path) -> None:
    record = {
        "eventTime": "2026-01-01T00:00:00Z",
        "eventSource": "backup.amazonaws.com",
        "eventName": "DeleteBackupVault",
        "awsRegion": "us-east-1",
        "recipientAccountId": "222222222222",
        "errorCode": "AccessDenied",
        "errorMessage": DENIED,
        "userIdentity": {"type": "AssumedRole", "arn": OPERATOR},
        "requestParameters": {"backupVaultName": "source"},
    }
    trail = tmp_path / "trail.json"
    trail.write_text(json.dumps({"Records": [record, record]}))
    result = run("--cloudtrail", str(trail), "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [d["operation"] for d in data] == ["cloudtrail", "cloudtrail"]


def test_cloudtrail_bad_records_are_reported_with_file_and_pointer(tmp_path: Path) -> None:
    trail = tmp_path / "bad.json"
    good = {
        "eventSource": "backup.amazonaws.com",
        "eventName": "DeleteBackupVault",
        "errorCode": "AccessDenied",
        "errorMessage": DENIED,
        "userIdentity": {"type": "AssumedRole", "arn": OPERATOR},
    }
    trail.write_text(json.dumps({"Records": [good, 42, good]}))
    result = run("--cloudtrail", str(trail), "--format", "json")
    assert result.exit_code == 3
    assert len(json.loads(result.stdout)) == 2  # the good records are still explained
    assert f"{trail} at /Records/1: a CloudTrail record must be an object" in result.stderr
    assert "<input>" not in result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ("--error", "x", "--cloudtrail", "f.json"),
        ("--error", "x", "delete-vault", "--caller", OPERATOR, "--vault", SOURCE_VAULT),
    ],
)
def test_error_and_cloudtrail_usage(args: tuple[str, ...]) -> None:
    assert run(*args).exit_code == 2


def test_missing_cloudtrail_file_is_bad_input(tmp_path: Path) -> None:
    assert run("--cloudtrail", str(tmp_path / "absent.json")).exit_code == 3


def test_a_record_whose_principal_the_engine_refuses_is_reported_not_fatal(tmp_path: Path) -> None:
    # Found by the hostile fuzz (tests/test_hostile_fuzz.py): it used to stop the file with
    # "<input>: ' ' is not a principal".
    def record(arn: str) -> dict[str, Any]:
        return {
            "eventSource": "backup.amazonaws.com",
            "eventName": "StartBackupJob",
            "errorCode": "AccessDenied",
            "userIdentity": {"type": "IAMUser", "arn": arn},
        }

    trail = tmp_path / "principals.json"
    trail.write_text(json.dumps({"Records": [record(OPERATOR), record(" ")]}))
    result = run("--cloudtrail", str(trail), "--format", "json")
    assert result.exit_code == 3
    assert len(json.loads(result.stdout)) == 1
    assert f"{trail} at /Records/1: ' ' is not a principal" in result.stderr
