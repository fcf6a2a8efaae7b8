"""An iam:PassRole denial is read with the pass-role check of whoever the message says was
denied, not by whether a job started.

Review s22 F3: a StartRestoreJob error whose principal is the restore role's
`AWSBackup-NarrowRestoreRole` session, passing the instance profile's role, came out
`✘ DENIED … expects ['ec2.amazonaws.com'], request has ['backup.amazonaws.com']`: the caller's
check (restore.pass-role) was used, and the statement `fix` had just written was blamed.
The restore role passes the instance role to EC2 (restore.pass-instance-role). AWS sets
iam:PassedToService to the service the role is passed to:
https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html#ck_PassedToService
When the paste cannot tell who passed the role, the key is unknown rather than guessed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from backup_access.diagnose.incident import MESSAGE_CHECK, explain_error
from backup_access.diagnose.model import CheckDecision, CheckResult, Explanation
from backup_access.diagnose.passer import Passer, who_passed
from backup_access.diagnose.passrole import PASSED_TO_SERVICE, pass_role_context
from backup_access.world import World, load_world

ACCOUNT = "111111111111"
RESTORE_ROLE = f"arn:aws:iam::{ACCOUNT}:role/NarrowRestoreRole"
INSTANCE_ROLE = f"arn:aws:iam::{ACCOUNT}:role/AppInstanceRole"
JOB_SESSION = f"arn:aws:sts::{ACCOUNT}:assumed-role/NarrowRestoreRole/AWSBackup-NarrowRestoreRole"
OPERATOR = f"arn:aws:sts::{ACCOUNT}:assumed-role/Operator/jane"
USER = f"arn:aws:iam::{ACCOUNT}:user/ops"
TO_EC2 = {  # the statement `fix restore --instance-role` writes (review H5)
    "Sid": "AllowPassRole",
    "Effect": "Allow",
    "Action": "iam:PassRole",
    "Resource": INSTANCE_ROLE,
    "Condition": {"StringEquals": {"iam:PassedToService": "ec2.amazonaws.com"}},
}


def _role(statements: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "trust": {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"Service": "backup.amazonaws.com"},
                    "Action": "sts:AssumeRole",
                }
            ],
        },
        "inline": {"Pass": {"Version": "2012-10-17", "Statement": statements}},
    }


def _world(tmp_path: Path) -> World:
    roles = {"NarrowRestoreRole": _role([TO_EC2]), "Operator": _role([TO_EC2])}
    path = tmp_path / "world.yaml"
    path.write_text(yaml.safe_dump({"accounts": {ACCOUNT: {"iam": {"roles": roles}}}}))
    return load_world(path)


def _sdk(principal: str) -> str:
    return (
        "An error occurred (AccessDeniedException) when calling the StartRestoreJob operation: "
        f"User: {principal} is not authorized to perform: iam:PassRole on resource: "
        f"{INSTANCE_ROLE} because no identity-based policy allows the iam:PassRole action"
    )


def _request(result: Explanation) -> CheckResult:
    return next(c for c in result.checks if c.id == MESSAGE_CHECK)


def test_the_restore_roles_session_passes_the_instance_role_to_ec2(tmp_path: Path) -> None:
    """The reviewer's case: the denied principal is the job's role, so its check applies."""
    result = explain_error(_world(tmp_path), _sdk(JOB_SESSION))
    request = _request(result)
    assert request.decision is CheckDecision.ALLOWED  # the fix's statement is not blamed
    assert dict(request.context)[PASSED_TO_SERVICE] == ("ec2.amazonaws.com",)
    assert any("restore.pass-instance-role" in n for n in result.notes)


def test_the_callers_session_passes_its_role_to_aws_backup(tmp_path: Path) -> None:
    """The same call with the caller denied: restore.pass-role, to backup.amazonaws.com, which
    the EC2-only statement does not allow."""
    request = _request(explain_error(_world(tmp_path), _sdk(OPERATOR)))
    assert dict(request.context)[PASSED_TO_SERVICE] == ("backup.amazonaws.com",)
    assert request.decision is CheckDecision.IMPLICIT_DENY


@pytest.mark.parametrize(
    ("principal", "kwargs", "passer"),
    [
        (JOB_SESSION, {}, Passer.JOB_ROLE),  # AWS Backup's session of the job's role
        (f"{RESTORE_ROLE}", {"job_role": RESTORE_ROLE}, Passer.JOB_ROLE),
        # a session of the role the job record names, whatever its session name
        (
            f"arn:aws:sts::{ACCOUNT}:assumed-role/NarrowRestoreRole/x",
            {"job_role": RESTORE_ROLE},
            Passer.JOB_ROLE,
        ),
        # the CloudTrail record's own caller, even under an AWSBackup- session name
        (JOB_SESSION, {"caller": JOB_SESSION}, Passer.CALLER),
        (OPERATOR, {}, Passer.CALLER),  # the call's own answer, no job's role
        (OPERATOR, {"job_started": True}, Passer.JOB_ROLE),
        # a started job's failure naming an IAM user: AWS Backup only assumes roles
        (USER, {"job_started": True}, Passer.EITHER),
        (OPERATOR, {"job_started": True, "job_role": RESTORE_ROLE}, Passer.EITHER),
    ],
)
def test_who_passed_reads_the_principal(
    principal: str, kwargs: dict[str, Any], passer: Passer
) -> None:
    assert who_passed(principal, **kwargs).passer is passer


def test_when_the_paste_cannot_tell_who_passed_the_key_is_unknown() -> None:
    """A restore job's failure that names a user: either check could apply, and they set
    different services, so iam:PassedToService is unknown and says both."""
    keys = pass_role_context("iam:PassRole", "StartRestoreJob", job_started=True, principal=USER)
    assert keys is not None and keys.context == ()
    (unknown,) = [u for u in keys.unknown if u.key == PASSED_TO_SERVICE]
    assert "backup.amazonaws.com or ec2.amazonaws.com" in unknown.why
    assert "not the job's role" in unknown.why
