"""One operator listing a condition key twice in different case (``aws:PrincipalOrgID`` and
``aws:principalorgid``): key names are not case-sensitive, so both name one key; IAM Access
Analyzer reports it as an error
(https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html#access-analyzer-reference-policy-checks-error-duplicate-keys-with-different-case)
and AWS does not document how IAM evaluates it. The engine calls the statement unsupported:
a Deny that cannot be evaluated denies implicitly, an Allow grants nothing. Before, both
entries were ANDed and a Deny stopped applying (review finding F4)."""

from __future__ import annotations

from typing import Any

from backup_access.engine import DecisionValue, evaluate
from backup_access.simulate.request_file import parse_policies, parse_request

VAULT = "arn:aws:backup:us-east-1:111111111111:backup-vault:v"
REQUEST = {
    "principal": "arn:aws:iam::222222222222:role/Copier",
    "action": "backup:CopyIntoBackupVault",
    "resource": VAULT,
    "context": {"aws:PrincipalOrgID": "o-bbbbbbbbbb"},
}
ALLOW_ALL = {"Effect": "Allow", "Principal": "*", "Action": "backup:*", "Resource": "*"}
CLASH = {"aws:PrincipalOrgID": "o-aaaaaaaaaa", "aws:principalorgid": "o-bbbbbbbbbb"}


def _decide(*statements: dict[str, Any]) -> Any:
    policies = parse_policies(
        {
            "identity": [
                {
                    "Version": "2012-10-17",
                    "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}],
                }
            ],
            "resource": {"Version": "2012-10-17", "Statement": list(statements)},
        }
    )
    return evaluate(parse_request(REQUEST)[0], policies)


def test_a_deny_with_a_case_clash_is_unsupported_and_denies_implicitly() -> None:
    deny = {
        "Effect": "Deny",
        "Principal": "*",
        "Action": "backup:CopyIntoBackupVault",
        "Resource": "*",
        "Condition": {"StringNotEquals": CLASH},
    }
    decision = _decide(ALLOW_ALL, deny)
    assert decision.value is DecisionValue.IMPLICIT_DENY  # was allowed: the Deny vanished
    [why] = decision.unsupported
    assert "'aws:PrincipalOrgID' again as 'aws:principalorgid'" in why
    assert "does not document how IAM evaluates it" in why


def test_an_allow_with_a_case_clash_grants_nothing() -> None:
    allow = {**ALLOW_ALL, "Condition": {"StringEquals": CLASH}}
    decision = _decide(allow)
    assert decision.value is DecisionValue.IMPLICIT_DENY
    assert decision.unsupported


def test_one_key_under_two_operators_is_no_clash() -> None:
    allow = {
        **ALLOW_ALL,
        "Condition": {
            "StringEquals": {"aws:PrincipalOrgID": "o-bbbbbbbbbb"},
            "StringLike": {"aws:principalorgid": "o-b*"},
        },
    }
    decision = _decide(allow)
    assert decision.value is DecisionValue.ALLOWED
    assert not decision.unsupported
