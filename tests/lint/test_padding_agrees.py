"""lint reports what simulate refuses or cannot evaluate (fuzz round s23, F6): a padded
principal and ``Version: null`` are grammar errors for both (BA001: lint's grammar is the
engine's parser), and a padded Bool, Numeric, Date or IP value is one BA015 reports and the
engine cannot evaluate (conditions/values.py).

https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html
https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_version.html
https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from backup_access.lint import lint_text


def _rules(document: dict[str, Any]) -> set[tuple[str, str]]:
    findings = lint_text(json.dumps(document), file="policy.json")
    return {(f.rule, f.pointer) for f in findings}


def _statement(**extra: Any) -> dict[str, Any]:
    return {"Effect": "Allow", "Action": "backup:StartBackupJob", "Resource": "*", **extra}


def test_a_padded_principal_is_a_grammar_error() -> None:
    document = {
        "Version": "2012-10-17",
        "Statement": [_statement(Principal={"AWS": " arn:aws:iam::246813579024:root"})],
    }
    assert ("BA001", "/Statement/0/Principal/AWS") in _rules(document)


def test_version_null_is_a_grammar_error() -> None:
    document = {"Version": None, "Statement": [_statement()]}
    assert ("BA001", "/Version") in _rules(document)


@pytest.mark.parametrize(
    ("operator", "key", "value"),
    [
        ("Bool", "aws:MultiFactorAuthPresent", " true"),
        ("Bool", "aws:SecureTransport", "false "),
        ("NumericLessThan", "aws:MultiFactorAuthAge", "3600 "),
        ("IpAddress", "aws:SourceIp", " 203.0.113.0/24"),
    ],
)
def test_a_padded_typed_value_is_a_value_format_error(operator: str, key: str, value: str) -> None:
    document = {
        "Version": "2012-10-17",
        "Statement": [_statement(Condition={operator: {key: value}})],
    }
    assert ("BA015", f"/Statement/0/Condition/{operator}/{key}") in _rules(document)
