"""A denied request whose report names no resource is not evaluated as if "*" were it.

Review s22 F2: a StartCopyJob record whose errorMessage says only "not authorized to perform:
iam:PassRole because …" came out `✘ DENIED … (statement PassBackupRoles)`, with the trace
`Resource [.../service-role/*] does not include *`: a good statement blamed for a resource
nobody named. `--error` with the same text did the same.

- In a CloudTrail record the role is the operation's role parameter in requestParameters
  (IamRoleArn of https://docs.aws.amazon.com/aws-backup/latest/devguide/API_StartCopyJob.html,
  API_StartBackupJob.html, API_StartRestoreJob.html; BackupSelection.IamRoleArn of
  https://docs.aws.amazon.com/aws-backup/latest/devguide/API_CreateBackupSelection.html).
- Otherwise the answer is unknown and names the missing resource, unless an explicit Deny
  holds for every resource (Resource "*", no condition on the resource), which wins whatever
  the resource was (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html).
- An action the Service Authorization Reference lists with no resource type is requested on
  "*", so "*" is its resource
  (https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html).
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml

from backup_access.diagnose.incident import MESSAGE_CHECK, explain_cloudtrail, explain_error
from backup_access.diagnose.model import CheckDecision, CheckResult, Explanation, Verdict
from backup_access.diagnose.unnamed_resource import unnamed_resource
from backup_access.world import World, load_world

ROOT = Path(__file__).resolve().parents[2]
COPY_WORLD = load_world(ROOT / "examples" / "worlds" / "cross-account-copy")
ACCOUNT = "111111111111"
JANE = f"arn:aws:sts::{ACCOUNT}:assumed-role/BackupOperator/jane"
NARROW = f"arn:aws:iam::{ACCOUNT}:role/service-role/NarrowCopyRole"
OTHER = f"arn:aws:iam::{ACCOUNT}:role/OtherRole"
NO_RESOURCE = (
    f"User: {JANE} is not authorized to perform: iam:PassRole because no identity-based "
    "policy allows the iam:PassRole action"
)
RECORD: dict[str, Any] = {
    "eventVersion": "1.09",
    "userIdentity": {
        "type": "AssumedRole",
        "arn": JANE,
        "accountId": ACCOUNT,
        "sessionContext": {
            "sessionIssuer": {"type": "Role", "arn": f"arn:aws:iam::{ACCOUNT}:role/BackupOperator"}
        },
    },
    "eventTime": "2024-05-02T10:11:12Z",
    "eventSource": "backup.amazonaws.com",
    "eventName": "StartCopyJob",
    "awsRegion": "us-east-1",
    "errorCode": "AccessDenied",
    "errorMessage": NO_RESOURCE,
    "requestParameters": {
        "recoveryPointArn": "arn:aws:ec2:us-east-1::snapshot/snap-0a1b2c3d4e5f60001",
        "sourceBackupVaultName": "prod",
        "destinationBackupVaultArn": "arn:aws:backup:us-east-1:222222222222:backup-vault:by-ou",
        "iamRoleArn": NARROW,
    },
}


def _request(result: Explanation) -> CheckResult:
    return next(c for c in result.checks if c.id == MESSAGE_CHECK)


def _trail(**changes: Any) -> Explanation:
    record = copy.deepcopy(RECORD)
    record.update(changes)
    (explained,) = explain_cloudtrail(COPY_WORLD, {"Records": [record]}).explanations
    return explained[1]


def test_a_records_passrole_is_on_the_role_its_operation_passes() -> None:
    """The reviewer's ct-nores.json: the role is requestParameters.iamRoleArn, which the world
    lets jane pass, so AWS's denial is a disagreement, not a DENIED blaming PassBackupRoles."""
    result = _trail()
    request = _request(result)
    assert request.resource == NARROW
    assert result.verdict is Verdict.UNKNOWN and request.decision is CheckDecision.ALLOWED
    assert any("requestParameters iamRoleArn" in n for n in result.notes)


def test_the_role_parameter_decides_the_answer() -> None:
    """A role outside service-role/: the world denies it, for the role that was passed."""
    params = {**RECORD["requestParameters"], "iamRoleArn": OTHER}
    request = _request(_trail(requestParameters=params))
    assert request.resource == OTHER
    assert request.decision is CheckDecision.IMPLICIT_DENY


def test_create_backup_selection_passes_the_selections_role() -> None:
    params = {"backupPlanId": "plan-1", "backupSelection": {"iamRoleArn": OTHER}}
    result = _trail(eventName="CreateBackupSelection", requestParameters=params)
    assert _request(result).resource == OTHER


def test_a_record_without_the_role_is_unknown_and_names_what_is_missing() -> None:
    params = {k: v for k, v in RECORD["requestParameters"].items() if k != "iamRoleArn"}
    result = _trail(requestParameters=params)
    request = _request(result)
    assert request.decision is CheckDecision.UNKNOWN and result.verdict is Verdict.UNKNOWN
    assert any("does not name" in m and "role" in m for m in result.missing)


def test_an_error_message_without_a_resource_is_unknown() -> None:
    """`--error` with the same text: it was a definite deny on "*" before."""
    result = explain_error(COPY_WORLD, NO_RESOURCE)
    request = _request(result)
    assert request.decision is CheckDecision.UNKNOWN
    assert "names no resource" in request.reason
    assert any("does not name" in m for m in request.missing)


def _world(tmp_path: Path, deny: dict[str, Any]) -> World:
    allow = {"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*"}
    role = {
        "trust": {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
                    "Action": "sts:AssumeRole",
                }
            ],
        },
        "inline": {"P": {"Version": "2012-10-17", "Statement": [allow, deny]}},
    }
    path = tmp_path / "world.yaml"
    path.write_text(yaml.safe_dump({"accounts": {ACCOUNT: {"iam": {"roles": {"Ops": role}}}}}))
    return load_world(path)


OPS_NO_RESOURCE = NO_RESOURCE.replace(JANE, f"arn:aws:sts::{ACCOUNT}:assumed-role/Ops/s")


def test_a_deny_on_every_resource_still_decides(tmp_path: Path) -> None:
    deny = {"Sid": "NoPassing", "Effect": "Deny", "Action": "iam:PassRole", "Resource": "*"}
    request = _request(explain_error(_world(tmp_path, deny), OPS_NO_RESOURCE))
    assert request.decision is CheckDecision.EXPLICIT_DENY
    assert "denies the action on every resource" in request.reason


def test_a_deny_of_some_resources_does_not(tmp_path: Path) -> None:
    """A Deny on NotResource, or with a condition on the resource, matches "*" but might not
    match the role that was passed."""
    for deny in (
        {"Effect": "Deny", "Action": "iam:PassRole", "NotResource": OTHER},
        {
            "Effect": "Deny",
            "Action": "iam:PassRole",
            "Resource": "*",
            "Condition": {"StringNotEquals": {"iam:ResourceTag/team": "ops"}},
        },
    ):
        request = _request(explain_error(_world(tmp_path, deny), OPS_NO_RESOURCE))
        assert request.decision is CheckDecision.UNKNOWN, deny


def test_an_action_with_no_resource_type_is_requested_on_star() -> None:
    assert unnamed_resource("backup:ListBackupJobs") is None
    assert unnamed_resource("iam:PassRole") is not None
    assert unnamed_resource("example:NotAnAction") is not None
