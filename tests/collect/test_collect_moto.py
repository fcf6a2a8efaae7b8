"""``backup-access collect --org`` end to end against moto's server: the world it writes holds
what was created through boto3, and ``simulate --world`` / ``explain`` decide on it.

moto 5.2.6 does not implement some calls the collector makes (GetBackupVaultAccessPolicy,
DescribeGlobalSettings, DescribeRegionSettings, ListRecoveryPointsByBackupVault,
ListBackupSelections, LookupEvents, EC2's GetAllowedImagesSettings): here they show up as
recorded gaps, and the vault whose access policy could not be read is marked unknown; their
parsing is tested with botocore's Stubber in test_collect_stubbed.py and
test_collect_allowed_images.py.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from backup_access.cli import main
from backup_access.world import load_world
from tests.aws.server import MotoEndpoint
from tests.collect.organization import (
    BOUNDARY,
    DENY_VAULT_DELETE,
    GROUP_INLINE,
    INLINE,
    OPERATOR,
    ROLE_PATH,
    TRUST,
    Built,
    build_organization,
)

FAKE_KEY_ID = "AKIAH12FAKEACCESSKEY"
FAKE_SECRET = "h12-fake-secret-value-never-printed"
FAKE_TOKEN = "h12-fake-session-token-never-printed"


@pytest.fixture
def org(aws: MotoEndpoint, monkeypatch: pytest.MonkeyPatch) -> Built:
    """The organization on a clean moto backend, with credentials the tests can look for."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", FAKE_KEY_ID)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", FAKE_SECRET)
    monkeypatch.setenv("AWS_SESSION_TOKEN", FAKE_TOKEN)
    return build_organization()


def collect(out: Path, *extra: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(
        main, ["collect", "--org", "--out", str(out), "--format", "json", *extra]
    )
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def test_collected_world_holds_what_was_created(org: Built, tmp_path: Path) -> None:
    out = tmp_path / "world"
    code, stdout, _ = collect(out)
    assert code == 0
    summary = json.loads(stdout)
    assert summary["accounts"] == {
        org.management: "collected",
        org.prod: "collected",
        org.vault_account: "collected",
    }
    world = load_world(out)
    organization = world.organization
    assert organization is not None
    assert organization.id == org.organization
    assert organization.management_account == org.management
    assert organization.root.id == org.root
    units = {unit.id: unit for unit in organization.root.ous}
    assert set(units) == {org.workloads, org.security}
    assert units[org.workloads].name == "Workloads"
    assert "DenyVaultDelete" in units[org.workloads].policies
    assert [ou.id for ou in units[org.workloads].ous] == [org.prod_ou]
    assert units[org.workloads].ous[0].accounts == (org.prod,)
    assert units[org.security].accounts == (org.vault_account,)
    assert "DenyKmsOutsideOrg" in units[org.security].policies
    assert organization.policies["DenyVaultDelete"].type.value == "scp"
    assert organization.policies["DenyKmsOutsideOrg"].type.value == "rcp"
    assert organization.trusted_access == ("backup.amazonaws.com",)
    # moto refuses backup.amazonaws.com in ListDelegatedAdministrators: a gap, so unknown.
    assert organization.delegated_administrators is None
    raw = json.loads((out / "organization.json").read_text())["organization"]
    assert raw["policies"]["DenyVaultDelete"]["document"] == DENY_VAULT_DELETE

    prod = world.accounts[org.prod]
    assert prod.name == "prod"
    role = prod.roles["BackupAdmin"]
    assert role.path == ROLE_PATH
    assert role.arn == f"arn:aws:iam::{org.prod}:role{ROLE_PATH}BackupAdmin"
    assert role.tags == {"team": "backup"}
    assert role.boundary == "Boundary"
    assert role.policies == ("BackupOperator",)
    assert set(role.inline) == {"List"}
    assert set(prod.managed_policies) == {"BackupOperator", "Boundary"}
    assert prod.users["alice"].groups == ("admins",)
    assert prod.groups["admins"].policies == ("BackupOperator",)
    account_file = json.loads((out / f"account-{org.prod}.json").read_text())
    iam = account_file["accounts"][org.prod]["iam"]
    assert iam["roles"]["BackupAdmin"]["trust"] == TRUST
    assert iam["roles"]["BackupAdmin"]["inline"]["List"] == INLINE
    assert iam["policies"] == {"BackupOperator": OPERATOR, "Boundary": BOUNDARY}
    assert iam["groups"]["admins"]["inline"] == {"Describe": GROUP_INLINE}

    assert {name: b.versioning for name, b in prod.buckets.items()} == {
        "prod-data": "enabled",
        "prod-logs": "disabled",
    }
    region = prod.regions["us-east-1"]
    vault = region.vaults["central"]
    assert vault.arn == org.vault_arn
    key = region.keys[org.key_id]
    assert vault.key == key.arn
    assert key.aliases == ("alias/backup",)
    assert key.manager.value == "customer"
    assert [(g.grantee, g.operations) for g in key.grants] == [(org.grant_grantee, ("Decrypt",))]
    regions = account_file["accounts"][org.prod]["regions"]["us-east-1"]
    assert regions["kms"]["keys"][org.key_id]["policy"] == org.key_policy
    assert regions["backup"]["vaults"]["central"]["lock"] == {
        "mode": "governance",
        "min_retention_days": 7,
    }


def test_manifest_names_the_caller_the_regions_and_what_moto_lacks(
    org: Built, tmp_path: Path
) -> None:
    out = tmp_path / "world"
    assert collect(out)[0] == 0
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["collected_by"] == f"arn:aws:sts::{org.management}:user/moto"
    assert manifest["regions"] == ["us-east-1"]
    assert manifest["collected_at"].endswith("Z")
    missing = {(g["account"], g["action"]) for g in manifest["gaps"]}
    assert (org.prod, "backup:GetBackupVaultAccessPolicy") in missing
    assert (org.management, "backup:DescribeGlobalSettings") in missing
    assert (org.management, "organizations:ListDelegatedAdministrators") in missing
    # A vault whose access policy could not be read is unknown, not "no policy".
    assert org.vault_arn in manifest["unknown"]
    assert "backup:GetBackupVaultAccessPolicy" in manifest["unknown"][org.vault_arn]
    world = load_world(out)
    assert world.unknown[org.vault_arn] == manifest["unknown"][org.vault_arn]
    assert world.organization is not None
    assert world.organization.cross_account_backup is None


def test_simulate_on_the_collected_world_sees_the_scp_on_the_ou(org: Built, tmp_path: Path) -> None:
    out = tmp_path / "world"
    assert collect(out)[0] == 0
    role = f"arn:aws:iam::{org.prod}:role{ROLE_PATH}BackupAdmin"
    denied = CliRunner().invoke(
        main,
        [
            "simulate",
            "--world",
            str(out),
            "--principal",
            role,
            "--action",
            "backup:DeleteBackupVault",
            "--resource",
            org.vault_arn,
            "--format",
            "json",
        ],
    )
    assert denied.exit_code == 0, denied.output
    result = json.loads(denied.stdout)
    assert result["decision"] == "explicit_deny"
    assert result["blocked_by"] == ["scp"]
    assert any(org.vault_arn in line for line in result["missing"])
    listed = CliRunner().invoke(
        main,
        [
            "simulate",
            "--world",
            str(out),
            "--principal",
            role,
            "--action",
            "backup:ListBackupVaults",
            "--resource",
            "*",
            "--format",
            "json",
        ],
    )
    assert json.loads(listed.stdout)["decision"] == "allowed"
    # The management account is exempt from SCPs; a member outside the OU is not affected.
    outside = CliRunner().invoke(
        main,
        [
            "simulate",
            "--world",
            str(out),
            "--principal",
            f"arn:aws:iam::{org.vault_account}:role/OrganizationAccountAccessRole",
            "--action",
            "backup:DeleteBackupVault",
            "--resource",
            org.vault_arn,
            "--format",
            "json",
        ],
    )
    assert "scp" not in json.loads(outside.stdout)["blocked_by"]


def test_explain_on_the_collected_world_denies_through_the_scp(org: Built, tmp_path: Path) -> None:
    out = tmp_path / "world"
    assert collect(out)[0] == 0
    role = f"arn:aws:iam::{org.prod}:role{ROLE_PATH}BackupAdmin"
    result = CliRunner().invoke(
        main,
        [
            "explain",
            "--world",
            str(out),
            "delete-vault",
            "--caller",
            role,
            "--vault",
            org.vault_arn,
            "--format",
            "json",
        ],
    )
    assert result.exit_code == 0, result.output
    answer = json.loads(result.stdout)
    assert answer["verdict"] == "denied"
    check = next(c for c in answer["checks"] if c["action"] == "backup:DeleteBackupVault")
    assert check["decision"] == "explicit_deny"
    assert check["blocked_by"] == ["scp"]


def test_credentials_appear_nowhere(org: Built, tmp_path: Path) -> None:
    out = tmp_path / "world"
    code, stdout, stderr = collect(out)
    assert code == 0
    texts = [stdout, stderr] + [p.read_text() for p in out.rglob("*") if p.is_file()]
    for secret in (FAKE_KEY_ID, FAKE_SECRET, FAKE_TOKEN, "SecretAccessKey", "SessionToken"):
        assert not any(secret in text for text in texts), secret


def test_accounts_option_collects_only_those_members(org: Built, tmp_path: Path) -> None:
    out = tmp_path / "world"
    code, _, _ = collect(out, "--accounts", org.prod)
    assert code == 0
    assert sorted(p.name for p in out.glob("account-*.json")) == [f"account-{org.prod}.json"]
    world = load_world(out)
    assert world.organization is not None  # the whole tree is still there
    assert set(world.accounts) == {org.prod}


def test_one_account_of_an_organization_leaves_its_scps_unknown(org: Built, tmp_path: Path) -> None:
    out = tmp_path / "world"
    result = CliRunner().invoke(main, ["collect", "--out", str(out)])
    assert result.exit_code == 0, result.output
    world = load_world(out)
    assert world.organization is None
    assert set(world.accounts) == {org.management}
    assert org.organization in world.unknown["organization"]
    # the text summary says so too, not only the manifest (--format json)
    assert "part(s) unknown: questions touching them answer unknown:" in result.stderr
    assert f"  organization: account {org.management} is in organization" in result.stderr
    denied = CliRunner().invoke(
        main,
        [
            "simulate",
            "--world",
            str(out),
            "--principal",
            f"arn:aws:iam::{org.management}:role/OrganizationAccountAccessRole",
            "--action",
            "backup:ListBackupVaults",
            "--resource",
            "*",
            "--format",
            "json",
        ],
    )
    missing = json.loads(denied.stdout)["missing"]
    assert any("organization's policies could not be read" in line for line in missing)


def test_an_account_outside_any_organization_has_nothing_unknown(
    aws: MotoEndpoint, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import boto3

    iam = boto3.client("iam", region_name="us-east-1")
    iam.create_role(RoleName="Solo", AssumeRolePolicyDocument=json.dumps(TRUST))
    monkeypatch.delenv("AWS_DEFAULT_REGION")  # no Region configured: --regions decides
    out = tmp_path / "world"
    result = CliRunner().invoke(
        main, ["collect", "--out", str(out), "--regions", "us-east-1,eu-west-1"]
    )
    assert result.exit_code == 0, result.output
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["regions"] == ["eu-west-1", "us-east-1"]
    assert manifest["organization"] is False
    assert "organization" not in manifest["unknown"]
    assert "Solo" in load_world(out).accounts["123456789012"].roles
