"""A condition the fix writes is the one the failing check's own request meets.

``iam:PassRole`` is narrowed with ``iam:PassedToService`` naming the service the role is passed
to (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html#ck_PassedToService):
AWS Backup for a backup's or restore's service role, but Amazon EC2 for the instance profile
role an EC2 restore attaches — the restore role passes that role to EC2
(https://docs.aws.amazon.com/aws-backup/latest/devguide/restoring-ec2.html,
https://repost.aws/knowledge-center/aws-backup-encoded-authorization-failure). A constant
``backup.amazonaws.com`` made ``fix`` fail on its own statement for the EC2 restore of
``examples/worlds/backup-by-resource-type``; and the reason then quoted that statement as if it
were in the user's world. Both are pinned here, with a sweep over every ``explain`` command of
the example READMEs (their ``explain`` commands run as ``fix``, and their ``fix`` commands).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from backup_access.catalogue import CheckKind, load_catalogue, operation_names
from backup_access.cli import main
from backup_access.diagnose.model import CheckDecision, CheckResult
from backup_access.fix import statements
from backup_access.fix.statements import REQUEST_CONDITIONS, identity_allow, request_condition
from tests.test_readme import Command, steps
from tests.test_scenarios import ROOT

WORLD = str(ROOT / "examples" / "worlds" / "backup-by-resource-type")
ACCOUNT = "arn:aws:iam::111111111111"
EC2_RESTORE = [
    "restore",
    "--caller",
    f"{ACCOUNT}:role/BackupOperator",
    "--role",
    f"{ACCOUNT}:role/service-role/NarrowRestoreRole",
    "--vault",
    "arn:aws:backup:us-east-1:111111111111:backup-vault:main",
    "--recovery-point",
    "arn:aws:ec2:us-east-1::image/ami-0a1b2c3d4e5f60001",
    "--instance-role",
    f"{ACCOUNT}:role/AppInstanceRole",
]
# A reason quoting a statement the tool wrote itself, failing on its condition (as named now,
# or by the raw name of the tool's inline policy, as reasons once named it).
_OWN_CONDITION = re.compile(
    r"(the tool's proposed [^;]*\(not in your world\)|a statement the tool proposed "
    r"\(not in your world\)|inline BackupAccessFix)[^;]*: Condition fails"
)


def _invoke(args: list[str]) -> dict[str, Any]:
    result = CliRunner().invoke(main, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    parsed: dict[str, Any] = json.loads(result.stdout)
    return parsed


def own_condition_failures(fixed: dict[str, Any]) -> list[str]:
    """The reasons of a ``fix --format json`` answer blaming a condition the tool wrote."""
    plan = fixed["fix_plan"]
    reasons = [u["why"] for u in plan["unfixed"]] + [s["reason"] for s in plan["still_blocking"]]
    return [r for r in reasons if _OWN_CONDITION.search(r)]


def test_ec2_restore_passes_the_instance_role_to_ec2_and_verifies(tmp_path: Path) -> None:
    patched = tmp_path / "patched.json"
    args = ["fix", "--world", WORLD, "--format", "json", "--patched-world", str(patched)]
    fixed = _invoke([*args, *EC2_RESTORE])
    assert fixed["fix_plan"]["verdict_after"] == "allowed", fixed["fix_plan"]
    assert fixed["fix_plan"]["unfixed"] == []
    [fix] = fixed["fixes"]
    assert fix["verified"] and fix["checks"] == ["restore.pass-instance-role"]
    [statement] = fix["document"]["Statement"]
    assert statement["Action"] == "iam:PassRole"
    assert statement["Resource"] == f"{ACCOUNT}:role/AppInstanceRole"
    assert statement["Condition"] == {"StringEquals": {"iam:PassedToService": "ec2.amazonaws.com"}}
    after = _invoke(["explain", "--world", str(patched), "--format", "json", *EC2_RESTORE])
    assert after["verdict"] == "allowed"


def test_a_role_passed_to_aws_backup_still_names_aws_backup() -> None:
    """A backup's service role is passed to AWS Backup: the caller's PassRole names backup."""
    world = str(ROOT / "examples" / "worlds" / "backup-passrole")
    fixed = _invoke(
        [
            "fix",
            "--world",
            world,
            "--format",
            "json",
            "backup",
            "--caller",
            f"{ACCOUNT}:role/BackupScheduler",
            "--role",
            f"{ACCOUNT}:role/service-role/AWSBackupDefaultServiceRole",
            "--vault",
            "arn:aws:backup:us-east-1:111111111111:backup-vault:workloads",
            "--resource",
            "arn:aws:ec2:us-east-1:111111111111:volume/vol-0123456789abcdef0",
        ]
    )
    assert fixed["fix_plan"]["verdict_after"] == "allowed"
    [fix] = [f for f in fixed["fixes"] if f["generator"] == "FX-IDENTITY"]
    [statement] = fix["document"]["Statement"]
    assert statement["Condition"] == {
        "StringEquals": {"iam:PassedToService": "backup.amazonaws.com"}
    }


def _check(action: str, **context: str) -> CheckResult:
    return CheckResult(
        id="t.check",
        kind=CheckKind.PERMISSION,
        title="t",
        source="https://docs.aws.amazon.com/",
        decision=CheckDecision.IMPLICIT_DENY,
        reason="r",
        principal=f"{ACCOUNT}:role/R",
        action=action,
        resource=f"{ACCOUNT}:role/P",
        context=tuple((k, (v,)) for k, v in context.items()),
    )


def test_the_condition_copies_the_requests_value_and_only_for_its_action() -> None:
    lambda_ = _check("iam:PassRole", **{"iam:PassedToService": "lambda.amazonaws.com"})
    assert request_condition(lambda_) == {
        "StringEquals": {"iam:PassedToService": "lambda.amazonaws.com"}
    }
    grant = _check("kms:CreateGrant", **{"kms:GrantIsForAWSResource": "true"})
    assert identity_allow(grant)["Condition"] == {"Bool": {"kms:GrantIsForAWSResource": "true"}}
    # a key of another action is not copied; a request without the key gets no condition
    other = _check("backup:StartBackupJob", **{"iam:PassedToService": "ec2.amazonaws.com"})
    assert request_condition(other) is None
    assert "Condition" not in identity_allow(_check("iam:PassRole"))
    assert statements.unconditioned(_check("iam:PassRole"))
    assert not statements.unconditioned(lambda_)


def test_every_catalogue_check_of_such_an_action_carries_the_key() -> None:
    """A check whose request lacked the key would get an unnarrowed Allow: the catalogue gives
    it (``context``), or the world derives it (``kms:GrantIsForAWSResource`` for a grant an
    AWS service asks for: ``via_service``)."""
    catalogue = load_catalogue()
    seen = []
    for name in operation_names():
        for check in catalogue.operation(name).checks:
            for condition in REQUEST_CONDITIONS:
                if (check.action or "").lower() != condition.action.lower():
                    continue
                keys = {k.lower() for k, _ in check.context}
                derived = condition.key == "kms:GrantIsForAWSResource" and check.via_service
                assert condition.key.lower() in keys or derived, check.id
                seen.append(check.id)
    assert "restore.pass-instance-role" in seen and len(seen) >= 10


def test_a_message_request_without_the_key_gets_no_condition_and_says_so() -> None:
    world = str(ROOT / "examples" / "worlds" / "backup-passrole")
    message = (
        "User: arn:aws:sts::111111111111:assumed-role/BackupAdmin/alice is not authorized to "
        f"perform: iam:PassRole on resource: {ACCOUNT}:role/backup-service-role"
    )
    fixed = _invoke(["fix", "--world", world, "--format", "json", "--error", message])
    [fix] = [f for f in fixed["fixes"] if f["generator"] == "FX-IDENTITY"]
    [statement] = fix["document"]["Statement"]
    assert "Condition" not in statement
    assert any("no iam:PassedToService condition" in n for n in fix["notes"])


def test_nearest_names_the_tools_own_proposal(monkeypatch: pytest.MonkeyPatch) -> None:
    """When a proposal of the tool fails, the reason says it is the tool's proposal, not a
    policy of the user's world (the old constant condition brings the failure back)."""
    monkeypatch.setattr(
        statements,
        "request_condition",
        lambda check: {"StringEquals": {"iam:PassedToService": "backup.amazonaws.com"}},
    )
    fixed = _invoke(["fix", "--world", WORLD, "--format", "json", *EC2_RESTORE])
    [unfixed] = fixed["fix_plan"]["unfixed"]
    why = unfixed["why"]
    assert (
        "nearest: the tool's proposed inline policy BackupAccessFix of role NarrowRestoreRole "
        "(not in your world), statement 0 (AllowPassRole): Condition fails" in why
    ), why
    assert "nearest: role/NarrowRestoreRole inline BackupAccessFix" not in why
    assert own_condition_failures(fixed)  # the sweep below would catch it


def _readme_commands() -> list[tuple[str, list[str]]]:
    out = []
    for document in sorted((ROOT / "examples").glob("**/README.md")):
        for step in steps(document):
            if not isinstance(step, Command) or step.args[:1] not in (["explain"], ["fix"]):
                continue
            if "--world" not in step.args or ">" in step.args or "--live" in step.args:
                continue
            args, skip = [], False
            for arg in step.args[1:]:
                if skip:
                    skip = False
                elif arg in ("--expect", "--format"):
                    skip = True
                else:
                    args.append(arg)
            out.append((str(document.relative_to(ROOT)), ["fix", "--format", "json", *args]))
    return out


README_COMMANDS = _readme_commands()


def test_the_sweep_has_the_example_commands() -> None:
    assert len(README_COMMANDS) >= 25
    assert any("--instance-role" in args for _, args in README_COMMANDS)


@pytest.mark.parametrize(
    ("document", "args"),
    README_COMMANDS,
    ids=[f"{d}#{i}" for i, (d, _) in enumerate(README_COMMANDS)],
)
def test_no_readme_command_is_left_unfixed_by_a_condition_the_tool_wrote(
    document: str, args: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    fixed = _invoke(args)
    assert not own_condition_failures(fixed), (document, own_condition_failures(fixed))


def test_a_statement_the_tool_added_to_an_existing_document_is_named_as_such() -> None:
    from backup_access.diagnose.model import StatementRef
    from backup_access.fix import world_from_json
    from backup_access.fix.proposed import name_proposals

    mine = {"Sid": "Mine", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}
    added = {"Sid": "AllowPassRole", "Effect": "Allow", "Action": "iam:PassRole", "Resource": "*"}
    role = {"trust": {"Version": "2012-10-17", "Statement": []}, "inline": {}}

    def world(*statements: dict[str, Any]) -> dict[str, Any]:
        inline = {"Version": "2012-10-17", "Statement": list(statements)}
        held = {**role, "inline": {"Ops": inline}}
        return {"accounts": {"111111111111": {"iam": {"roles": {"R": held}}}}}

    original, patched = world(mine), world(mine, added)
    pointer = "/accounts/111111111111/iam/roles/R/inline/Ops/Statement/"
    refs = tuple(
        StatementRef(
            "identity", None, "role/R inline Ops", i, sid, "Allow", f"{pointer}{i}", None, "r", {}
        )
        for i, sid in ((0, "Mine"), (1, "AllowPassRole"))
    )
    check = _check("iam:PassRole")
    check = CheckResult(
        **{f: getattr(check, f) for f in ("id", "kind", "title", "source", "decision")},
        reason=(
            "nearest: role/R inline Ops, statement 0 (Mine): Action does not match; "
            "role/R inline Ops, statement 1 (AllowPassRole): Condition fails"
        ),
        statements=refs,
    )
    named = name_proposals(check, original, patched, world_from_json(patched)).reason
    assert named == (
        "nearest: role/R inline Ops, statement 0 (Mine): Action does not match; "
        "role/R inline Ops, statement 1 (AllowPassRole), a statement the tool proposed "
        "(not in your world): Condition fails"
    )
