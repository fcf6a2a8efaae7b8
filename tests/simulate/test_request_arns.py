"""A request's resource and principal are checked as ARNs (fuzz round s23, F2 and F6).

ARN format: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html
(arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE; some resources omit the account).

A resource whose account could not be read was taken to be in the principal's account, so an
identity policy alone allowed a cross-account copy (F2, reproducer r1.yaml). A padded or
wildcard principal was accepted and evaluated (F6, b2.yaml/b3.yaml). Request files and the
command line share one validator (``fields.arn_problem``/``principal_problem``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from backup_access.cli import main

ROLE = "arn:aws:iam::111111111111:role/BackupCopyRole"
VAULT = "arn:aws:backup:us-east-1:222222222222:backup-vault:central"
ALLOW_ALL = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "backup:*", "Resource": "*"}],
}
VAULT_POLICY = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": {"AWS": "arn:aws:iam::222222222222:root"},
            "Action": "backup:*",
            "Resource": "*",
        }
    ],
}


def _file(tmp_path: Path, **request: Any) -> Path:
    """r1.yaml of the fuzz report: the identity policy allows, the vault policy does not."""
    body = {"principal": ROLE, "action": "backup:CopyIntoBackupVault", "resource": VAULT}
    body.update(request)
    path = tmp_path / "request.yaml"
    path.write_text(
        yaml.safe_dump(
            {"request": body, "policies": {"identity": [ALLOW_ALL], "resource": VAULT_POLICY}},
            allow_unicode=True,
        )
    )
    return path


def _simulate(path: Path) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["simulate", str(path)])
    return result.exit_code, result.output + result.stderr


def test_the_well_formed_cross_account_request_is_denied(tmp_path: Path) -> None:
    code, out = _simulate(_file(tmp_path))
    assert code == 0 and "IMPLICIT DENY" in out


@pytest.mark.parametrize(
    ("resource", "said"),
    [
        (0, "found the number 0"),
        (-1, "found the number -1"),
        (12345678901234567890123, "quote it"),
        ("ARN:AWS:BACKUP:US-EAST-1:222222222222:BACKUP-VAULT:CENTRAL", "lower-case 'arn:'"),
        ("Deny", "is not an ARN"),
        ("null", "is not an ARN"),
        (" ", "whitespace around it"),
        ("\u202eevil", "invisible or control character"),
        ("arn:aws:backup:us-east-1:2222", "is not an ARN"),
        ("arn:aws:backup:us-east-1:222222222222:", "names no resource"),
        (f" {VAULT}", "whitespace around it"),
        (f"{VAULT}\u200b", "invisible or control character"),
    ],
)
def test_a_resource_whose_account_cannot_be_read_is_an_input_error(
    tmp_path: Path, resource: object, said: str
) -> None:
    code, out = _simulate(_file(tmp_path, resource=resource))
    assert code == 3, out
    assert "at /request/resource:" in out and said in out
    assert "ALLOWED" not in out


def test_the_error_says_to_give_an_arn_or_resource_account(tmp_path: Path) -> None:
    code, out = _simulate(_file(tmp_path, resource="Deny"))
    assert code == 3
    assert "reference-arns.html" in out and "resource_account" in out


def test_an_arn_without_an_account_needs_resource_account(tmp_path: Path) -> None:
    # S3 bucket ARNs omit the account (reference-arns.html): it is never assumed.
    path = _file(tmp_path, action="s3:GetObject", resource="arn:aws:s3:::bucket/key")
    code, out = _simulate(path)
    assert code == 3 and "at /request/resource:" in out and "resource_account" in out
    path = _file(
        tmp_path,
        action="s3:GetObject",
        resource="arn:aws:s3:::bucket/key",
        resource_account="111111111111",
    )
    code, out = _simulate(path)
    assert code == 0, out


def test_star_still_takes_resource_account(tmp_path: Path) -> None:
    code, out = _simulate(_file(tmp_path, resource="*", resource_account="222222222222"))
    assert code == 0 and "IMPLICIT DENY" in out


@pytest.mark.parametrize(
    ("principal", "said"),
    [
        (f" {ROLE}\u200b", "whitespace around it"),
        (f"{ROLE}\u200b", "invisible or control character"),
        (f"{ROLE}*", "is a pattern"),
        ("arn:aws:iam::111111111111:role/Backup?", "is a pattern"),
        ("backup .amazonaws.com", "holds whitespace"),
        (111111111111, "found the number 111111111111"),
    ],
)
def test_a_principal_aws_would_not_send_is_an_input_error(
    tmp_path: Path, principal: object, said: str
) -> None:
    code, out = _simulate(_file(tmp_path, principal=principal))
    assert code == 3, out
    assert "at /request/principal:" in out and said in out


@pytest.mark.parametrize("principal", ["111111111111", "anonymous", "backup.amazonaws.com", ROLE])
def test_the_principal_forms_still_accepted(tmp_path: Path, principal: str) -> None:
    code, out = _simulate(_file(tmp_path, principal=principal))
    assert code == 0, out


def test_the_command_line_refuses_the_same_text(tmp_path: Path) -> None:
    world = Path(__file__).parents[2] / "examples" / "worlds" / "cross-account-copy"
    base = ["simulate", "--world", str(world), "--action", "backup:CopyIntoBackupVault"]
    result = CliRunner().invoke(main, [*base, "--principal", ROLE, "--resource", "Deny"])
    assert result.exit_code == 2 and "--resource: 'Deny' is not an ARN" in result.output
    result = CliRunner().invoke(main, [*base, "--principal", f" {ROLE}", "--resource", VAULT])
    assert result.exit_code == 2 and "whitespace around it" in result.output


@pytest.mark.parametrize(
    "arn",
    [
        VAULT,
        "arn:aws:s3:::bucket",
        "arn:aws:s3:::bucket/my report.csv",  # object keys may hold spaces
        "arn:aws:ec2:us-east-1::snapshot/snap-0a1b2c3d4e5f60001",
        "arn:aws:iam::aws:policy/AWSBackupFullAccess",
        "arn:aws-cn:backup:cn-north-1:222222222222:backup-vault:central",
    ],
)
def test_well_formed_arns_pass(arn: str) -> None:
    from backup_access.fields import arn_problem

    assert arn_problem(arn) is None


def test_the_checks_are_cached_per_string() -> None:
    # The request parser is a hot path (benchmarks/engine.py): one check per distinct text.
    from backup_access.fields import arn_problem, principal_problem

    arn_problem.cache_clear()
    principal_problem.cache_clear()
    for _ in range(3):
        assert arn_problem(VAULT) is None and principal_problem(ROLE) is None
    assert arn_problem.cache_info().misses == 2  # VAULT, and ROLE through principal_problem
    assert principal_problem.cache_info().misses == 1
