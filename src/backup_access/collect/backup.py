"""One Region of one account's AWS Backup: vaults (standard and logically air-gapped) with
access policy, Vault Lock, tags and recovery points; Region settings; plans and selections.

Sources: ListBackupVaults, GetBackupVaultAccessPolicy, ListTags,
ListRecoveryPointsByBackupVault, DescribeRegionSettings, ListBackupPlans, GetBackupPlan,
ListBackupSelections (https://docs.aws.amazon.com/aws-backup/latest/devguide/API_Operations_AWS_Backup.html).
AWS's page says ``ByVaultType`` "sorts" the list; whether a plain call includes logically
air-gapped vaults is not stated, so both are asked for and merged by ARN.
Vault Lock (https://docs.aws.amazon.com/aws-backup/latest/devguide/vault-lock.html): a lock
with a lock date is in compliance mode (it was created with ChangeableForDays), one without
is in governance mode; a compliance lock past its lock date is immutable.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from backup_access.collect.calls import MISSING, Gap, Missing, Reader
from backup_access.collect.policy_text import POLICY_TEXT, decode_policy
from backup_access.errors import InputError
from backup_access.fields import policy as check_policy
from backup_access.policy.layer import Layer

_LAG = "LOGICALLY_AIR_GAPPED_BACKUP_VAULT"
_NO_POLICY = ("ResourceNotFoundException",)


@dataclass
class BackupPart:
    """A Region's ``backup`` section, the keys its vaults and points use, and what the world
    has no place for (plans and selections, kept in the manifest)."""

    vaults: dict[str, dict[str, Any]] = field(default_factory=dict)
    opt_in: dict[str, bool] = field(default_factory=dict)
    full_management: dict[str, bool] = field(default_factory=dict)
    keys: set[str] = field(default_factory=set)  # KMS key ARNs used by vaults and points
    plans: list[dict[str, Any]] = field(default_factory=list)

    def section(self) -> dict[str, Any]:
        out: dict[str, Any] = {"vaults": self.vaults}
        if self.opt_in:
            out["opt_in"] = self.opt_in
        if self.full_management:
            out["full_management"] = self.full_management
        return out


def _lock(item: dict[str, Any], now: dt.datetime) -> dict[str, Any] | None:
    if not item.get("Locked") and item.get("MinRetentionDays") is None:
        return None
    lock_date = item.get("LockDate")
    lock: dict[str, Any] = {"mode": "compliance" if lock_date is not None else "governance"}
    for field_name, key in (
        ("MinRetentionDays", "min_retention_days"),
        ("MaxRetentionDays", "max_retention_days"),
    ):
        if item.get(field_name) is not None:
            lock[key] = int(item[field_name])
    if isinstance(lock_date, dt.datetime):
        lock["immutable"] = lock_date <= now
    return lock


def _vault_list(reader: Reader, client: Any, region: str) -> dict[str, dict[str, Any]] | None:
    found: dict[str, dict[str, Any]] = {}
    for params in ({}, {"ByVaultType": _LAG}):
        items = reader.pages(
            client,
            "list_backup_vaults",
            "BackupVaultList",
            part="backup vaults",
            region=region,
            **params,
        )
        if isinstance(items, Missing):
            if params:  # the plain list was read; only the air-gapped ones are missing
                continue
            return None
        for item in items:
            found.setdefault(item["BackupVaultArn"], item)
    return {item["BackupVaultName"]: item for item in found.values()}


def _access_policy(reader: Reader, client: Any, region: str, name: str, arn: str) -> Any:
    """The vault's access policy document, None when it has none, ``MISSING`` when unknown."""
    answer = reader.call(
        client,
        "get_backup_vault_access_policy",
        part=f"access policy of vault {name}",
        region=region,
        unknown=arn,
        absent=_NO_POLICY,
        BackupVaultName=name,
    )
    if answer is None or answer is MISSING:
        return answer
    text = answer.get("Policy")
    if not text:
        return None
    try:
        doc = decode_policy(text, source=POLICY_TEXT)
        check_policy(doc, "", Layer.RESOURCE)
    except InputError as error:
        reader.log.add_gap(
            Gap(
                reader.account, region, f"access policy of vault {name}", "(parse)", str(error), arn
            )
        )
        return MISSING
    return doc


def _points(
    reader: Reader, client: Any, region: str, name: str, limit: int
) -> list[dict[str, Any]] | None:
    if limit <= 0:
        return None
    items = reader.pages(
        client,
        "list_recovery_points_by_backup_vault",
        "RecoveryPoints",
        part=f"recovery points of vault {name}",
        region=region,
        BackupVaultName=name,
        PaginationConfig={"MaxItems": limit},
    )
    if isinstance(items, Missing):
        return None
    out = []
    for item in items:
        point: dict[str, Any] = {"id": item["RecoveryPointArn"]}
        if item.get("ResourceType"):
            point["resource_type"] = item["ResourceType"]
        if item.get("EncryptionKeyArn"):
            point["key"] = item["EncryptionKeyArn"]
        out.append(point)
    return out


def _vault(
    reader: Reader, client: Any, region: str, item: dict[str, Any], now: dt.datetime, limit: int
) -> tuple[dict[str, Any], set[str]]:
    name, arn = item["BackupVaultName"], item["BackupVaultArn"]
    vault: dict[str, Any] = {
        "type": "logically_air_gapped" if item.get("VaultType") == _LAG else "standard"
    }
    keys: set[str] = set()
    if item.get("EncryptionKeyArn"):
        vault["key"] = item["EncryptionKeyArn"]
        keys.add(item["EncryptionKeyArn"])
    lock = _lock(item, now)
    if lock is not None:
        vault["lock"] = lock
    policy = _access_policy(reader, client, region, name, arn)
    if policy is not None and policy is not MISSING:
        vault["access_policy"] = policy
    tags = reader.call(
        client,
        "list_tags",
        part=f"tags of vault {name}",
        region=region,
        unknown=arn,
        ResourceArn=arn,
    )
    if tags is not None and tags is not MISSING and tags.get("Tags"):
        vault["tags"] = dict(tags["Tags"])
    points = _points(reader, client, region, name, limit)
    if points:
        vault["recovery_points"] = points
        keys.update(p["key"] for p in points if "key" in p)
    return vault, keys


def _region_settings(reader: Reader, client: Any, region: str, part: BackupPart) -> None:
    answer = reader.call(client, "describe_region_settings", part="Region settings", region=region)
    if answer is None or answer is MISSING:
        return
    part.opt_in = {k: bool(v) for k, v in (answer.get("ResourceTypeOptInPreference") or {}).items()}
    part.full_management = {
        k: bool(v) for k, v in (answer.get("ResourceTypeManagementPreference") or {}).items()
    }


def _plans(reader: Reader, client: Any, region: str) -> list[dict[str, Any]]:
    listed = reader.pages(
        client, "list_backup_plans", "BackupPlansList", part="backup plans", region=region
    )
    if isinstance(listed, Missing):
        return []
    out = []
    for item in listed:
        plan_id, name = item["BackupPlanId"], item.get("BackupPlanName")
        # rules and selections stay None (null) when they could not be read: [] would
        # read as "none" (the gap says why)
        plan: dict[str, Any] = {"id": plan_id, "name": name, "rules": None, "selections": None}
        detail = reader.call(
            client,
            "get_backup_plan",
            part=f"backup plan {name}",
            region=region,
            BackupPlanId=plan_id,
        )
        if detail is not None and detail is not MISSING:
            plan["rules"] = []
            for rule in (detail.get("BackupPlan") or {}).get("Rules") or []:
                plan["rules"].append(
                    {
                        "name": rule.get("RuleName"),
                        "target_vault": rule.get("TargetBackupVaultName"),
                        "copy_to": [
                            c.get("DestinationBackupVaultArn")
                            for c in rule.get("CopyActions") or []
                        ],
                    }
                )
        selections = reader.pages(
            client,
            "list_backup_selections",
            "BackupSelectionsList",
            part=f"selections of backup plan {name}",
            region=region,
            BackupPlanId=plan_id,
        )
        if not isinstance(selections, Missing):
            plan["selections"] = [
                {"name": s.get("SelectionName"), "role": s.get("IamRoleArn")} for s in selections
            ]
        out.append(plan)
    return out


def read_backup(
    reader: Reader, region: str, *, now: dt.datetime, recovery_point_limit: int
) -> BackupPart:
    """A Region's AWS Backup state; what could not be read is a gap, the rest is kept."""
    client = reader.client("backup", region)
    part = BackupPart()
    vaults = _vault_list(reader, client, region)
    for name, item in sorted((vaults or {}).items()):
        vault, keys = _vault(reader, client, region, item, now, recovery_point_limit)
        part.vaults[name] = vault
        part.keys |= keys
    _region_settings(reader, client, region, part)
    part.plans = _plans(reader, client, region)
    return part


@dataclass(frozen=True, slots=True)
class GlobalSettings:
    """AWS Backup's organization-wide settings (DescribeGlobalSettings, management account);
    None where a setting could not be read."""

    cross_account_backup: bool | None = None
    delegated_admin_enabled: bool | None = None


def _flag(settings: dict[str, Any], name: str) -> bool | None:
    value = settings.get(name)
    return None if value is None else str(value).lower() == "true"


def read_global_settings(reader: Reader, region: str) -> GlobalSettings:
    """isCrossAccountBackupEnabled and isDelegatedAdministratorEnabled
    (https://docs.aws.amazon.com/aws-backup/latest/devguide/API_DescribeGlobalSettings.html)."""
    client = reader.client("backup", region)
    answer = reader.call(
        client, "describe_global_settings", part="AWS Backup global settings", region=region
    )
    if answer is None or answer is MISSING:
        return GlobalSettings()
    settings = answer.get("GlobalSettings") or {}
    return GlobalSettings(
        cross_account_backup=_flag(settings, "isCrossAccountBackupEnabled"),
        delegated_admin_enabled=_flag(settings, "isDelegatedAdministratorEnabled"),
    )
