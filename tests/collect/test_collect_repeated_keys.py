"""Policy text that writes a key twice in one object, as AWS stores it, never reaches a world.

A decoder keeps one of the two values and AWS does not document which one IAM keeps
(``documents.refuse_repeated_keys``), so ``collect`` records a ``(parse)`` gap for the
document and leaves it, or its owner, unknown. The texts come back as AWS returns them:
GetAccountAuthorizationDetails URL-encodes IAM's documents
(https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetAccountAuthorizationDetails.html),
GetKeyPolicy (https://docs.aws.amazon.com/kms/latest/APIReference/API_GetKeyPolicy.html),
DescribePolicy (https://docs.aws.amazon.com/organizations/latest/APIReference/API_DescribePolicy.html)
and GetBackupVaultAccessPolicy
(https://docs.aws.amazon.com/aws-backup/latest/devguide/API_GetBackupVaultAccessPolicy.html)
return a string.

moto 5.2.6 stores IAM, KMS and Organizations policy text verbatim, repeated keys included, so
those are tested against its server. It does not implement GetBackupVaultAccessPolicy (nor
PutBackupVaultAccessPolicy: its server answers 404), so the vault access policy is answered
by botocore's Stubber.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.stub import ANY
from click.testing import CliRunner

from backup_access.cli import main
from backup_access.collect.backup import _access_policy, read_backup
from backup_access.collect.calls import MISSING
from backup_access.world import load_world
from tests.aws.server import MotoEndpoint
from tests.collect.test_collect_stubbed import CENTRAL, NOW, REGION, Clients, reader

# Two Effects in one statement: a reader keeping the later one would record an Allow.
TWICE = (
    '{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Effect": "Allow", '
    '"Action": "backup:*", "Resource": "*"}]}'
)
TRUST_TWICE = (
    '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", '
    '"Principal": {"Service": "backup.amazonaws.com"}, "Principal": {"AWS": "*"}, '
    '"Action": "sts:AssumeRole"}]}'
)
TRUST = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": "backup.amazonaws.com"},
                "Action": "sts:AssumeRole",
            }
        ],
    }
)
WRITTEN_TWICE = "'Effect' is written twice in one object"


@pytest.fixture
def clients() -> Iterator[Clients]:
    made = Clients()
    yield made
    for stub in made.stubs.values():
        stub.assert_no_pending_responses()


def _key_policy(account: str) -> str:
    return (
        '{"Version": "2012-10-17", "Statement": [{"Sid": "Root", "Effect": "Deny", '
        f'"Effect": "Allow", "Principal": {{"AWS": "arn:aws:iam::{account}:root"}}, '
        '"Action": "kms:*", "Resource": "*"}]}'
    )


def _build_account() -> dict[str, str]:
    """IAM, a key and a vault on moto, each document that repeats a key stored as written."""
    account = boto3.client("sts", region_name=REGION).get_caller_identity()["Account"]
    iam = boto3.client("iam", region_name=REGION)
    iam.create_role(RoleName="Clean", AssumeRolePolicyDocument=TRUST)
    iam.put_role_policy(
        RoleName="Clean",
        PolicyName="Backup",
        PolicyDocument=TWICE.replace('"Effect": "Deny", ', ""),
    )
    iam.create_role(RoleName="TrustTwice", AssumeRolePolicyDocument=TRUST_TWICE)
    iam.create_role(RoleName="InlineTwice", AssumeRolePolicyDocument=TRUST)
    iam.put_role_policy(RoleName="InlineTwice", PolicyName="Backup", PolicyDocument=TWICE)
    managed = iam.create_policy(PolicyName="ManagedTwice", PolicyDocument=TWICE)["Policy"]["Arn"]
    iam.create_user(UserName="carol")
    iam.attach_user_policy(UserName="carol", PolicyArn=managed)
    kms = boto3.client("kms", region_name=REGION)
    key = kms.create_key(Policy=_key_policy(account))["KeyMetadata"]
    backup = boto3.client("backup", region_name=REGION)
    backup.create_backup_vault(BackupVaultName="central", EncryptionKeyArn=key["Arn"])
    return {"account": account, "key": key["Arn"], "managed": managed}


def _parse_gaps(manifest: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {g["part"]: g for g in manifest["gaps"] if g["action"] == "(parse)"}


def test_iam_and_key_policies_that_repeat_a_key_are_gaps(aws: MotoEndpoint, tmp_path: Path) -> None:
    built = _build_account()
    account, key = built["account"], built["key"]
    # moto keeps the text as written (the premise of this test).
    stored = boto3.client("kms", region_name=REGION).get_key_policy(
        KeyId=key, PolicyName="default"
    )["Policy"]
    assert stored.count('"Effect"') == 2
    out = tmp_path / "world"
    result = CliRunner().invoke(main, ["collect", "--out", str(out), "--regions", REGION])
    assert result.exit_code == 0, result.output
    manifest = json.loads((out / "manifest.json").read_text())
    gaps = _parse_gaps(manifest)
    role = f"arn:aws:iam::{account}:role/"
    expected = {
        "role TrustTwice": (f"{role}TrustTwice", "trust policy: policy text at /Statement/0"),
        "role InlineTwice": (f"{role}InlineTwice", "inline policy Backup: policy text at"),
        "customer managed policy ManagedTwice": (built["managed"], "policy text at /Statement"),
        f"KMS key {key}": (key, "policy text at /Statement/0/Effect"),
    }
    for part, (unknown, said) in expected.items():
        gap = gaps[part]
        assert gap["unknown"] == unknown and said in gap["error"], gap
        assert "is written twice in one object" in gap["error"]
        assert unknown in manifest["unknown"]
        assert f"{part}: (parse): " in result.stderr
    # carol holds the managed policy that could not be read: she is left out, unknown.
    assert "attached policy ManagedTwice" in gaps["user carol"]["error"]
    world = load_world(out)
    held = world.accounts[account]
    assert set(held.roles) == {"Clean"} and held.users == {}
    assert "ManagedTwice" not in held.managed_policies
    written = json.loads((out / f"account-{account}.json").read_text())
    [entry] = written["accounts"][account]["regions"][REGION]["kms"]["keys"].values()
    assert "policy" not in entry  # unknown, never the later Effect


def test_an_organization_policy_that_repeats_a_key_stops_collect_org(aws: MotoEndpoint) -> None:
    org = boto3.client("organizations", region_name=REGION)
    org.create_organization(FeatureSet="ALL")
    root = org.list_roots()["Roots"][0]["Id"]
    org.enable_policy_type(RootId=root, PolicyType="SERVICE_CONTROL_POLICY")
    policy = org.create_policy(
        Content=TWICE, Description="twice", Name="Twice", Type="SERVICE_CONTROL_POLICY"
    )["Policy"]["PolicySummary"]
    org.attach_policy(PolicyId=policy["Id"], TargetId=root)
    assert org.describe_policy(PolicyId=policy["Id"])["Policy"]["Content"] == TWICE
    result = CliRunner().invoke(main, ["collect", "--org", "--out", "/nonexistent/never"])
    # Leaving the SCP out would read as fewer restrictions than AWS applies: no world.
    assert result.exit_code == 4  # AWS could not be read (docs/collect.md)
    assert "organization policy Twice: not readable by backup-access: policy text at" in (
        result.stderr
    )
    assert WRITTEN_TWICE in result.stderr and "run from the management account" not in (
        result.stderr
    )


def test_a_vault_access_policy_that_repeats_a_key_marks_the_vault_unknown(
    clients: Clients,
) -> None:
    # Stubber: moto 5.2.6 implements neither Put- nor GetBackupVaultAccessPolicy.
    stub = clients.stub("backup")
    item = {"BackupVaultName": "central", "BackupVaultArn": CENTRAL}
    stub.add_response("list_backup_vaults", {"BackupVaultList": [item]}, {})
    stub.add_response(
        "list_backup_vaults",
        {"BackupVaultList": []},
        {"ByVaultType": "LOGICALLY_AIR_GAPPED_BACKUP_VAULT"},
    )
    stub.add_response(
        "get_backup_vault_access_policy",
        {"BackupVaultName": "central", "BackupVaultArn": CENTRAL, "Policy": TWICE},
        {"BackupVaultName": "central"},
    )
    stub.add_response("list_tags", {"Tags": {}}, {"ResourceArn": ANY})
    stub.add_response(
        "list_recovery_points_by_backup_vault", {"RecoveryPoints": []}, {"BackupVaultName": ANY}
    )
    stub.add_response("describe_region_settings", {}, {})
    stub.add_response("list_backup_plans", {"BackupPlansList": []}, {})
    read = reader(clients)
    part = read_backup(read, REGION, now=NOW, recovery_point_limit=100)
    assert "access_policy" not in part.vaults["central"]
    [gap] = read.log.gaps
    assert (gap.part, gap.action, gap.unknown) == (
        "access policy of vault central",
        "(parse)",
        CENTRAL,
    )
    assert gap.error.startswith("policy text at /Statement/0/Effect: " + WRITTEN_TWICE)


@pytest.mark.parametrize("text", ["{not json", '"a string"'])
def test_a_vault_access_policy_that_is_not_a_policy_is_a_gap(clients: Clients, text: str) -> None:
    stub = clients.stub("backup")
    stub.add_response("get_backup_vault_access_policy", {"Policy": text}, {"BackupVaultName": ANY})
    read = reader(clients)
    assert _access_policy(read, clients.clients["backup"], REGION, "central", CENTRAL) is MISSING
    [gap] = read.log.gaps
    assert gap.action == "(parse)" and gap.unknown == CENTRAL
