"""AWS Backup's gates that depend on the resource type, Vault Lock and organization settings:
each closes, opens, or says unknown (never assumes) on the example worlds.

Sources: Vault Lock https://docs.aws.amazon.com/aws-backup/latest/devguide/vault-lock.html;
Region opt-in https://docs.aws.amazon.com/aws-backup/latest/devguide/API_DescribeRegionSettings.html;
copy encryption https://docs.aws.amazon.com/aws-backup/latest/devguide/encryption.html#copy-encryption;
OU paths of copy targets
https://docs.aws.amazon.com/aws-backup/latest/devguide/create-cross-account-backup.html;
delegated administrators
https://docs.aws.amazon.com/aws-backup/latest/devguide/manage-cross-account.html.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from backup_access.catalogue import load_catalogue
from backup_access.diagnose import CheckDecision, explain_operation
from backup_access.diagnose.binding import bind
from backup_access.world import load_world

ROOT = Path(__file__).resolve().parents[2]
WORLDS = ROOT / "examples" / "worlds"


def _check(result: Any, check_id: str) -> Any:
    return next(c for c in result.checks if c.id == check_id)


def _world(tmp_path: Path, name: str, patch: Any) -> Any:
    data = yaml.safe_load((WORLDS / name / "world.yaml").read_text())
    patch(data)
    path = tmp_path / "world.yaml"
    path.write_text(yaml.safe_dump(data))
    return load_world(path)


def test_copy_target_org_paths_is_the_destination_accounts_ou_path() -> None:
    world = load_world(WORLDS / "copy-by-resource-type")
    binding = bind(
        world,
        load_catalogue().operation("copy"),
        {
            "caller": "arn:aws:iam::111111111111:role/BackupOperator",
            "role": "arn:aws:iam::111111111111:role/service-role/BackupCopyRole",
            "resource_type": "EFS",
            "source_vault": "arn:aws:backup:us-east-1:111111111111:backup-vault:efs",
            "destination_vault": "arn:aws:backup:us-east-1:333333333333:backup-vault:sandbox",
        },
    )
    assert binding.fill("{destination_vault.org_path}") == "o-c3d4e5f6a7/r-c3d4/ou-c3d4-33333333/"
    # without a recovery point, the pattern of any EFS recovery point of the source vault
    assert binding.values["recovery_point"] == (
        "arn:aws:backup:us-east-1:111111111111:recovery-point:*"
    )


def test_unrecorded_opt_in_and_bucket_are_unknown(tmp_path: Path) -> None:
    def patch(data: dict[str, Any]) -> None:
        del data["accounts"]["111111111111"]["regions"]["us-east-1"]["backup"]["opt_in"]
        del data["accounts"]["111111111111"]["s3"]

    world = _world(tmp_path, "backup-by-resource-type", patch)
    result = explain_operation(
        world,
        "backup",
        {
            "caller": "arn:aws:iam::111111111111:role/BackupOperator",
            "role": "arn:aws:iam::111111111111:role/service-role/S3BackupRole",
            "vault": "arn:aws:backup:us-east-1:111111111111:backup-vault:main",
            "resource": "arn:aws:s3:::versioned-data",
        },
    )
    assert _check(result, "backup.type-opted-in").decision is CheckDecision.UNKNOWN
    assert _check(result, "backup.s3-bucket-versioned").decision is CheckDecision.UNKNOWN
    assert any("describe-region-settings" in m for m in result.missing)


def test_a_compliance_lock_without_a_recorded_lock_date_is_unknown() -> None:
    world = load_world(WORLDS / "vault-lock")
    result = explain_operation(
        world,
        "delete-vault-lock",
        {
            "caller": "arn:aws:iam::111111111111:role/VaultAdmin",
            "vault": "arn:aws:backup:us-east-1:111111111111:backup-vault:airgap",
        },
    )
    gate = _check(result, "delete-vault-lock.lock-removable")
    assert gate.decision is CheckDecision.UNKNOWN and "lock date" in gate.reason


def test_lag_vault_is_locked_even_without_a_recorded_lock(tmp_path: Path) -> None:
    def patch(data: dict[str, Any]) -> None:
        vaults = data["accounts"]["111111111111"]["regions"]["us-east-1"]["backup"]["vaults"]
        del vaults["airgap"]["lock"]
        vaults["airgap"]["recovery_points"] = [
            "arn:aws:backup:us-east-1:111111111111:recovery-point:lag-1"
        ]

    world = _world(tmp_path, "vault-lock", patch)
    result = explain_operation(
        world,
        "delete-recovery-point",
        {
            "caller": "arn:aws:iam::111111111111:role/VaultAdmin",
            "vault": "arn:aws:backup:us-east-1:111111111111:backup-vault:airgap",
            "recovery_point": "arn:aws:backup:us-east-1:111111111111:recovery-point:lag-1",
            "resource_type": "EFS",
        },
    )
    gate = _check(result, "delete-recovery-point.vault-lock")
    assert gate.decision is CheckDecision.DENIED and "compliance" in gate.reason


def test_trusted_access_and_delegated_admin_setting(tmp_path: Path) -> None:
    def off(data: dict[str, Any]) -> None:
        data["organization"]["trusted_access"] = []
        data["organization"]["backup_delegated_admin_enabled"] = False

    caller = {"caller": "arn:aws:iam::555555555555:role/BackupAuditor", "region": "us-east-1"}
    result = explain_operation(_world(tmp_path, "org-monitoring", off), "org-monitoring", caller)
    assert _check(result, "org-monitoring.trusted-access").decision is CheckDecision.DENIED
    setting = _check(result, "org-monitoring.delegated-admin-setting")
    assert setting.decision is CheckDecision.DENIED
    assert "isDelegatedAdministratorEnabled" in setting.reason

    def unrecorded(data: dict[str, Any]) -> None:
        for key in ("trusted_access", "delegated_administrators", "backup_delegated_admin_enabled"):
            del data["organization"][key]

    (tmp_path / "b").mkdir()
    result = explain_operation(
        _world(tmp_path / "b", "org-monitoring", unrecorded), "org-monitoring", caller
    )
    unknown = [c.id for c in result.checks if c.decision is CheckDecision.UNKNOWN]
    assert unknown == [
        "org-monitoring.trusted-access",
        "org-monitoring.administrator-account",
        "org-monitoring.delegated-admin-setting",
    ]


def test_destination_key_not_in_the_world_is_unknown_for_a_snapshot(tmp_path: Path) -> None:
    def patch(data: dict[str, Any]) -> None:
        del data["accounts"]["222222222222"]["regions"]["us-east-1"]["kms"]

    world = _world(tmp_path, "copy-by-resource-type", patch)
    result = explain_operation(
        world,
        "copy",
        {
            "caller": "arn:aws:iam::111111111111:role/BackupOperator",
            "role": "arn:aws:iam::111111111111:role/service-role/BackupCopyRole",
            "recovery_point": "arn:aws:ec2:us-east-1::snapshot/snap-0c0000000000000c1",
            "source_vault": "arn:aws:backup:us-east-1:111111111111:backup-vault:workloads",
            "destination_vault": "arn:aws:backup:us-east-1:222222222222:backup-vault:central",
        },
    )
    gate = _check(result, "copy.destination-key-for-type")
    assert gate.decision is CheckDecision.UNKNOWN and "aws/backup" in gate.reason
