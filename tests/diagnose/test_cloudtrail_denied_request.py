"""`explain --world W --cloudtrail FILE` evaluates the request the errorMessage says AWS denied.

A new user's StartCopyJob record, denied for `iam:PassRole on resource: …/OtherRole`, came out
as "AWS denied this but the world allows it … world out of date": the record's eventName
(backup:StartCopyJob on the recovery point) was evaluated instead. The errorMessage names
the request AWS refused (message forms:
https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html), and
eventName is the call it was refused in, which gives iam:PassedToService
(https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html#ck_PassedToService).
The fixture is shaped like a real record (record contents:
https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from backup_access.cli import main
from backup_access.diagnose.cloudtrail import read_cloudtrail
from backup_access.diagnose.incident import MESSAGE_CHECK, explain_cloudtrail, explain_error
from backup_access.diagnose.model import CheckDecision, CheckResult, Explanation, Verdict
from backup_access.world import load_world

ROOT = Path(__file__).resolve().parents[2]
WORLD = ROOT / "examples" / "worlds" / "cross-account-copy"
TRAIL_FILE = Path(__file__).parent / "fixtures" / "cloudtrail-passrole.json"
TRAIL = json.loads(TRAIL_FILE.read_text())
OTHER = "arn:aws:iam::111111111111:role/OtherRole"
NARROW = "arn:aws:iam::111111111111:role/service-role/NarrowCopyRole"
POINT = "arn:aws:ec2:us-east-1::snapshot/snap-0a1b2c3d4e5f60001"


def _request(result: Explanation) -> CheckResult:
    return next(c for c in result.checks if c.id == MESSAGE_CHECK)


def _explained() -> list[Explanation]:
    return [e for _, e in explain_cloudtrail(load_world(WORLD), TRAIL).explanations]


def test_the_records_name_the_request_their_error_message_names() -> None:
    events = read_cloudtrail(TRAIL).events
    assert [(e.action, e.resource) for e in events] == [
        ("iam:PassRole", OTHER),
        ("iam:PassRole", NARROW),
        # "Access Denied" names no request: the record's own call and resource stand
        ("backup:StartCopyJob", POINT),
    ]
    assert {e.message.operation for e in events} == {"StartCopyJob"}
    assert any("CloudTrail recorded StartCopyJob" in n for n in events[0].message.notes)


def test_a_pass_role_on_a_role_the_operator_may_not_pass_is_denied() -> None:
    denied = _explained()[0]
    check = _request(denied)
    assert denied.verdict is Verdict.DENIED
    assert check.decision is CheckDecision.IMPLICIT_DENY
    assert (check.action, check.resource) == ("iam:PassRole", OTHER)
    assert check.blocked_by == ("identity",)


def test_a_pass_role_the_world_allows_is_the_world_disagreeing() -> None:
    allowed = _explained()[1]
    assert allowed.verdict is Verdict.UNKNOWN
    assert _request(allowed).decision is CheckDecision.ALLOWED  # PassedToService from StartCopyJob
    assert allowed.disagreements[0].startswith("AWS denied this but the world allows it")


def test_a_record_without_a_named_request_keeps_its_event_action() -> None:
    plain = _request(_explained()[2])
    assert (plain.action, plain.resource) == ("backup:StartCopyJob", POINT)


def _as_sdk_error(record: dict[str, Any]) -> str:
    return (
        f"An error occurred (AccessDeniedException) when calling the {record['eventName']} "
        f"operation: {record['errorMessage']}"
    )


def test_cloudtrail_and_error_agree_on_the_same_message() -> None:
    world = load_world(WORLD)
    for record, explained in zip(TRAIL["Records"][:2], _explained(), strict=False):
        pasted = explain_error(world, _as_sdk_error(record))
        assert pasted.verdict is explained.verdict
        here, there = _request(pasted), _request(explained)
        assert (here.decision, here.action, here.resource, here.blocked_by) == (
            there.decision,
            there.action,
            there.resource,
            there.blocked_by,
        )


def test_the_cli_answers_each_record() -> None:
    result = CliRunner().invoke(
        main,
        ["explain", "--world", str(WORLD), "--format", "json", "--cloudtrail", str(TRAIL_FILE)],
    )
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    assert "iam:PassRole" in result.output and OTHER in result.output
