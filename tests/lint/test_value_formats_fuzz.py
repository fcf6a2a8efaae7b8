"""Hypothesis keeps fuzzing the value-format checks (BA015): they never raise, accept every
well-formed value, and reject what cannot be in a request. Pages: the IAM global condition
keys page (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html)
and the condition operators page for the Bool, Numeric, Date and IpAddress types."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from backup_access.errors import InputError
from backup_access.lint import lint_text
from backup_access.lint.value_formats import format_problem, known_regions, type_problem

FORMATS = ["account-id", "region", "service-principal", "vpc-id", "vpce-id", "principal-type"]
TYPES = ["ARN", "Bool", "Numeric", "Date", "IPAddress", "String"]
ACCOUNT_IDS = st.from_regex(r"\A[0-9]{12}\Z")
TEXT = st.text(max_size=60)


@settings(max_examples=300, deadline=None)
@given(value=TEXT, key_format=st.sampled_from(FORMATS), like=st.booleans())
def test_format_checks_never_raise(value: str, key_format: str, like: bool) -> None:
    problem = format_problem(key_format, value, like=like)
    assert problem is None or isinstance(problem, str)


@settings(max_examples=300, deadline=None)
@given(value=TEXT, key_type=st.sampled_from(TYPES), like=st.booleans())
def test_type_checks_never_raise(value: str, key_type: str, like: bool) -> None:
    problem = type_problem(key_type, value, like=like)
    assert problem is None or isinstance(problem, str)


@given(account=ACCOUNT_IDS)
def test_every_account_id_is_accepted_and_its_root_arn_is_not(account: str) -> None:
    assert format_problem("account-id", account, like=False) is None
    problem = format_problem("account-id", f"arn:aws:iam::{account}:root", like=False)
    assert problem is not None and account in problem


@given(value=TEXT.filter(lambda text: not (len(text) == 12 and text.isascii() and text.isdigit())))
def test_anything_else_is_not_an_account_id(value: str) -> None:
    assert format_problem("account-id", value, like=False) is not None


@given(account=ACCOUNT_IDS)
def test_an_account_id_is_not_an_arn(account: str) -> None:
    assert type_problem("ARN", account, like=False) is not None
    assert (
        type_problem("ARN", f"arn:aws:backup:eu-west-1:{account}:backup-vault:v", like=False)
        is None
    )


@given(region=st.sampled_from(sorted(known_regions())), position=st.integers(0, 30))
def test_regions_are_accepted_and_a_changed_letter_is_not(region: str, position: int) -> None:
    assert format_problem("region", region, like=False) is None
    index = position % len(region)
    typo = region[:index] + ("x" if region[index] != "x" else "y") + region[index + 1 :]
    if typo not in known_regions():
        assert format_problem("region", typo, like=False) is not None


@given(flag=st.sampled_from(["true", "false", "True", "FALSE"]), other=TEXT)
def test_bool_values(flag: str, other: str) -> None:
    assert type_problem("Bool", flag, like=False) is None
    if other.lower() not in ("true", "false"):
        assert type_problem("Bool", other, like=False) is not None


_KEYS = st.sampled_from(
    [
        ("StringEquals", "aws:SourceAccount"),
        ("StringLike", "kms:CallerAccount"),
        ("ArnLike", "aws:SourceArn"),
        ("StringNotEquals", "aws:RequestedRegion"),
        ("Bool", "aws:MultiFactorAuthPresent"),
        ("NumericLessThan", "aws:MultiFactorAuthAge"),
        ("DateGreaterThan", "aws:CurrentTime"),
        ("IpAddress", "aws:SourceIp"),
        ("StringEquals", "kms:ViaService"),
        ("StringEquals", "aws:PrincipalType"),
    ]
)


@settings(max_examples=200, deadline=None)
@given(pair=_KEYS, values=st.lists(TEXT, min_size=1, max_size=3))
def test_lint_on_generated_condition_values(pair: tuple[str, str], values: list[str]) -> None:
    operator, key = pair
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Action": "backup:StartBackupJob",
                "Resource": "*",
                "Condition": {operator: {key: values}},
            }
        ],
    }
    try:
        findings = lint_text(json.dumps(policy), file="fuzz.json")
    except InputError:
        return
    for finding in findings:
        if finding.rule == "BA015":
            assert finding.pointer.startswith("/Statement/0/Condition/")
