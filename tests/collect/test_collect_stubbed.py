"""The collector's readers on answers moto 5.2.6 cannot give, through botocore's Stubber:
vault access policies, logically air-gapped vaults and their compliance lock, recovery
points, Region settings, backup selections, AWS Backup's global settings, RAM shares of
vaults, CloudTrail LookupEvents, and GetAccountAuthorizationDetails with ``PolicyName`` in
``Policies[]`` plus an AWS managed policy fetched by ARN.

Each test checks the calls made (Stubber fails on any call not expected, in order) and that
what was read becomes a world the loader accepts.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.stub import ANY, Stubber

from backup_access.collect.backup import GlobalSettings, read_backup, read_global_settings
from backup_access.collect.calls import CallLog, Reader
from backup_access.collect.cloudtrail import read_access_denied
from backup_access.collect.iam import read_iam
from backup_access.collect.organization import _services
from backup_access.collect.ram import read_vault_shares
from backup_access.world import load_world
from tests.collect.policy_check import not_allowed

ACCOUNT = "111111111111"
REGION = "us-east-1"
NOW = dt.datetime(2026, 6, 1, tzinfo=dt.UTC)
CENTRAL = f"arn:aws:backup:{REGION}:{ACCOUNT}:backup-vault:central"
AIRGAP = f"arn:aws:backup:{REGION}:{ACCOUNT}:backup-vault:airgap"
KEY = f"arn:aws:kms:{REGION}:{ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab"
VAULT_POLICY = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Sid": "NoDelete",
            "Effect": "Deny",
            "Principal": "*",
            "Action": "backup:DeleteRecoveryPoint",
            "Resource": "*",
        }
    ],
}


class Clients:
    """Stubbed clients by service, handed to the reader in place of real ones."""

    def __init__(self) -> None:
        self.clients: dict[str, Any] = {}
        self.stubs: dict[str, Stubber] = {}

    def stub(self, service: str) -> Stubber:
        client = boto3.client(
            service,
            region_name=REGION,
            aws_access_key_id="stub",
            aws_secret_access_key="stub",
        )
        self.clients[service] = client
        self.stubs[service] = Stubber(client)
        self.stubs[service].activate()
        return self.stubs[service]

    def make(self, session: Any, service: str, region: str | None = None) -> Any:
        return self.clients[service]


@pytest.fixture
def clients() -> Iterator[Clients]:
    made = Clients()
    yield made
    for stub in made.stubs.values():
        stub.assert_no_pending_responses()


def reader(clients: Clients) -> Reader:
    return Reader(ACCOUNT, None, CallLog(), clients.make)


def load_account(tmp_path: Path, section: dict[str, Any], **top: Any) -> Any:
    path = tmp_path / "world.json"
    path.write_text(json.dumps({"accounts": {ACCOUNT: section}, **top}, default=str))
    return load_world(path)


def test_vaults_policies_air_gapped_locks_points_settings_and_selections(
    clients: Clients, tmp_path: Path
) -> None:
    stub = clients.stub("backup")
    lock_date = NOW - dt.timedelta(days=3)
    airgap = {
        "BackupVaultName": "airgap",
        "BackupVaultArn": AIRGAP,
        "VaultType": "LOGICALLY_AIR_GAPPED_BACKUP_VAULT",
        "Locked": True,
        "MinRetentionDays": 7,
        "MaxRetentionDays": 365,
        "LockDate": lock_date,
    }
    central = {
        "BackupVaultName": "central",
        "BackupVaultArn": CENTRAL,
        "VaultType": "BACKUP_VAULT",
        "EncryptionKeyArn": KEY,
        "Locked": False,
    }
    stub.add_response("list_backup_vaults", {"BackupVaultList": [central, airgap]}, {})
    stub.add_response(
        "list_backup_vaults",
        {"BackupVaultList": [airgap]},
        {"ByVaultType": "LOGICALLY_AIR_GAPPED_BACKUP_VAULT"},
    )
    # airgap: no access policy (AWS answers ResourceNotFoundException), no tags, no points
    stub.add_client_error(
        "get_backup_vault_access_policy",
        "ResourceNotFoundException",
        expected_params={"BackupVaultName": "airgap"},
    )
    stub.add_response("list_tags", {"Tags": {}}, {"ResourceArn": AIRGAP})
    stub.add_response(
        "list_recovery_points_by_backup_vault",
        {"RecoveryPoints": []},
        {"BackupVaultName": "airgap"},
    )
    # central: an access policy, tags, one recovery point with its own key
    stub.add_response(
        "get_backup_vault_access_policy",
        {"BackupVaultName": "central", "Policy": json.dumps(VAULT_POLICY)},
        {"BackupVaultName": "central"},
    )
    stub.add_response("list_tags", {"Tags": {"env": "prod"}}, {"ResourceArn": CENTRAL})
    point = f"arn:aws:ec2:{REGION}::snapshot/snap-0123456789abcdef0"
    point_key = f"arn:aws:kms:{REGION}:{ACCOUNT}:key/ebs-key"
    stub.add_response(
        "list_recovery_points_by_backup_vault",
        {
            "RecoveryPoints": [
                {"RecoveryPointArn": point, "ResourceType": "EBS", "EncryptionKeyArn": point_key}
            ]
        },
        {"BackupVaultName": "central"},
    )
    stub.add_response(
        "describe_region_settings",
        {
            "ResourceTypeOptInPreference": {"EBS": True, "S3": False},
            "ResourceTypeManagementPreference": {"DynamoDB": True},
        },
        {},
    )
    stub.add_response(
        "list_backup_plans",
        {"BackupPlansList": [{"BackupPlanId": "plan-1", "BackupPlanName": "daily"}]},
        {},
    )
    copy_to = "arn:aws:backup:us-west-2:222222222222:backup-vault:dr"
    stub.add_response(
        "get_backup_plan",
        {
            "BackupPlan": {
                "BackupPlanName": "daily",
                "Rules": [
                    {
                        "RuleName": "nightly",
                        "TargetBackupVaultName": "central",
                        "CopyActions": [{"DestinationBackupVaultArn": copy_to}],
                    }
                ],
            },
            "BackupPlanId": "plan-1",
        },
        {"BackupPlanId": "plan-1"},
    )
    role = f"arn:aws:iam::{ACCOUNT}:role/service-role/AWSBackupDefaultServiceRole"
    stub.add_response(
        "list_backup_selections",
        {"BackupSelectionsList": [{"SelectionName": "all-ebs", "IamRoleArn": role}]},
        {"BackupPlanId": "plan-1"},
    )
    read = reader(clients)
    part = read_backup(read, REGION, now=NOW, recovery_point_limit=100)
    assert read.log.gaps == []
    assert part.keys == {KEY, point_key}
    assert part.plans == [
        {
            "id": "plan-1",
            "name": "daily",
            "rules": [{"name": "nightly", "target_vault": "central", "copy_to": [copy_to]}],
            "selections": [{"name": "all-ebs", "role": role}],
        }
    ]
    world = load_account(tmp_path, {"regions": {REGION: {"backup": part.section()}}})
    region = world.accounts[ACCOUNT].regions[REGION]
    lag = region.vaults["airgap"]
    assert lag.type.value == "logically_air_gapped"
    assert lag.access_policy is None
    assert lag.lock is not None and lag.lock.mode.value == "compliance"
    assert (lag.lock.min_retention_days, lag.lock.max_retention_days) == (7, 365)
    assert lag.lock.immutable is True  # past its lock date
    vault = region.vaults["central"]
    assert vault.access_policy is not None
    assert vault.access_policy.statements[0].sid == "NoDelete"
    assert vault.tags == {"env": "prod"}
    assert vault.key == KEY and vault.lock is None
    assert vault.recovery_points == (point,)
    assert vault.points[point].resource_type == "EBS"
    assert vault.points[point].key == point_key
    assert region.opt_in == {"EBS": True, "S3": False}
    assert region.full_management == {"DynamoDB": True}
    assert read.log.actions == {
        "backup:ListBackupVaults",
        "backup:GetBackupVaultAccessPolicy",
        "backup:ListTags",
        "backup:ListRecoveryPointsByBackupVault",
        "backup:DescribeRegionSettings",
        "backup:ListBackupPlans",
        "backup:GetBackupPlan",
        "backup:ListBackupSelections",
    }
    assert not_allowed(read.log.actions) == {}


def test_an_unreadable_access_policy_marks_the_vault_unknown(clients: Clients) -> None:
    stub = clients.stub("backup")
    item = {"BackupVaultName": "central", "BackupVaultArn": CENTRAL}
    stub.add_response("list_backup_vaults", {"BackupVaultList": [item]}, {})
    stub.add_response(
        "list_backup_vaults",
        {"BackupVaultList": []},
        {"ByVaultType": "LOGICALLY_AIR_GAPPED_BACKUP_VAULT"},
    )
    stub.add_client_error(
        "get_backup_vault_access_policy",
        "AccessDeniedException",
        "User is not authorized to perform: backup:GetBackupVaultAccessPolicy",
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
    assert gap.action == "backup:GetBackupVaultAccessPolicy"
    assert gap.unknown == CENTRAL
    assert gap.error.startswith("AccessDeniedException")


def test_global_settings(clients: Clients) -> None:
    stub = clients.stub("backup")
    stub.add_response(
        "describe_global_settings",
        {
            "GlobalSettings": {
                "isCrossAccountBackupEnabled": "true",
                "isDelegatedAdministratorEnabled": "false",
            }
        },
        {},
    )
    stub.add_response(
        "describe_global_settings", {"GlobalSettings": {"isCrossAccountBackupEnabled": "false"}}, {}
    )
    stub.add_client_error("describe_global_settings", "AccessDeniedException")
    read = reader(clients)
    assert read_global_settings(read, REGION) == GlobalSettings(True, False)
    assert read_global_settings(read, REGION) == GlobalSettings(False, None)
    assert read_global_settings(read, REGION) == GlobalSettings(None, None)  # never assumed
    assert [g.action for g in read.log.gaps] == ["backup:DescribeGlobalSettings"]
    assert not_allowed(read.log.actions) == {}


def test_ram_shares_of_vaults(clients: Clients) -> None:
    stub = clients.stub("ram")
    share = f"arn:aws:ram:{REGION}:{ACCOUNT}:resource-share/abc"
    stub.add_response(
        "get_resource_shares",
        {"resourceShares": [{"resourceShareArn": share, "name": "lag-share"}]},
        {"resourceOwner": "SELF", "resourceShareStatus": "ACTIVE"},
    )
    stub.add_response(
        "get_resource_share_associations",
        {
            "resourceShareAssociations": [
                {"associatedEntity": AIRGAP},
                {"associatedEntity": f"arn:aws:ec2:{REGION}:{ACCOUNT}:subnet/subnet-1"},
            ]
        },
        {
            "associationType": "RESOURCE",
            "resourceShareArns": [share],
            "associationStatus": "ASSOCIATED",
        },
    )
    org_unit = "arn:aws:organizations::999999999999:ou/o-abc/ou-ab12-34cd56ef"
    stub.add_response(
        "get_resource_share_associations",
        {
            "resourceShareAssociations": [
                {"associatedEntity": "222222222222"},
                {"associatedEntity": org_unit},
            ]
        },
        {
            "associationType": "PRINCIPAL",
            "resourceShareArns": [share],
            "associationStatus": "ASSOCIATED",
        },
    )
    read = reader(clients)
    assert read_vault_shares(read, REGION) == {AIRGAP: ["222222222222", org_unit]}
    assert read.log.actions == {"ram:GetResourceShares", "ram:GetResourceShareAssociations"}
    assert not_allowed(read.log.actions) == {}


def _event(name: str, code: str | None) -> dict[str, Any]:
    record: dict[str, Any] = {"eventName": name, "eventSource": "backup.amazonaws.com"}
    if code:
        record["errorCode"] = code
        record["errorMessage"] = f"User is not authorized to perform: backup:{name}"
    return {
        "EventId": f"id-{name}",
        "EventName": name,
        "EventTime": NOW,
        "CloudTrailEvent": json.dumps(record),
    }


def test_cloudtrail_keeps_only_access_denied_events(clients: Clients) -> None:
    stub = clients.stub("cloudtrail")
    since = NOW - dt.timedelta(days=7)
    for source, events in (
        ("backup.amazonaws.com", [_event("StartCopyJob", "AccessDenied"), _event("ListX", None)]),
        ("kms.amazonaws.com", [_event("Decrypt", "AccessDeniedException")]),
        ("iam.amazonaws.com", []),
    ):
        stub.add_response(
            "lookup_events",
            {"Events": events},
            {
                "LookupAttributes": [{"AttributeKey": "EventSource", "AttributeValue": source}],
                "StartTime": since,
            },
        )
    read = reader(clients)
    events = read_access_denied(read, REGION, since=since)
    assert not_allowed(read.log.actions) == {}
    assert events is not None
    assert [e["EventName"] for e in events] == ["Decrypt", "StartCopyJob"]
    assert events[0]["EventTime"] == NOW.isoformat()


def test_iam_with_policy_names_and_aws_managed_policies(clients: Clients, tmp_path: Path) -> None:
    stub = clients.stub("iam")
    shipped = "arn:aws:iam::aws:policy/AWSBackupFullAccess"
    fetched = "arn:aws:iam::aws:policy/service-role/SomeNewAWSPolicy"
    allow = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}],
    }
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": "backup.amazonaws.com"},
                "Action": "sts:AssumeRole",
            }
        ],
    }
    created = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    stub.add_response(
        "get_account_authorization_details",
        {
            "RoleDetailList": [
                {
                    "Path": "/service-role/",
                    "RoleName": "Backup",
                    "RoleId": "AROAEXAMPLEEXAMPLE1",
                    "Arn": f"arn:aws:iam::{ACCOUNT}:role/service-role/Backup",
                    "CreateDate": created,
                    # The IAM API returns policy documents URL-encoded.
                    "AssumeRolePolicyDocument": json.dumps(trust).replace(" ", "%20"),
                    "AttachedManagedPolicies": [
                        {
                            "PolicyName": "Mine",
                            "PolicyArn": f"arn:aws:iam::{ACCOUNT}:policy/team/Mine",
                        },
                        {"PolicyName": "AWSBackupFullAccess", "PolicyArn": shipped},
                        {"PolicyName": "SomeNewAWSPolicy", "PolicyArn": fetched},
                    ],
                    "RolePolicyList": [],
                    "Tags": [],
                }
            ],
            "Policies": [
                {
                    "PolicyName": "Mine",
                    "PolicyId": "ANPAEXAMPLEEXAMPLE1",
                    "Arn": f"arn:aws:iam::{ACCOUNT}:policy/team/Mine",
                    "DefaultVersionId": "v2",
                    "PolicyVersionList": [
                        {
                            "Document": json.dumps({"Version": "2012-10-17", "Statement": []}),
                            "VersionId": "v1",
                            "IsDefaultVersion": False,
                        },
                        {
                            "Document": json.dumps(allow),
                            "VersionId": "v2",
                            "IsDefaultVersion": True,
                        },
                    ],
                },
                {
                    "PolicyName": "AWSBackupFullAccess",
                    "PolicyId": "ANPAEXAMPLEEXAMPLE2",
                    "Arn": shipped,
                    "DefaultVersionId": "v9",
                    "PolicyVersionList": [
                        {"Document": json.dumps(allow), "VersionId": "v9", "IsDefaultVersion": True}
                    ],
                },
            ],
        },
        {},
    )
    stub.add_response(
        "get_policy",
        {"Policy": {"PolicyName": "SomeNewAWSPolicy", "Arn": fetched, "DefaultVersionId": "v3"}},
        {"PolicyArn": fetched},
    )
    stub.add_response(
        "get_policy_version",
        {
            "PolicyVersion": {
                "Document": json.dumps(allow),
                "VersionId": "v3",
                "IsDefaultVersion": True,
            }
        },
        {"PolicyArn": fetched, "VersionId": "v3"},
    )
    read = reader(clients)
    part = read_iam(read)
    assert part is not None and read.log.gaps == []
    assert read.log.actions == {
        "iam:GetAccountAuthorizationDetails",
        "iam:GetPolicy",
        "iam:GetPolicyVersion",
    }
    assert not_allowed(read.log.actions) == {}
    role = part.section["roles"]["Backup"]
    assert role["policies"] == ["Mine", shipped, fetched]
    assert role["trust"] == trust
    assert part.section["policies"] == {"Mine": allow}  # the default version, by PolicyName
    assert set(part.aws_policies) == {shipped, fetched}
    world = load_account(
        tmp_path,
        {"iam": part.section},
        aws_managed_policies={arn: {"document": doc} for arn, doc in part.aws_policies.items()},
    )
    assert world.accounts[ACCOUNT].roles["Backup"].path == "/service-role/"
    assert world.aws_managed_policies[fetched].document.statements[0].effect.value == "Allow"


def test_a_policy_our_parser_refuses_leaves_out_its_owner_as_unknown(clients: Clients) -> None:
    stub = clients.stub("iam")
    broken = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "backup:*"}]}
    stub.add_response(
        "get_account_authorization_details",
        {
            "UserDetailList": [
                {
                    "Path": "/",
                    "UserName": "bob",
                    "UserId": "AIDAEXAMPLEEXAMPLE1",
                    "Arn": f"arn:aws:iam::{ACCOUNT}:user/bob",
                    "CreateDate": NOW,
                    "UserPolicyList": [
                        {"PolicyName": "NoResource", "PolicyDocument": json.dumps(broken)}
                    ],
                }
            ]
        },
        {},
    )
    read = reader(clients)
    part = read_iam(read)
    assert part is not None and part.section["users"] == {}
    [gap] = read.log.gaps
    assert gap.part == "user bob" and gap.unknown == f"arn:aws:iam::{ACCOUNT}:user/bob"
    assert "NoResource" in gap.error


def test_iam_denied_makes_the_account_unknown(clients: Clients) -> None:
    stub = clients.stub("iam")
    stub.add_client_error("get_account_authorization_details", "AccessDenied", http_status_code=403)
    read = reader(clients)
    assert read_iam(read) is None
    [gap] = read.log.gaps
    assert (gap.action, gap.unknown) == ("iam:GetAccountAuthorizationDetails", ACCOUNT)


def test_organization_services(clients: Clients) -> None:
    stub = clients.stub("organizations")
    stub.add_response(
        "list_aws_service_access_for_organization",
        {"EnabledServicePrincipals": [{"ServicePrincipal": "backup.amazonaws.com"}]},
        {},
    )
    stub.add_response(
        "list_delegated_administrators",
        {"DelegatedAdministrators": [{"Id": "333333333333"}]},
        {"ServicePrincipal": "backup.amazonaws.com"},
    )
    read = reader(clients)
    assert _services(read, clients.clients["organizations"]) == {
        "trusted_access": ["backup.amazonaws.com"],
        "delegated_administrators": {"backup.amazonaws.com": ["333333333333"]},
    }
    assert not_allowed(read.log.actions) == {}


def test_plan_rules_and_selections_that_could_not_be_read_are_null_not_empty(
    clients: Clients,
) -> None:
    # Stubber: moto 5.2.6 answers ListBackupSelections with a 500 page, retried ten times.
    from backup_access.collect.backup import _plans

    stub = clients.stub("backup")
    stub.add_response(
        "list_backup_plans",
        {"BackupPlansList": [{"BackupPlanId": "plan-1", "BackupPlanName": "daily"}]},
        {},
    )
    stub.add_client_error("get_backup_plan", "AccessDeniedException", "no GetBackupPlan")
    stub.add_client_error("list_backup_selections", "AccessDeniedException", "no selections")
    read = reader(clients)
    plans = _plans(read, clients.clients["backup"], REGION)
    assert plans == [{"id": "plan-1", "name": "daily", "rules": None, "selections": None}]
    assert {g.action for g in read.log.gaps} == {
        "backup:GetBackupPlan",
        "backup:ListBackupSelections",
    }
