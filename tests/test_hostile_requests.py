"""A request names one action and one resource. ``*`` and ``?`` in them used to be compared
as literal text, so a Deny on the real action was missed and the answer was ``allowed``: every
way of building a request refuses them with exit 3 (Contract 3), except the documented
``resource: "*"`` of Contract 1."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from backup_access.cli import main

ROOT = Path(__file__).resolve().parents[1]
WORLD = ROOT / "examples" / "worlds" / "create-vault"
ROLE = "arn:aws:iam::111111111111:role/VaultAdmin"
VAULT = "arn:aws:backup:us-east-1:111111111111:backup-vault:prod-vault"
# Allows everything but denies the real action: a pattern that "matches" nothing literally
# would let the request through.
POLICIES = {
    "identity": [
        {
            "Statement": [
                {"Effect": "Allow", "Action": "*", "Resource": "*"},
                {"Effect": "Deny", "Action": "backup:DeleteBackupVault", "Resource": "*"},
            ]
        }
    ]
}


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result.exit_code, result.stderr


def _request_file(tmp_path: Path, **request: str) -> str:
    path = tmp_path / "request.yaml"
    body = {"principal": ROLE, **request}
    path.write_text(yaml.safe_dump({"request": body, "policies": POLICIES}))
    return str(path)


@pytest.mark.parametrize(
    ("action", "resource", "pointer"),
    [
        ("backup:Delete*", VAULT, "/request/action"),
        ("backup:DeleteBackupVaul?", VAULT, "/request/action"),
        ("*", VAULT, "/request/action"),
        (
            "backup:DeleteBackupVault",
            "arn:aws:backup:us-east-1:111111111111:*",
            "/request/resource",
        ),
        ("backup:DeleteBackupVault", VAULT[:-1] + "?", "/request/resource"),
    ],
)
def test_request_file_patterns_exit_3_at_their_pointer(
    tmp_path: Path, action: str, resource: str, pointer: str
) -> None:
    path = _request_file(tmp_path, action=action, resource=resource)
    code, err = _run("simulate", path)
    assert code == 3
    assert f"{path} at {pointer}: " in err and "is a pattern" in err


def test_resource_star_with_resource_account_still_evaluates(tmp_path: Path) -> None:
    path = _request_file(
        tmp_path,
        action="backup:DeleteBackupVault",
        resource="*",
        resource_account="111111111111",
    )
    code, _ = _run("simulate", path, "--expect", "explicit_deny")
    assert code == 0


def test_batch_item_with_a_pattern_names_its_index(tmp_path: Path) -> None:
    good = {"request": {"principal": ROLE, "action": "backup:ListBackupVaults", "resource": "*"}}
    bad = {"request": {"principal": ROLE, "action": "backup:List*", "resource": "*"}}
    path = tmp_path / "batch.yaml"
    path.write_text(yaml.safe_dump([good, bad]))
    code, err = _run("simulate", str(path))
    assert code == 3 and "at /1/request/action" in err


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("--action", "backup:*"),
        ("--action", "backup:Delete?ackupVault"),
        ("--resource", VAULT + "*"),
    ],
)
def test_simulate_world_options_refuse_patterns(option: str, value: str) -> None:
    args = {"--principal": ROLE, "--action": "backup:DeleteBackupVault", "--resource": VAULT}
    args[option] = value
    flat = [part for pair in args.items() for part in pair]
    code, err = _run("simulate", "--world", str(WORLD), *flat)
    assert code == 3
    assert f"{option}: " in err and "is a pattern" in err


def test_simulate_world_resource_star_still_works() -> None:
    code, _ = _run(
        "simulate",
        "--world",
        str(WORLD),
        "--principal",
        ROLE,
        "--action",
        "backup-storage:MountCapsule",
        "--resource",
        "*",
        "--resource-account",
        "111111111111",
        "--format",
        "json",
    )
    assert code == 0


def test_literal_star_in_an_s3_object_key_is_allowed(tmp_path: Path) -> None:
    # Object names may hold * and ?: AWS gives ${*} and ${?} to match them literally.
    # https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html#policy-vars-specialchars
    path = tmp_path / "s3.yaml"
    policy = {"Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}}
    request = {
        "principal": ROLE,
        "action": "s3:GetObject",
        "resource": "arn:aws:s3:::b/rep*rt?.csv",
        "resource_account": "111111111111",  # S3 ARNs hold no account
    }
    path.write_text(yaml.safe_dump({"request": request, "policies": {"identity": [policy]}}))
    assert _run("simulate", str(path), "--expect", "allowed")[0] == 0
    request["resource"] = "arn:aws:s3:::b*/report.csv"  # bucket names cannot hold them
    path.write_text(yaml.safe_dump({"request": request, "policies": {"identity": [policy]}}))
    code, err = _run("simulate", str(path))
    assert code == 3 and "/request/resource" in err
