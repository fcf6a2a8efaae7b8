"""`explain --world W --error` on an iam:PassRole message: the keys AWS sets on the request.

A new user found `✘ DENIED … Condition fails: StringEquals iam:PassedToService expects
['backup.amazonaws.com'], request has absent` for a StartCopyJob error the world allows
(`explain copy` passes `copy.pass-role` on the same world). AWS puts the service the role is
passed to in iam:PassedToService, and the resource it goes with in iam:AssociatedResourceArn
on services that set it:
https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html#ck_PassedToService
The value comes from the catalogue's pass-role check of the operation the paste names; when
no operation is named the value is unknown, and so is an answer that turns on it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from backup_access.cli import main
from backup_access.diagnose.incident import MESSAGE_CHECK, explain_error
from backup_access.diagnose.model import CheckDecision, CheckResult, Explanation, Verdict
from backup_access.diagnose.passrole import (
    ASSOCIATED_RESOURCE_ARN,
    PASSED_TO_SERVICE,
    pass_role_context,
)
from backup_access.world import World, load_world

PAGE = (
    "https://docs.aws.amazon.com/IAM/latest/UserGuide/"
    "reference_policies_iam-condition-keys.html#ck_PassedToService"
)
ROOT = Path(__file__).resolve().parents[2]
COPY_WORLD = ROOT / "examples" / "worlds" / "cross-account-copy"
BACKUP_WORLD = ROOT / "examples" / "worlds" / "backup-passrole"
NARROW = "arn:aws:iam::111111111111:role/service-role/NarrowCopyRole"
DEFAULT_ROLE = "arn:aws:iam::111111111111:role/service-role/AWSBackupDefaultServiceRole"


def _pass_role(who: str, role: str, operation: str | None = None) -> str:
    message = (
        f"User: arn:aws:sts::111111111111:assumed-role/{who} is not authorized to perform: "
        f"iam:PassRole on resource: {role} because no identity-based policy allows the "
        "iam:PassRole action"
    )
    if operation is None:
        return message
    return (
        f"An error occurred (AccessDeniedException) when calling the {operation} operation: "
        + message
    )


def _json(world: Path, text: str) -> dict[str, Any]:
    result = CliRunner().invoke(
        main, ["explain", "--world", str(world), "--format", "json", "--error", text]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert isinstance(data, dict)
    return data


# --- the catalogue's value for the operation the paste names ------------------------------


@pytest.mark.parametrize(
    ("api", "job_started", "service"),
    [
        ("StartCopyJob", False, "backup.amazonaws.com"),
        ("StartBackupJob", False, "backup.amazonaws.com"),
        ("startrestorejob", False, "backup.amazonaws.com"),  # API names read case-blind
        ("CreateBackupPlan", False, "backup.amazonaws.com"),
        # a restore job that failed: the restore role passed the instance role to EC2 inside it
        ("StartRestoreJob", True, "ec2.amazonaws.com"),
    ],
)
def test_the_service_is_the_catalogues_for_the_named_operation(
    api: str, job_started: bool, service: str
) -> None:
    keys = pass_role_context("iam:PassRole", api, job_started=job_started)
    assert keys is not None
    assert dict(keys.context) == {PASSED_TO_SERVICE: (service,)}
    assert keys.unknown == ()  # the catalogue sets no iam:AssociatedResourceArn: absent
    assert keys.note is not None and PAGE in keys.note


@pytest.mark.parametrize("api", [None, "RunInstances", "CreateFunction"])
def test_without_an_operation_the_catalogue_describes_both_keys_are_unknown(
    api: str | None,
) -> None:
    keys = pass_role_context("iam:PassRole", api)
    assert keys is not None and keys.context == ()
    assert {u.key for u in keys.unknown} == {PASSED_TO_SERVICE, ASSOCIATED_RESOURCE_ARN}
    assert keys.hint is not None and PAGE in keys.hint


def test_a_job_that_passes_no_role_of_its_own_leaves_the_keys_unknown() -> None:
    """A copy job's status naming iam:PassRole: StartCopyJob's caller passed its role (the
    job started), and the catalogue knows of no role the copy job passes itself."""
    keys = pass_role_context("iam:PassRole", "StartCopyJob", job_started=True)
    assert keys is not None and keys.context == ()
    assert "no role passed by the job of StartCopyJob" in keys.unknown[0].why


def test_other_actions_carry_no_pass_role_keys() -> None:
    assert pass_role_context("backup:StartCopyJob", "StartCopyJob") is None


# --- the reported cases ------------------------------------------------------------------


def test_start_copy_job_passing_a_role_the_world_lets_it_pass_is_not_a_confident_deny() -> None:
    data = _json(COPY_WORLD, _pass_role("BackupOperator/jane", NARROW, "StartCopyJob"))
    assert data["verdict"] == "unknown"
    assert data["checks"][0]["decision"] == "allowed"
    assert data["disagreements"][0].startswith("AWS denied this but the world allows it")
    assert any("iam:PassedToService = backup.amazonaws.com" in n for n in data["notes"])


def test_start_copy_job_agrees_with_explain_copy_on_the_same_world() -> None:
    copy = CliRunner().invoke(
        main,
        [
            "explain",
            "--world",
            str(COPY_WORLD),
            "--format",
            "json",
            "copy",
            "--caller",
            "arn:aws:iam::111111111111:role/BackupOperator",
            "--role",
            NARROW,
            "--recovery-point",
            "arn:aws:ec2:us-east-1::snapshot/snap-0a1b2c3d4e5f60001",
            "--source-vault",
            "arn:aws:backup:us-east-1:111111111111:backup-vault:prod",
            "--destination-vault",
            "arn:aws:backup:us-east-1:222222222222:backup-vault:by-org",
        ],
    )
    checks = {c["id"]: c for c in json.loads(copy.output)["checks"]}
    error = _json(COPY_WORLD, _pass_role("BackupOperator/jane", NARROW, "StartCopyJob"))
    assert checks["copy.pass-role"]["decision"] == error["checks"][0]["decision"] == "allowed"


def test_start_backup_job_with_the_default_service_role_is_allowed_by_the_world() -> None:
    """The backup-passrole world's README: BackupAdmin (AWSBackupFullAccess) may back up
    with service-role/AWSBackupDefaultServiceRole."""
    data = _json(BACKUP_WORLD, _pass_role("BackupAdmin/s", DEFAULT_ROLE, "StartBackupJob"))
    assert data["verdict"] == "unknown"
    assert data["checks"][0]["decision"] == "allowed"
    assert data["disagreements"][0].startswith("AWS denied this but the world allows it")


def test_a_role_passed_to_the_wrong_service_is_still_denied_with_the_real_value() -> None:
    """BackupScheduler may pass roles only to EC2: StartBackupJob passes to AWS Backup."""
    data = _json(BACKUP_WORLD, _pass_role("BackupScheduler/s", DEFAULT_ROLE, "StartBackupJob"))
    check = data["checks"][0]
    assert data["verdict"] == "denied" and check["decision"] == "implicit_deny"
    assert "request has ['backup.amazonaws.com']" in check["reason"]


def test_without_the_operation_the_answer_says_the_key_is_not_known() -> None:
    data = _json(COPY_WORLD, _pass_role("BackupOperator/jane", NARROW))
    check = data["checks"][0]
    assert data["verdict"] == "unknown" and check["decision"] == "unknown"
    assert "iam:PassedToService" in check["reason"] and "absent" in check["reason"]
    assert any(m.startswith("the value of iam:PassedToService") for m in data["missing"])
    assert any(PAGE in n for n in data["notes"])


def test_a_paste_from_another_service_leaves_the_key_unknown() -> None:
    data = _json(COPY_WORLD, _pass_role("BackupOperator/jane", NARROW, "RunInstances"))
    assert data["checks"][0]["decision"] == "unknown"
    assert "RunInstances" in data["checks"][0]["reason"]


# --- statements that do or do not turn on the unknown key --------------------------------


def _world(tmp_path: Path, statements: list[dict[str, Any]]) -> World:
    account = {
        "iam": {
            "roles": {
                "Operator": {
                    "trust": {
                        "Version": "2012-10-17",
                        "Statement": [
                            {
                                "Effect": "Allow",
                                "Principal": {"AWS": "arn:aws:iam::111111111111:root"},
                                "Action": "sts:AssumeRole",
                            }
                        ],
                    },
                    "inline": {
                        "Pass": {"Version": "2012-10-17", "Statement": statements},
                    },
                },
            }
        }
    }
    path = tmp_path / "world.yaml"
    path.write_text(yaml.safe_dump({"accounts": {"111111111111": account}}))
    return load_world(path)


ROLE = "arn:aws:iam::111111111111:role/CopyRole"


def _request(result: Explanation) -> CheckResult:
    """The world's evaluation (AWS's own report may come first: message.aws-reported)."""
    return next(c for c in result.checks if c.id == MESSAGE_CHECK)


ALLOW_ALL = {"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*"}


def test_an_explicit_deny_that_ignores_the_key_stands_without_an_operation(
    tmp_path: Path,
) -> None:
    world = _world(tmp_path, [ALLOW_ALL, {"Effect": "Deny", "Action": "iam:*", "Resource": "*"}])
    result = explain_error(world, _pass_role("Operator/s", ROLE))
    assert _request(result).decision is CheckDecision.EXPLICIT_DENY
    assert result.verdict is Verdict.DENIED


def test_a_deny_that_turns_on_the_key_is_unknown_without_an_operation(tmp_path: Path) -> None:
    deny_others = {
        "Effect": "Deny",
        "Action": "iam:PassRole",
        "Resource": "*",
        "Condition": {"StringNotEquals": {"iam:PassedToService": "backup.amazonaws.com"}},
    }
    world = _world(tmp_path, [ALLOW_ALL, deny_others])
    unknown = explain_error(world, _pass_role("Operator/s", ROLE))
    assert _request(unknown).decision is CheckDecision.UNKNOWN
    named = explain_error(world, _pass_role("Operator/s", ROLE, "StartCopyJob"))
    assert _request(named).decision is CheckDecision.ALLOWED  # backup.amazonaws.com
    assert named.verdict is Verdict.UNKNOWN  # AWS denied it: the world disagrees


def test_statements_that_do_not_look_at_the_key_decide_alone(tmp_path: Path) -> None:
    world = _world(tmp_path, [{"Effect": "Allow", "Action": "backup:*", "Resource": "*"}])
    result = explain_error(world, _pass_role("Operator/s", ROLE))
    assert _request(result).decision is CheckDecision.IMPLICIT_DENY  # no statement on PassRole


def test_associated_resource_arn_is_unknown_without_an_operation(tmp_path: Path) -> None:
    by_resource = {
        "Effect": "Allow",
        "Action": "iam:PassRole",
        "Resource": "*",
        "Condition": {"ArnLike": {"iam:AssociatedResourceArn": "arn:aws:ec2:*:*:instance/*"}},
    }
    world = _world(tmp_path, [by_resource])
    result = explain_error(world, _pass_role("Operator/s", ROLE))
    assert _request(result).decision is CheckDecision.UNKNOWN
    assert ASSOCIATED_RESOURCE_ARN in _request(result).reason
    # StartCopyJob: the catalogue's copy.pass-role sets no iam:AssociatedResourceArn, and
    # `explain copy` evaluates it absent; the message does the same.
    named = explain_error(world, _pass_role("Operator/s", ROLE, "StartCopyJob"))
    assert _request(named).decision is CheckDecision.IMPLICIT_DENY


def test_a_failed_restore_job_passes_the_instance_role_to_ec2(tmp_path: Path) -> None:
    """A restore job's status: the restore role passed an instance profile's role to EC2
    (the catalogue's restore.pass-instance-role)."""
    to_ec2 = {
        "Effect": "Allow",
        "Action": "iam:PassRole",
        "Resource": "*",
        "Condition": {"StringEquals": {"iam:PassedToService": "ec2.amazonaws.com"}},
    }
    world = _world(tmp_path, [to_ec2])
    text = "Restore job failed: " + _pass_role("Operator/AWSBackup-session", ROLE)
    result = explain_error(world, text)
    assert _request(result).decision is CheckDecision.ALLOWED
    assert any("ec2.amazonaws.com" in n for n in result.notes)
