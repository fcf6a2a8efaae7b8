"""``fix --apply`` end to end against moto's server (IAM inline and trust policies, KMS key
policies), and with botocore's Stubber for AWS Backup vault access policies, which moto does
not implement. A change made between computing a fix and applying it is refused."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber
from click.testing import CliRunner

from backup_access.cli import main
from backup_access.cli.live_documents import LiveDocuments, restore_command
from backup_access.collect.session import make_client, make_session
from backup_access.fix import Fix, FixKind
from backup_access.fix.model import Audience
from tests.aws.server import MotoEndpoint

ACCOUNT = "123456789012"  # moto's account
REGION = "us-east-1"
TRUST_ME = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
            "Action": "sts:AssumeRole",
        }
    ],
}
TRUST_EC2 = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Sid": "TrustEc2",
            "Effect": "Allow",
            "Principal": {"Service": "ec2.amazonaws.com"},
            "Action": "sts:AssumeRole",
        }
    ],
}
OPERATOR_POLICY = {
    "Version": "2012-10-17",
    "Statement": [
        {"Sid": "Vaults", "Effect": "Allow", "Action": "backup:CreateBackupVault", "Resource": "*"}
    ],
}


@pytest.fixture(autouse=True)
def _cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """--apply collects the accounts again into the user's cache: a temporary one here."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


def _client(service: str) -> Any:
    return make_client(make_session(), service, REGION)


def _setup(aws: MotoEndpoint, tmp_path: Path) -> tuple[Path, str]:
    """The same account live (moto) and as a world file; returns (world, key id)."""
    iam, kms = _client("iam"), _client("kms")
    iam.create_role(RoleName="Operator", AssumeRolePolicyDocument=json.dumps(TRUST_ME))
    iam.put_role_policy(
        RoleName="Operator", PolicyName="Own", PolicyDocument=json.dumps(OPERATOR_POLICY)
    )
    iam.create_role(RoleName="BackupRole", AssumeRolePolicyDocument=json.dumps(TRUST_EC2))
    # A key policy naming only the operator for DescribeKey (no account root statement), so
    # the key policy blocks the other KMS actions.
    key_policy = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "Admin",
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:role/Operator"},
                "Action": ["kms:DescribeKey", "kms:PutKeyPolicy", "kms:GetKeyPolicy"],
                "Resource": "*",
            }
        ],
    }
    key_id = kms.create_key(Policy=json.dumps(key_policy))["KeyMetadata"]["KeyId"]
    world = {
        "accounts": {
            ACCOUNT: {
                "iam": {
                    "roles": {
                        "Operator": {"trust": TRUST_ME, "inline": {"Own": OPERATOR_POLICY}},
                        "BackupRole": {"trust": TRUST_EC2},
                    }
                },
                "regions": {
                    REGION: {
                        "backup": {"vaults": {"existing": {"key": key_id}}},
                        "kms": {"keys": {key_id: {"manager": "customer", "policy": key_policy}}},
                    }
                },
            }
        }
    }
    path = tmp_path / "world.json"
    path.write_text(json.dumps(world))
    return path, key_id


def _create_vault(world: Path, key_id: str) -> list[str]:
    return [
        "fix",
        "--world",
        str(world),
        "create-vault",
        "--caller",
        f"arn:aws:iam::{ACCOUNT}:role/Operator",
        "--vault",
        f"arn:aws:backup:{REGION}:{ACCOUNT}:backup-vault:new",
        "--key",
        f"arn:aws:kms:{REGION}:{ACCOUNT}:key/{key_id}",
    ]


def test_apply_writes_inline_and_key_policies_with_backups(
    aws: MotoEndpoint, tmp_path: Path
) -> None:
    world, key_id = _setup(aws, tmp_path)
    backups = tmp_path / "backups"
    args = [
        *_create_vault(world, key_id),
        "--apply",
        "--yes",
        "--backup-dir",
        str(backups),
        "--format",
        "json",
    ]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    plan = json.loads(result.stdout)
    kinds = {f["kind"]: f for f in plan["fixes"]}
    assert {"identity_policy", "key_policy"} <= set(kinds)
    live_inline = _client("iam").get_role_policy(RoleName="Operator", PolicyName="BackupAccessFix")
    assert live_inline["PolicyDocument"] == kinds["identity_policy"]["document"]
    assert (
        _client("iam").get_role_policy(RoleName="Operator", PolicyName="Own")["PolicyDocument"]
        == OPERATOR_POLICY
    )
    live_key = json.loads(
        _client("kms").get_key_policy(KeyId=key_id, PolicyName="default")["Policy"]
    )
    assert live_key == kinds["key_policy"]["document"]
    saved = json.loads((backups / kinds["key_policy"]["file"]).read_text())
    assert saved == kinds["key_policy"]["previous"]
    assert "applied, re-read: matches" in result.stderr
    assert "to restore: aws kms put-key-policy" in result.stderr
    assert (
        "to restore: aws iam delete-role-policy --role-name Operator --policy-name BackupAccessFix"
        in result.stderr
    )


def test_apply_updates_a_trust_policy(aws: MotoEndpoint, tmp_path: Path) -> None:
    world, _ = _setup(aws, tmp_path)
    args = [
        "fix", "--world", str(world), "backup",
        "--caller", f"arn:aws:iam::{ACCOUNT}:role/Operator",
        "--role", f"arn:aws:iam::{ACCOUNT}:role/BackupRole",
        "--vault", f"arn:aws:backup:{REGION}:{ACCOUNT}:backup-vault:existing",
        "--apply", "--yes", "--backup-dir", str(tmp_path / "b"), "--format", "json",
    ]  # fmt: skip
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    trust = [f for f in json.loads(result.stdout)["fixes"] if f["kind"] == "trust_policy"]
    assert len(trust) == 1
    live = _client("iam").get_role(RoleName="BackupRole")["Role"]["AssumeRolePolicyDocument"]
    assert live == trust[0]["document"]
    assert live["Statement"][0] == TRUST_EC2["Statement"][0]
    assert live["Statement"][1]["Principal"] == {"Service": "backup.amazonaws.com"}


def test_a_change_made_meanwhile_is_refused_and_nothing_is_applied(
    aws: MotoEndpoint, tmp_path: Path
) -> None:
    world, key_id = _setup(aws, tmp_path)
    changed = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "SomeoneElse",
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
                "Action": "kms:*",
                "Resource": "*",
            }
        ],
    }
    _client("kms").put_key_policy(KeyId=key_id, PolicyName="default", Policy=json.dumps(changed))
    result = CliRunner().invoke(main, [*_create_vault(world, key_id), "--apply", "--yes"])
    assert result.exit_code == 1
    assert "differs from the one the fix was computed on" in result.stderr
    names = _client("iam").list_role_policies(RoleName="Operator")["PolicyNames"]
    assert names == ["Own"]  # the inline fix was not applied either
    live = json.loads(_client("kms").get_key_policy(KeyId=key_id, PolicyName="default")["Policy"])
    assert live == changed


def test_apply_asks_first_and_does_nothing_when_declined(
    aws: MotoEndpoint, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    world, key_id = _setup(aws, tmp_path)
    monkeypatch.setattr("backup_access.cli.fix.stdin_is_terminal", lambda: True)
    result = CliRunner().invoke(main, [*_create_vault(world, key_id), "--apply"], input="n\n")
    assert result.exit_code == 0, result.output
    assert "nothing applied" in result.stderr
    assert _client("iam").list_role_policies(RoleName="Operator")["PolicyNames"] == ["Own"]


def _vault_fix(previous: Any) -> Fix:
    document = {"Version": "2012-10-17", "Statement": [{"Sid": "New", "Effect": "Allow"}]}
    return Fix(
        id="F-test",
        generators=("FX-VAULT-POLICY",),
        title="t",
        source="s",
        kind=FixKind.VAULT_POLICY,
        target=f"arn:aws:backup:{REGION}:{ACCOUNT}:backup-vault:central",
        account=ACCOUNT,
        region=REGION,
        audience=Audience.ACCOUNT,
        checks=(),
        document=document,
        previous=previous,
        names=(("vault", "central"),),
    )


def test_vault_access_policy_read_and_write_with_stubber() -> None:
    # moto has no PutBackupVaultAccessPolicy / GetBackupVaultAccessPolicy: botocore's Stubber.
    client = boto3.client(
        "backup", region_name=REGION, aws_access_key_id="x", aws_secret_access_key="x"
    )
    live = LiveDocuments(session=None)
    live._clients[("backup", REGION)] = client
    fix = _vault_fix(None)
    with Stubber(client) as stub:
        stub.add_client_error(
            "get_backup_vault_access_policy",
            service_error_code="ResourceNotFoundException",
            expected_params={"BackupVaultName": "central"},
        )
        stub.add_response(
            "put_backup_vault_access_policy",
            {},
            {
                "BackupVaultName": "central",
                "Policy": json.dumps(fix.document, separators=(",", ":")),
            },
        )
        stub.add_response(
            "get_backup_vault_access_policy",
            {"BackupVaultName": "central", "Policy": json.dumps(fix.document)},
            {"BackupVaultName": "central"},
        )
        assert live.read(fix) is None
        live.write(fix)
        assert live.read(fix) == fix.document
        stub.assert_no_pending_responses()
    assert restore_command(fix, None) == (
        "aws backup delete-backup-vault-access-policy --backup-vault-name central "
        f"--region {REGION}"
    )
    assert "--policy file://old.json" in restore_command(_vault_fix({}), Path("old.json"))


def test_other_errors_are_not_taken_for_a_missing_document() -> None:
    client = boto3.client(
        "backup", region_name=REGION, aws_access_key_id="x", aws_secret_access_key="x"
    )
    live = LiveDocuments(session=None)
    live._clients[("backup", REGION)] = client
    with Stubber(client) as stub:
        stub.add_client_error(
            "get_backup_vault_access_policy", service_error_code="AccessDeniedException"
        )
        with pytest.raises(Exception, match="AccessDenied"):
            live.read(_vault_fix(None))


def test_fixes_of_another_account_are_listed_not_applied(aws: MotoEndpoint, tmp_path: Path) -> None:
    world, key_id = _setup(aws, tmp_path)
    data = json.loads(world.read_text())
    other = "210987654321"
    data["accounts"][other] = {
        "regions": {REGION: {"backup": {"vaults": {"central": {"key": key_id}}}}}
    }
    world.write_text(json.dumps(data))
    args = [
        "fix", "--world", str(world), "copy",
        "--caller", f"arn:aws:iam::{ACCOUNT}:role/Operator",
        "--role", f"arn:aws:iam::{ACCOUNT}:role/BackupRole",
        "--recovery-point", f"arn:aws:backup:{REGION}:{ACCOUNT}:recovery-point:rp-1",
        "--source-vault", f"arn:aws:backup:{REGION}:{ACCOUNT}:backup-vault:existing",
        "--destination-vault", f"arn:aws:backup:{REGION}:{other}:backup-vault:central",
        "--apply", "--yes", "--backup-dir", str(tmp_path / "b"), "--format", "json",
    ]  # fmt: skip
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    fixes = json.loads(result.stdout)["fixes"]
    assert any(f["account"] == other and f["kind"] == "vault_access_policy" for f in fixes)
    assert f"changes account {other}; run --apply again with its credentials" in result.stderr
    trust = _client("iam").get_role(RoleName="BackupRole")["Role"]["AssumeRolePolicyDocument"]
    assert trust != TRUST_EC2  # this account's fixes were applied


def test_apply_adds_a_default_version_to_a_boundary_policy(
    aws: MotoEndpoint, tmp_path: Path
) -> None:
    iam = _client("iam")
    boundary = {
        "Version": "2012-10-17",
        "Statement": [{"Sid": "Cap", "Effect": "Allow", "Action": "backup:*", "Resource": "*"}],
    }
    arn = iam.create_policy(PolicyName="Cap", PolicyDocument=json.dumps(boundary))["Policy"]["Arn"]
    own = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Action": ["backup:*", "backup-storage:*"], "Resource": "*"}
        ],
    }
    iam.create_role(
        RoleName="Bounded", AssumeRolePolicyDocument=json.dumps(TRUST_ME), PermissionsBoundary=arn
    )
    iam.put_role_policy(RoleName="Bounded", PolicyName="Own", PolicyDocument=json.dumps(own))
    world = {
        "accounts": {
            ACCOUNT: {
                "iam": {
                    "policies": {"Cap": boundary},
                    "roles": {
                        "Bounded": {"trust": TRUST_ME, "inline": {"Own": own}, "boundary": "Cap"}
                    },
                }
            }
        }
    }
    path = tmp_path / "world.json"
    path.write_text(json.dumps(world))
    args = [
        "fix", "--world", str(path), "create-vault",
        "--caller", f"arn:aws:iam::{ACCOUNT}:role/Bounded",
        "--vault", f"arn:aws:backup:{REGION}:{ACCOUNT}:backup-vault:new",
        "--apply", "--yes", "--backup-dir", str(tmp_path / "b"), "--format", "json",
    ]  # fmt: skip
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    fixes = json.loads(result.stdout)["fixes"]
    [fix] = [f for f in fixes if f["kind"] == "boundary_policy"]
    assert fix["verified"] is True
    version = iam.get_policy(PolicyArn=arn)["Policy"]["DefaultVersionId"]
    live = iam.get_policy_version(PolicyArn=arn, VersionId=version)["PolicyVersion"]["Document"]
    assert version != "v1" and live == fix["document"]
    assert live["Statement"][0] == boundary["Statement"][0]
    assert "to restore: aws iam create-policy-version --policy-arn" in result.stderr


def test_apply_without_yes_refuses_an_answer_piped_to_it(aws: MotoEndpoint, tmp_path: Path) -> None:
    # "echo y | backup-access fix … --apply": stdin is no terminal, so nobody confirmed.
    world, key_id = _setup(aws, tmp_path)
    result = CliRunner().invoke(main, [*_create_vault(world, key_id), "--apply"], input="y\n")
    assert result.exit_code == 2, result.output
    assert "stdin is not one" in result.output and "--yes" in result.output
    assert _client("iam").list_role_policies(RoleName="Operator")["PolicyNames"] == ["Own"]
