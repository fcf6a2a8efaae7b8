"""World file parts that describe AWS Backup's own state beyond policies: a vault's Vault Lock
and recovery points, a Region's Backup settings, and an account's S3 buckets.

Shapes (all optional; anything not recorded is unknown, never assumed)::

    vaults: {NAME: {lock: {mode: governance|compliance, min_retention_days: 7,
                           max_retention_days: 365, immutable: true},
                    recovery_points: [ID-or-ARN, {id: ID-or-ARN, resource_type: EBS,
                                                  key: KEY-ARN}]}}
    backup: {opt_in: {EBS: true, S3: false}, full_management: {DynamoDB: true}}
    s3: {buckets: {NAME: {versioning: enabled|suspended|disabled}}}
    ec2: {allowed_images: {state: enabled|audit-mode|disabled, providers: [amazon, "ACCOUNT"],
                           managed_by: account|declarative-policy}}
    organization: {trusted_access: [backup.amazonaws.com],
                   delegated_administrators: {backup.amazonaws.com: ["ACCOUNT"]},
                   backup_delegated_admin_enabled: true}

Sources: Vault Lock (https://docs.aws.amazon.com/aws-backup/latest/devguide/vault-lock.html),
Region settings (https://docs.aws.amazon.com/aws-backup/latest/devguide/API_DescribeRegionSettings.html),
S3 versioning (https://docs.aws.amazon.com/aws-backup/latest/devguide/s3-backups.html),
EC2 Allowed AMIs (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_GetAllowedImagesSettings.html).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from backup_access.errors import RequestError
from backup_access.fields import (
    at,
    boolean,
    check_keys,
    listed,
    mapping,
    optional_text,
    string_or_number,
    text,
)
from backup_access.world.model import AllowedImages, Bucket, LockMode, RecoveryPoint, VaultLock

_LOCK_KEYS = frozenset({"mode", "min_retention_days", "max_retention_days", "immutable"})
_POINT_KEYS = frozenset({"id", "resource_type", "key"})
_BUCKET_KEYS = frozenset({"versioning"})
_VERSIONING = ("enabled", "suspended", "disabled")


def _days(value: object, pointer: str, what: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise RequestError(f"{what} must be a whole number of days", pointer=pointer)
    return value


def parse_lock(raw: object, pointer: str) -> VaultLock | None:
    if raw is None:
        return None
    data = mapping(raw, pointer, "a vault lock")
    check_keys(data, _LOCK_KEYS, pointer)
    mode = data.get("mode")
    if mode not in ("governance", "compliance"):
        raise RequestError("'mode' must be governance or compliance", pointer=at(pointer, "mode"))
    low = _days(data.get("min_retention_days"), at(pointer, "min_retention_days"), "min")
    high = _days(data.get("max_retention_days"), at(pointer, "max_retention_days"), "max")
    if low is not None and high is not None and low > high:
        raise RequestError("min_retention_days is above max_retention_days", pointer=pointer)
    return VaultLock(
        mode=LockMode(mode),
        min_retention_days=low,
        max_retention_days=high,
        immutable=boolean(data.get("immutable"), at(pointer, "immutable"), "immutable"),
    )


def parse_points(raw: object, pointer: str) -> tuple[tuple[str, ...], dict[str, RecoveryPoint]]:
    """``recovery_points``: each entry an id/ARN, or a mapping with its details."""
    if raw is None:
        return (), {}
    if not isinstance(raw, list):
        raise RequestError("recovery_points must be a list", pointer=pointer)
    refs: list[str] = []
    points: dict[str, RecoveryPoint] = {}
    for index, item in enumerate(raw):
        where = at(pointer, index)
        if isinstance(item, str):
            refs.append(text(item, where, "a recovery point"))
            continue
        data = mapping(item, where, "a recovery point")
        check_keys(data, _POINT_KEYS, where)
        ref = text(data.get("id"), at(where, "id"), "id")
        refs.append(ref)
        points[ref] = RecoveryPoint(
            ref=ref,
            resource_type=optional_text(
                data.get("resource_type"), at(where, "resource_type"), "resource_type"
            ),
            key=optional_text(data.get("key"), at(where, "key"), "key"),
        )
    return tuple(refs), points


def parse_flags(raw: object, pointer: str, what: str) -> dict[str, bool]:
    """A resource type -> true/false map (Region opt-in or full-management settings)."""
    out: dict[str, bool] = {}
    for name, value in mapping(raw, pointer, what).items():
        flag = boolean(value, at(pointer, name), f"{what} of {name}")
        if flag is None:
            raise RequestError(f"{what} of {name} must be true or false", pointer=pointer)
        out[name] = flag
    return out


def parse_buckets(raw: Mapping[str, Any], pointer: str) -> dict[str, Bucket]:
    """``s3: {buckets: {NAME: {versioning: …}}}``."""
    check_keys(raw, frozenset({"buckets"}), pointer)
    buckets_at = at(pointer, "buckets")
    out: dict[str, Bucket] = {}
    for name, item in mapping(raw.get("buckets"), buckets_at, "buckets").items():
        where = at(buckets_at, name)
        data = mapping(item, where, "a bucket")
        check_keys(data, _BUCKET_KEYS, where)
        versioning = data.get("versioning")
        if versioning is not None and versioning not in _VERSIONING:
            raise RequestError(
                f"'versioning' must be one of {', '.join(_VERSIONING)}",
                pointer=at(where, "versioning"),
            )
        out[name] = Bucket(name=name, versioning=versioning)
    return out


SERVICE_KEYS = ("trusted_access", "delegated_administrators", "backup_delegated_admin_enabled")


def parse_org_services(data: Mapping[str, Any], pointer: str) -> dict[str, Any]:
    """The organization's service integrations: trusted access, delegated administrators and
    AWS Backup's isDelegatedAdministratorEnabled (absent keys stay None: not recorded)."""
    out: dict[str, Any] = {}
    if "trusted_access" in data:
        here = at(pointer, "trusted_access")
        raw = data["trusted_access"]
        if not isinstance(raw, list) or not all(isinstance(v, str) and v for v in raw):
            raise RequestError("trusted_access is a list of service principals", pointer=here)
        out["trusted_access"] = tuple(raw)
    if "delegated_administrators" in data:
        here = at(pointer, "delegated_administrators")
        admins: dict[str, tuple[str, ...]] = {}
        raw_admins = mapping(data["delegated_administrators"], here, "delegated_administrators")
        for service, accounts in raw_admins.items():
            where = at(here, service)
            if not isinstance(accounts, list) or not all(isinstance(a, str) for a in accounts):
                raise RequestError("a list of account ids (quoted)", pointer=where)
            admins[service] = tuple(accounts)
        out["delegated_administrators"] = admins
    if "backup_delegated_admin_enabled" in data:
        here = at(pointer, "backup_delegated_admin_enabled")
        out["backup_delegated_admin_enabled"] = boolean(
            data["backup_delegated_admin_enabled"], here, "backup_delegated_admin_enabled"
        )
    return out


_IMAGE_STATES = ("enabled", "audit-mode", "disabled")
IMAGE_MANAGERS = ("account", "declarative-policy")  # GetAllowedImagesSettings' ManagedBy


def parse_allowed_images(raw: object, pointer: str) -> AllowedImages | None:
    """``ec2: {allowed_images: {state, providers, managed_by}}`` (GetAllowedImagesSettings:
    State, the ImageProviders of its ImageCriteria, ManagedBy); absent: not recorded."""
    if raw is None:
        return None
    data = mapping(raw, pointer, "allowed_images")
    check_keys(data, frozenset({"state", "providers", "managed_by"}), pointer)
    managed_by = data.get("managed_by")
    if managed_by is not None and managed_by not in IMAGE_MANAGERS:
        raise RequestError(
            f"'managed_by' must be one of {', '.join(IMAGE_MANAGERS)}",
            pointer=at(pointer, "managed_by"),
        )
    state = data.get("state")
    if state not in _IMAGE_STATES:
        raise RequestError(
            f"'state' must be one of {', '.join(_IMAGE_STATES)}", pointer=at(pointer, "state")
        )
    providers_at = at(pointer, "providers")
    raw_providers = listed(data, "providers", pointer, "a list")
    providers = tuple(
        string_or_number(item, at(providers_at, i), "a provider")
        for i, item in enumerate(raw_providers)
    )
    return AllowedImages(
        state=str(state),
        providers=providers,
        managed_by=None if managed_by is None else str(managed_by),
    )
