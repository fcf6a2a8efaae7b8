"""simulate's first line for an implicit deny that a statement the engine cannot evaluate
decides names that statement, instead of "the identity policies do not allow" above an
Allow that matches (review s23). A padded Bool value cannot be evaluated: AWS's
condition-operators page does not say whether IAM trims it
(https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html).
"""

from __future__ import annotations

from pathlib import Path

import yaml
from click.testing import CliRunner

from backup_access.cli import main

ROLE = "arn:aws:iam::111111111111:role/R"
VAULT = "arn:aws:backup:us-east-1:111111111111:backup-vault:v"


def _simulate(tmp_path: Path, statements: list[dict[str, object]]) -> str:
    path = tmp_path / "request.yaml"
    request = {
        "request": {
            "principal": ROLE,
            "action": "backup:DeleteBackupVault",
            "resource": VAULT,
            "context": {"aws:MultiFactorAuthPresent": "true"},
        },
        "policies": {"identity": [{"Version": "2012-10-17", "Statement": statements}]},
    }
    path.write_text(yaml.safe_dump(request))
    result = CliRunner().invoke(main, ["simulate", str(path)])
    assert result.exit_code == 0, result.output
    return result.stdout.splitlines()[0]


def _mfa(effect: str, value: str) -> dict[str, object]:
    return {
        "Sid": "Mfa",
        "Effect": effect,
        "Action": "backup:Delete*",
        "Resource": "*",
        "Condition": {"Bool": {"aws:MultiFactorAuthPresent": value}},
    }


def test_a_deny_that_cannot_be_evaluated_is_named_first(tmp_path: Path) -> None:
    allow_all = {"Effect": "Allow", "Action": "*", "Resource": "*"}
    first = _simulate(tmp_path, [allow_all, _mfa("Deny", "false ")])
    assert first.startswith("✘ IMPLICIT DENY — a Deny statement that cannot be evaluated")
    assert "statement 1 (Mfa)" in first
    assert "do not allow" not in first


def test_an_allow_that_cannot_be_evaluated_is_said_to_be_one_that_might(tmp_path: Path) -> None:
    first = _simulate(tmp_path, [_mfa("Allow", "true ")])
    assert "the identity policies do not allow" in first
    assert "an Allow statement that cannot be evaluated might" in first


def test_a_plain_implicit_deny_reads_as_before(tmp_path: Path) -> None:
    first = _simulate(tmp_path, [_mfa("Allow", "false")])
    assert first.endswith(f"do not allow backup:DeleteBackupVault for {ROLE} on {VAULT}")
