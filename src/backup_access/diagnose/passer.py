"""Who passed the role in a denied ``iam:PassRole``: the caller of the operation, or the job's
service role inside the job AWS Backup runs with it.

An AWS Backup operation can pass two roles: its caller passes the service role (StartCopyJob's
IamRoleArn, to AWS Backup), and that role, once AWS Backup assumes it, may pass another one in
the job (a restore passes an instance profile's role to EC2). Each has its own catalogue check
and its own ``iam:PassedToService``, so the message's principal decides which applies:
https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html#ck_PassedToService
"""

from __future__ import annotations

from enum import StrEnum
from typing import NamedTuple

# The denials AWS Backup's jobs report name sessions "AWSBackup-<role>" of the service role it
# assumed. AWS's pages do not document the name, and a caller may choose it too, so a caller
# the paste names apart (a CloudTrail record's userIdentity) is read first.
_JOB_SESSION_PREFIX = "awsbackup-"


class Passer(StrEnum):
    """Whose pass-role checks apply."""

    CALLER = "caller"
    JOB_ROLE = "job_role"
    EITHER = "either"  # the paste cannot tell: every pass-role check of the operation applies


class PasserReading(NamedTuple):
    """Who passed the role, and what in the paste says so."""

    passer: Passer
    why: str


def _session(principal: str) -> tuple[str, str, str] | None:
    """(account, role name, session name) of an assumed-role session ARN."""
    parts = principal.split(":", 5)
    if len(parts) < 6 or parts[2] != "sts" or not parts[5].startswith("assumed-role/"):
        return None
    pieces = parts[5].split("/")
    if len(pieces) < 3:
        return None
    return parts[4], pieces[1], "/".join(pieces[2:])


def _is_role(principal: str, role: str) -> bool:
    """``principal`` is ``role`` (an ARN or a name) or one of its sessions; a session ARN
    carries the role's name, not its path."""
    name = role.rsplit("/", 1)[-1].lower()
    account = role.split(":")[4] if role.startswith("arn:") and role.count(":") >= 5 else None
    session = _session(principal)
    if session is not None:
        return session[1].lower() == name and account in (None, session[0])
    return principal.lower() == role.lower()


def _never_a_job_role(principal: str) -> bool:
    """An IAM user, an account root or a federated user: AWS Backup only assumes roles."""
    parts = principal.split(":", 5)
    if len(parts) < 6:
        return False
    return (
        (parts[2] == "iam" and parts[5].startswith("user/"))
        or parts[5] in ("root",)
        or (parts[2] == "sts" and parts[5].startswith("federated-user/"))
    )


def who_passed(
    principal: str | None,
    *,
    caller: str | None = None,
    job_role: str | None = None,
    job_started: bool = False,
) -> PasserReading:
    """Who passed the role: ``principal`` is the one the message says was denied, ``caller``
    the operation's caller when the paste names it apart (a CloudTrail record's
    userIdentity), ``job_role`` the service role of the job (the job record's, the record's
    requestParameters), ``job_started`` whether the paste is a started job's failure."""
    if principal and caller and principal.lower() == caller.lower():
        return PasserReading(Passer.CALLER, "the principal is the record's caller (userIdentity)")
    if principal and job_role and _is_role(principal, job_role):
        return PasserReading(Passer.JOB_ROLE, f"the principal is the job's role {job_role}")
    session = _session(principal) if principal else None
    if session is not None and session[2].lower().startswith(_JOB_SESSION_PREFIX):
        return PasserReading(
            Passer.JOB_ROLE,
            f"the principal is session {session[2]} of role {session[1]}, a session AWS Backup "
            "opens for a job's service role",
        )
    other = principal is not None and (
        _never_a_job_role(principal) or (job_role is not None and not _is_role(principal, job_role))
    )
    if job_started:
        if other:
            return PasserReading(
                Passer.EITHER,
                f"the paste is a started job's failure, but the principal {principal} is not "
                "the job's role",
            )
        return PasserReading(
            Passer.JOB_ROLE, "the paste is a started job's failure: its caller's checks passed"
        )
    return PasserReading(
        Passer.CALLER,
        "the message answers the operation's call, and its principal is no job's role",
    )
