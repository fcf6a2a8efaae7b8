"""The resolver: policy set layers, org chains, derived context, assumptions and gaps."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from backup_access.engine import DecisionValue, Layer, evaluate
from backup_access.errors import RequestError
from backup_access.world import World, load_world, resolve, shipped_policy_names
from backup_access.world.findings import is_assumption
from backup_access.world.lookup import managed_policy, suggest_aws_arn
from backup_access.world.managed import shipped_policy, shipped_policy_by_arn

FIXTURES = Path(__file__).parent / "fixtures"
PROD, BACKUP, MGMT = "222222222222", "333333333333", "111111111111"
ADMIN = f"arn:aws:iam::{PROD}:role/BackupAdmin"
SESSION = f"arn:aws:sts::{PROD}:assumed-role/BackupAdmin/job-1"
CENTRAL = f"arn:aws:backup:us-east-1:{BACKUP}:backup-vault:central"
SOURCE = f"arn:aws:backup:us-east-1:{PROD}:backup-vault:source"
KEY_ID = "1234abcd-12ab-34cd-56ef-1234567890ab"
KEY = f"arn:aws:kms:us-east-1:{PROD}:key/{KEY_ID}"
ALIAS = f"arn:aws:kms:us-east-1:{PROD}:alias/backup"
SLR = f"arn:aws:iam::{BACKUP}:role/aws-service-role/backup.amazonaws.com/AWSServiceRoleForBackup"
PROD_PATH = "o-a1b2c3d4e5/r-a1b2/ou-a1b2-11111111/ou-a1b2-22222222/"
BACKUP_PATH = "o-a1b2c3d4e5/r-a1b2/ou-a1b2-33333333/"


@pytest.fixture(scope="module")
def world() -> World:
    return load_world(FIXTURES / "world.yaml")


REQUIRED = (
    "AWSBackupFullAccess",
    "AWSBackupOperatorAccess",
    "AWSBackupServiceRolePolicyForBackup",
    "AWSBackupServiceRolePolicyForRestores",
    "AWSBackupServiceLinkedRolePolicyForBackup",
    "AWSBackupServiceRolePolicyForS3Backup",
    "AWSBackupServiceRolePolicyForS3Restore",
    "AdministratorAccess",
    "ReadOnlyAccess",
    "PowerUserAccess",
)


@pytest.mark.parametrize("name", REQUIRED)
def test_shipped_managed_policies_parse_and_carry_provenance(name: str) -> None:
    assert name in shipped_policy_names()
    policy = shipped_policy(name)
    assert policy is not None and policy.document.statements
    assert policy.arn.startswith("arn:aws:iam::aws:policy/") and policy.arn.endswith(name)
    record = json.loads(
        (
            Path(__file__).parents[2] / "src/backup_access/data/managed_policies" / f"{name}.json"
        ).read_text()
    )
    assert record["source"] and record["retrieved"] and record["version_id"]


def test_managed_policy_paths_and_lookup(world: World) -> None:
    service = "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup"
    assert shipped_policy_by_arn(service) is not None
    wrong = "arn:aws:iam::aws:policy/AWSBackupServiceRolePolicyForBackup"
    assert shipped_policy_by_arn(wrong) is None
    assert suggest_aws_arn(wrong) == service
    account = world.accounts[PROD]
    assert managed_policy(world, account, "BackupOperator") is not None
    assert managed_policy(world, account, f"arn:aws:iam::{PROD}:policy/BackupOperator")
    assert managed_policy(world, account, "PowerUserAccess") is not None
    assert managed_policy(world, account, "arn:aws:iam::aws:policy/NotShipped") is None


def test_role_layers_named_and_located(world: World) -> None:
    r = resolve(world, SESSION, "backup:CopyIntoBackupVault", CENTRAL)
    names = [p.name for p in r.policies.identity]
    assert names == [
        "role/BackupAdmin inline ExtraKms",
        f"arn:aws:iam::{PROD}:policy/BackupOperator",
        "arn:aws:iam::aws:policy/AWSBackupFullAccess",
    ]
    inline = r.policies.identity[0]
    assert inline.source == str(FIXTURES / "world.yaml")
    assert inline.pointer == f"/accounts/{PROD}/iam/roles/BackupAdmin/inline/ExtraKms"
    assert r.policies.identity[2].source is not None
    assert r.policies.identity[2].source.endswith("AWSBackupFullAccess.json")
    assert r.policies.boundary is not None
    assert [p.name for p in r.policies.boundary] == [f"arn:aws:iam::{PROD}:policy/Boundary"]
    assert r.policies.resource is not None
    assert r.policies.resource.name == "vault central access policy"
    assert r.policies.management_account == MGMT
    assert r.missing == ()


def test_user_gets_group_policies(world: World) -> None:
    r = resolve(world, f"arn:aws:iam::{PROD}:user/alice", "backup:ListBackupVaults", "*")
    assert [p.name for p in r.policies.identity] == [
        "user/alice inline Own",
        "arn:aws:iam::aws:policy/AdministratorAccess",
    ]
    assert r.request.context["aws:username"] == "alice"
    assert r.request.context["aws:PrincipalTag/team"] == "platform"


def test_scp_chain_runs_root_ous_account(world: World) -> None:
    r = resolve(world, SESSION, "backup:DeleteBackupVault", SOURCE)
    assert r.policies.scp is not None
    chain = [(level.level, [p.name for p in level.policies]) for level in r.policies.scp]
    assert chain == [
        ("r-a1b2", ["FullAWSAccess"]),
        ("ou-a1b2-11111111", ["FullAWSAccess", "DenyVaultDelete"]),
        ("ou-a1b2-22222222", ["FullAWSAccess"]),
        (PROD, ["FullAWSAccess"]),
    ]
    assert [n for n in r.notes if is_assumption(n) and "SCPs" in n] == [
        f"assumption: the world lists no policies attached to account {PROD}: taken to have "
        "only AWS's default FullAWSAccess, as at every level without a list (give the level's "
        "'policies' to check its SCPs)"
    ]
    decision = evaluate(r.request, r.policies)
    assert decision.value is DecisionValue.EXPLICIT_DENY
    assert decision.blocked_by == (Layer.SCP,)


def test_rcp_chain_of_the_resource_account(world: World) -> None:
    r = resolve(world, SESSION, "kms:Decrypt", f"arn:aws:kms:us-east-1:{BACKUP}:key/abc")
    assert r.policies.rcp is not None
    chain = [(level.level, [p.name for p in level.policies]) for level in r.policies.rcp]
    assert chain == [
        ("r-a1b2", ["RCPFullAWSAccess"]),
        ("ou-a1b2-33333333", ["RCPFullAWSAccess", "OnlyOrgKms"]),
        (BACKUP, ["RCPFullAWSAccess"]),
    ]
    assert any("not in the world" in m for m in r.missing)


def test_no_rcp_chain_for_aws_managed_key_aliases(world: World) -> None:
    # RCPs do not apply to AWS managed keys (KMS developer guide, resource-control-policies.html);
    # alias/aws/… names only AWS managed keys, recorded in the world or not.
    r = resolve(world, SESSION, "kms:Decrypt", f"arn:aws:kms:us-east-1:{BACKUP}:alias/aws/backup")
    assert r.policies.rcp is None
    assert any("AWS managed key: RCPs do not apply" in n for n in r.notes)


def test_rcps_leave_retire_grant_to_the_engine(world: World) -> None:
    # kms:RetireGrant is not valid in an RCP, even as kms:* (same page): the resolver still
    # gives the chain and the engine says the layer does not apply.
    r = resolve(world, SESSION, "kms:RetireGrant", f"arn:aws:kms:us-east-1:{BACKUP}:key/abc")
    assert r.policies.rcp is not None
    rcp_notes = [
        e for e in evaluate(r.request, r.policies).trace if getattr(e, "layer", None) is Layer.RCP
    ]
    assert [e.outcome.value for e in rcp_notes] == ["not_applicable"]


def test_rcp_applies_to_a_customer_managed_key_not_to_an_aws_managed_one(tmp_path: Path) -> None:
    path = tmp_path / "world.yaml"
    path.write_text(
        json.dumps(
            {
                "organization": {
                    "id": "o-a1b2c3d4e5",
                    "management_account": MGMT,
                    "policies": {
                        "OnlyOrgKms": {
                            "type": "rcp",
                            "document": {
                                "Version": "2012-10-17",
                                "Statement": [
                                    {
                                        "Sid": "OrgOnly",
                                        "Effect": "Deny",
                                        "Principal": "*",
                                        "Action": "kms:*",
                                        "Resource": "*",
                                        "Condition": {
                                            "StringNotEqualsIfExists": {
                                                "aws:PrincipalOrgID": "o-a1b2c3d4e5"
                                            }
                                        },
                                    }
                                ],
                            },
                        }
                    },
                    "root": {"id": "r-a1b2", "policies": ["OnlyOrgKms"], "accounts": [PROD]},
                },
                "accounts": {
                    PROD: {
                        "regions": {
                            "us-east-1": {
                                "kms": {
                                    "keys": {
                                        key_id: {
                                            "manager": manager,
                                            "policy": {
                                                "Version": "2012-10-17",
                                                "Statement": [
                                                    {
                                                        "Effect": "Allow",
                                                        "Principal": {"AWS": "*"},
                                                        "Action": "kms:DescribeKey",
                                                        "Resource": "*",
                                                    }
                                                ],
                                            },
                                        }
                                        for key_id, manager in (
                                            ("customer-key", "customer"),
                                            ("aws-key", "aws"),
                                        )
                                    }
                                }
                            }
                        }
                    }
                },
            }
        )
    )
    outside = "arn:aws:iam::999999999999:role/Partner"
    decisions = {}
    for key_id in ("customer-key", "aws-key"):
        key = f"arn:aws:kms:us-east-1:{PROD}:key/{key_id}"
        r = resolve(load_world(path), outside, "kms:DescribeKey", key)
        decisions[key_id] = evaluate(r.request, r.policies)
    assert decisions["customer-key"].value is DecisionValue.EXPLICIT_DENY
    assert Layer.RCP in decisions["customer-key"].blocked_by
    assert Layer.RCP not in decisions["aws-key"].blocked_by


def test_org_context_keys(world: World) -> None:
    r = resolve(world, SESSION, "backup:CopyIntoBackupVault", CENTRAL)
    context = r.request.context
    assert context["aws:PrincipalOrgID"] == "o-a1b2c3d4e5"
    assert context["aws:PrincipalOrgPaths"] == (PROD_PATH,)
    assert context["aws:ResourceOrgID"] == "o-a1b2c3d4e5"
    assert context["aws:ResourceOrgPaths"] == (BACKUP_PATH,)
    assert context["aws:ResourceAccount"] == BACKUP
    assert context["aws:PrincipalAccount"] == PROD
    assert context["aws:RequestedRegion"] == "us-east-1"
    assert context["aws:PrincipalTag/team"] == "backup"
    assert "aws:CalledVia" not in context
    decision = evaluate(r.request, r.policies)
    assert decision.value is DecisionValue.ALLOWED


def test_session_principal_arn_keeps_the_role_path(world: World) -> None:
    session = f"arn:aws:sts::{PROD}:assumed-role/Mystery/s"
    r = resolve(world, session, "backup:ListBackupVaults", "*")
    assert r.request.context["aws:PrincipalArn"] == f"arn:aws:iam::{PROD}:role/ops/Mystery"


def test_resource_tags(world: World) -> None:
    r = resolve(world, ADMIN, "backup:DescribeBackupVault", SOURCE)
    assert r.request.context["aws:ResourceTag/env"] == "prod"
    r = resolve(world, ADMIN, "iam:PassRole", ADMIN)
    assert r.request.context["aws:ResourceTag/team"] == "backup"
    assert r.policies.resource is None


def test_via_service_keys(world: World) -> None:
    r = resolve(world, ADMIN, "kms:CreateGrant", KEY, via_service="backup.amazonaws.com")
    context = r.request.context
    assert context["aws:CalledVia"] == ("backup.amazonaws.com",)
    assert context["aws:CalledViaFirst"] == "backup.amazonaws.com"
    assert context["aws:ViaAWSService"] == "true"
    assert context["kms:ViaService"] == "backup.us-east-1.amazonaws.com"
    assert context["kms:CallerAccount"] == PROD
    assert context["kms:GrantIsForAWSResource"] == "true"
    r = resolve(world, ADMIN, "kms:Decrypt", KEY, via_service="backup.amazonaws.com")
    assert "kms:GrantIsForAWSResource" not in r.request.context
    r = resolve(world, ADMIN, "kms:Decrypt", KEY)
    assert "kms:ViaService" not in r.request.context
    assert r.request.context["kms:CallerAccount"] == PROD


def test_caller_context_wins_case_insensitively(world: World) -> None:
    r = resolve(
        world,
        SESSION,
        "backup:CopyIntoBackupVault",
        CENTRAL,
        context={"AWS:RequestedRegion": "eu-west-1", "aws:PrincipalOrgID": "o-other"},
    )
    assert r.request.context["aws:requestedregion"] == "eu-west-1"
    assert r.request.context["aws:PrincipalOrgID"] == "o-other"
    assert "eu-west-1" in r.request.context.as_dict().values()
    assert "us-east-1" not in r.request.context.as_dict().values()


def test_alias_resolves_to_key_with_policy_and_grants(world: World) -> None:
    r = resolve(world, ADMIN, "kms:Decrypt", ALIAS)
    assert r.request.resource == KEY
    assert r.request.context["kms:RequestAlias"] == "alias/backup"
    assert r.request.context["kms:ResourceAliases"] == ("alias/backup",)
    assert r.policies.resource is not None
    assert r.policies.resource.name == f"key {KEY_ID} key policy"
    assert [g.name for g in r.policies.grants] == ["backup-grant"]
    assert any("alias/backup is key" in n for n in r.notes)


def test_unknown_key_is_missing(world: World) -> None:
    r = resolve(world, ADMIN, "kms:Decrypt", f"arn:aws:kms:us-east-1:{BACKUP}:alias/central")
    assert r.policies.resource is None
    assert any("KMS key" in m and "not in the world" in m for m in r.missing)


def test_backup_slr_is_assumed_when_absent(world: World) -> None:
    r = resolve(world, SLR, "kms:Decrypt", KEY)
    assert r.request.principal.service_linked
    assert [p.name for p in r.policies.identity] == [
        "arn:aws:iam::aws:policy/aws-service-role/AWSBackupServiceLinkedRolePolicyForBackup"
    ]
    assert any("AWSServiceRoleForBackup is not in the world" in n for n in r.notes)
    assert r.missing == ()
    decision = evaluate(r.request, r.policies)
    scp = [e for e in decision.to_dict()["trace"] if e.get("layer") == "scp"]
    assert scp and "service-linked" in json.dumps(scp)


def test_unknown_principal_and_account_are_missing(world: World) -> None:
    r = resolve(world, "arn:aws:iam::444444444444:role/Other", "backup:ListBackupVaults", "*")
    assert r.policies.identity == ()
    assert any("role Other of account 444444444444 (not in the world)" in m for m in r.missing)
    assert any("whether SCPs apply" in m for m in r.missing)
    r = resolve(world, f"arn:aws:iam::{PROD}:user/bob", "backup:ListBackupVaults", "*")
    assert any("user bob" in m for m in r.missing)


def test_unknown_aws_managed_policy_is_missing_not_empty(world: World) -> None:
    r = resolve(world, f"arn:aws:iam::{PROD}:role/ops/Mystery", "backup:ListBackupVaults", "*")
    assert r.policies.identity == ()
    (gap,) = r.missing
    assert "arn:aws:iam::aws:policy/SomethingNotShipped" in gap


def test_recovery_point_maps_to_its_vault(world: World) -> None:
    listed = f"arn:aws:backup:us-east-1:{PROD}:recovery-point:rp-1"
    r = resolve(world, ADMIN, "backup:StartCopyJob", listed)
    assert any("vault" in n and "source" in n for n in r.notes)
    assert r.request.context["aws:ResourceTag/env"] == "prod"
    unknown = f"arn:aws:backup:us-east-1:{PROD}:recovery-point:rp-9"
    r = resolve(world, ADMIN, "backup:StartCopyJob", unknown)
    assert any("which vault holds recovery point rp-9" in m for m in r.missing)
    r = resolve(world, ADMIN, "backup:StartCopyJob", unknown, recovery_point_vault="source")
    assert r.missing == ()
    r = resolve(
        world,
        ADMIN,
        "backup:StartCopyJob",
        f"arn:aws:backup:us-east-1:{BACKUP}:recovery-point:x",
        recovery_point_vault=CENTRAL,
    )
    assert r.policies.resource is not None
    assert r.policies.resource.name == "vault central access policy"


def test_snapshot_recovery_point_takes_its_vault_policy(world: World) -> None:
    # Snapshot-backed recovery points (EBS, RDS) have their service's ARN; AWS Backup actions
    # on them are still governed by the holding vault's access policy.
    snapshot = f"arn:aws:ec2:us-east-1:{BACKUP}:snapshot/snap-0123456789abcdef0"
    r = resolve(world, ADMIN, "backup:StartCopyJob", snapshot, recovery_point_vault=CENTRAL)
    assert r.policies.resource is not None
    assert r.policies.resource.name == "vault central access policy"
    assert r.missing == ()
    r = resolve(world, ADMIN, "ec2:DeleteSnapshot", snapshot, recovery_point_vault=CENTRAL)
    assert r.policies.resource is None
    r = resolve(world, ADMIN, "backup:StartCopyJob", snapshot, recovery_point_vault="nope")
    assert any("vault nope" in m for m in r.missing)


def test_unknown_vault_is_missing(world: World) -> None:
    vault = f"arn:aws:backup:us-east-1:{BACKUP}:backup-vault:nope"
    r = resolve(world, ADMIN, "backup:CopyIntoBackupVault", vault)
    assert any("vault nope" in m for m in r.missing)


def test_assume_role_uses_the_trust_policy(world: World) -> None:
    r = resolve(world, "backup.amazonaws.com", "sts:AssumeRole", ADMIN)
    assert r.policies.resource is not None
    assert r.policies.resource.name == "role/BackupAdmin trust policy"
    assert r.policies.scp is None and r.policies.identity == ()
    assert evaluate(r.request, r.policies).value is DecisionValue.ALLOWED
    r = resolve(
        world, "backup.amazonaws.com", "sts:AssumeRole", f"arn:aws:iam::{PROD}:role/ops/Mystery"
    )
    assert any("trust policy" in m for m in r.missing)


def test_management_account_and_non_member(world: World) -> None:
    r = resolve(world, f"arn:aws:iam::{MGMT}:root", "backup:DeleteBackupVault", "*")
    assert r.policies.scp is not None and r.policies.scp[0].level == "r-a1b2"
    assert r.policies.management_account == MGMT
    assert evaluate(r.request, r.policies).value is DecisionValue.ALLOWED


def test_bad_principal_is_a_request_error(world: World) -> None:
    with pytest.raises(RequestError):
        resolve(world, "not a principal", "backup:ListBackupVaults", "*")
    with pytest.raises(RequestError):
        resolve(world, ADMIN, "ListBackupVaults", "*")


def test_without_organization_no_chains(world: World) -> None:
    bare = World(organization=None, accounts=world.accounts)
    r = resolve(bare, SESSION, "backup:CopyIntoBackupVault", CENTRAL)
    assert r.policies.scp is None and r.policies.rcp is None
    assert "aws:PrincipalOrgID" not in r.request.context
    assert r.policies.management_account is None


def test_requested_region_is_the_region_the_call_is_sent_to(world: World) -> None:
    r = resolve(world, ADMIN, "backup-storage:MountCapsule", "*", requested_region="eu-west-1")
    assert r.request.context["aws:RequestedRegion"] == "eu-west-1"
    assert not any("RequestedRegion" in note for note in r.notes)
    r = resolve(world, ADMIN, "backup-storage:MountCapsule", "*")
    assert "aws:RequestedRegion" not in r.request.context
    assert any("aws:RequestedRegion not set" in note for note in r.notes)
    r = resolve(
        world, ADMIN, "backup-storage:MountCapsule", "*", context={"aws:requestedregion": "x"}
    )
    assert not any("RequestedRegion" in note for note in r.notes)
