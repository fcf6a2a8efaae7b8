"""Scalars that are not strings in a request file, field by field (fuzz round s23, F6).

A list for a single-valued context key is refused (AWS sends one value:
https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html);
numbers and booleans in context are the text AWS would send; a level given as a number must
be a 12-digit account id; a name given as a number is a label's text.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from backup_access.cli import main

ROLE = "arn:aws:iam::111111111111:role/R"
VAULT = "arn:aws:backup:us-east-1:111111111111:backup-vault:v"
ALLOW = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}],
}


def _run(tmp_path: Path, context: dict[str, Any], **policies: Any) -> tuple[int, str]:
    request = {"principal": ROLE, "action": "backup:StartBackupJob", "resource": VAULT}
    if context:
        request["context"] = context
    path = tmp_path / "request.yaml"
    path.write_text(
        yaml.safe_dump({"request": request, "policies": {"identity": [ALLOW], **policies}})
    )
    result = CliRunner().invoke(main, ["simulate", str(path)])
    return result.exit_code, result.output + result.stderr


@pytest.mark.parametrize(
    "key", ["aws:PrincipalOrgID", "aws:SourceIp", "aws:PrincipalTag/team", "AWS:principalorgid"]
)
def test_a_list_for_a_single_valued_key_is_refused(tmp_path: Path, key: str) -> None:
    code, out = _run(tmp_path, {key: ["o-a1b2c3d4e5"]})
    assert code == 3, out
    assert f"at /request/context/{key.replace('/', '~1')}:" in out and "single-valued" in out


@pytest.mark.parametrize(
    "key", ["aws:PrincipalOrgPaths", "aws:TagKeys", "aws:CalledVia", "backup:CopyTargets"]
)
def test_a_list_for_a_multivalued_or_service_key_is_taken(tmp_path: Path, key: str) -> None:
    code, out = _run(tmp_path, {key: ["a", "b"]})
    assert code == 0, out


def test_numbers_and_booleans_in_context_are_their_text(tmp_path: Path) -> None:
    code, out = _run(tmp_path, {"aws:MultiFactorAuthPresent": True, "aws:MultiFactorAuthAge": 5})
    assert code == 0 and "ALLOWED" in out


def test_a_level_given_as_a_number_must_be_an_account_id(tmp_path: Path) -> None:
    scp = [{"level": 111111111111, "policies": [ALLOW]}]
    code, out = _run(tmp_path, {}, scp=scp)
    assert code == 0 and "ALLOWED" in out
    scp = [{"level": 12345, "policies": [ALLOW]}]
    code, out = _run(tmp_path, {}, scp=scp)
    assert code == 3 and "at /policies/scp/0/level:" in out and "not 12 digits" in out
    scp = [{"level": True, "policies": [ALLOW]}]
    code, out = _run(tmp_path, {}, scp=scp)
    assert code == 3 and "at /policies/scp/0/level:" in out


def test_a_policy_name_given_as_a_number_is_its_text(tmp_path: Path) -> None:
    code, out = _run(tmp_path, {}, boundary=[{"name": 42, "document": ALLOW}])
    assert code == 0 and "ALLOWED" in out
