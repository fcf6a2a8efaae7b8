"""Review of issue 13, finding 14: advice printed only where it applies — the "role ARN built
from the session" aside only for a session's role, an IAM Identity Center role with its
aws-reserved path (said to be reported, not documented by AWS's IAM pages), user policies for
an IAM user, and "a Deny at any one level is enough" under an explicit SCP deny
(https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_evaluation.html).
"""

from __future__ import annotations

from backup_access.diagnose.messages import parse_error_message
from backup_access.diagnose.offline import answer_offline


def _commands(text: str) -> list[tuple[str, str]]:
    answer = answer_offline(parse_error_message(text))
    return [(c.command, c.shows) for cause in answer.causes for c in cause.confirm]


def _iam(principal: str, tail: str) -> str:
    return f"User: {principal} is not authorized to perform: backup:ListBackupVaults {tail}"


IMPLICIT = "because no identity-based policy allows the backup:ListBackupVaults action"


def test_an_iam_user_gets_no_session_aside_and_user_policies() -> None:
    commands = _commands(_iam("arn:aws:iam::111111111111:user/bob", IMPLICIT))
    assert not any("built from the session" in shows for _, shows in commands)
    assert any(c == "aws iam list-attached-user-policies --user-name bob" for c, _ in commands)


def test_a_role_arn_with_its_path_gets_no_session_aside() -> None:
    role = "arn:aws:iam::111111111111:role/service-role/BackupCopyRole"
    commands = _commands(_iam(role, IMPLICIT))
    assert not any("built from the session" in shows for _, shows in commands)


def test_a_session_role_keeps_the_aside() -> None:
    session = "arn:aws:sts::111111111111:assumed-role/Ops/jane"
    commands = _commands(_iam(session, IMPLICIT))
    assert any("built from the session" in shows for _, shows in commands)


def test_an_identity_center_role_gets_its_aws_reserved_path_and_the_unclear_region() -> None:
    session = "arn:aws:sts::111111111111:assumed-role/AWSReservedSSO_Backup_0123/jane"
    commands = _commands(_iam(session, IMPLICIT))
    simulate = next((c, s) for c, s in commands if c.startswith("aws iam simulate"))
    assert "role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Backup_0123 " in simulate[0]
    assert "do not document" in simulate[1]


def test_an_explicit_scp_deny_says_one_level_is_enough() -> None:
    session = "arn:aws:sts::111111111111:assumed-role/Ops/jane"
    text = _iam(session, "with an explicit deny in a service control policy")
    listing = next(s for c, s in _commands(text) if "list-policies-for-target" in c)
    assert "a Deny at any one level is enough" in listing
    assert "every level must allow" not in listing
