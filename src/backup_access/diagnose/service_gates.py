"""AWS Backup's gates that depend on the resource type, on Vault Lock and on Region or
account settings; each names the AWS page it implements.

Where AWS's pages disagree the gate answers unknown and quotes both, rather than pick one.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from backup_access.catalogue import Gate
from backup_access.catalogue.resource_types import Support, load_resource_types
from backup_access.diagnose.binding import AWS_BACKUP_ALIAS, Binding
from backup_access.diagnose.gate_outcome import (
    GateOutcome,
    gate_closed,
    gate_open,
    gate_unknown,
)
from backup_access.diagnose.image_gate import allowed_images
from backup_access.policy.arn import Arn
from backup_access.world import Vault, VaultType
from backup_access.world.lookup import find_key
from backup_access.world.model import LockMode, VaultLock

ENCRYPTION = "https://docs.aws.amazon.com/aws-backup/latest/devguide/encryption.html"
KC_ENCRYPTION = "https://repost.aws/knowledge-center/backup-encryption"
LAG = "https://docs.aws.amazon.com/aws-backup/latest/devguide/logicallyairgappedvault.html"
VAULT_LOCK = "https://docs.aws.amazon.com/aws-backup/latest/devguide/vault-lock.html"
REGION_SETTINGS = (
    "https://docs.aws.amazon.com/aws-backup/latest/devguide/API_DescribeRegionSettings.html"
)
_ACCOUNT = re.compile(r"^(\d{12}|arn:aws[a-z-]*:iam::\d{12}:root)$")
LAG_NO_CROSS_REGION = frozenset({"Aurora", "DocumentDB", "Neptune"})


def _vault(binding: Binding, name: str) -> Vault | GateOutcome:
    vault = binding.vault(name)
    if vault is not None:
        return vault
    return gate_unknown(
        f"vault {binding.values.get(name, name)} is not in the world",
        f"the vault {binding.values.get(name, name)} (aws backup describe-backup-vault)",
    )


def _uses_aws_backup_key(binding: Binding, vault: Vault) -> bool | None:
    """Whether the vault is encrypted with the AWS managed aws/backup key (None: unknown). A
    logically air-gapped vault without a key uses an AWS owned key (LAG page)."""
    if vault.key is None and vault.type is VaultType.LOGICALLY_AIR_GAPPED:
        return False
    ref = vault.key or AWS_BACKUP_ALIAS
    if ref.endswith(AWS_BACKUP_ALIAS):
        return True
    key = find_key(binding.world, vault.account, vault.region, ref)
    if key is None:
        return None
    return AWS_BACKUP_ALIAS in key.aliases


def destination_key_for_type(binding: Binding, destination: str, source: str) -> GateOutcome:
    """A copy of a type AWS Backup does not fully manage cannot be encrypted with aws/backup:
    the destination vault's key "must be a CMK or the managed key of the service that owns the
    underlying resource" (encryption page, copy encryption); fully managed types may use it."""
    vault = _vault(binding, destination)
    if isinstance(vault, GateOutcome):
        return vault
    kind = binding.kind
    label = kind.label if kind is not None else "this"
    uses = _uses_aws_backup_key(binding, vault)
    if uses is None:
        return gate_unknown(
            f"vault {vault.name}'s key {vault.key} is not in the world: whether it is aws/backup "
            "is unknown",
            f"KMS key {vault.key} of {vault.account} in {vault.region} (aws kms describe-key)",
        )
    if not uses:
        return gate_open(f"vault {vault.name} is not encrypted with aws/backup")
    same_account = binding.account(source) == binding.account(destination)
    cross_region = binding.region(source) != binding.region(destination)
    if same_account and cross_region:
        return gate_unknown(
            f"AWS's pages disagree on copying this {label} recovery point into vault {vault.name}, "
            f"encrypted with aws/backup, in another Region: the encryption page ({ENCRYPTION}) "
            "says the destination vault's key must be a customer managed key or the resource "
            "service's AWS managed key (such as aws/ebs), never aws/backup, or the copy fails; "
            f"the knowledge center ({KC_ENCRYPTION}) says cross-Region copies of such types are "
            "encrypted with the destination Region's AWS managed key of the service (aws/ebs) "
            "even into an aws/backup vault. Use a vault with a customer managed key to be sure",
            f"a copy job's result in your account, or a destination vault with a customer "
            f"managed key ({ENCRYPTION}, {KC_ENCRYPTION})",
        )
    return gate_closed(
        f"vault {vault.name} is encrypted with aws/backup, which cannot encrypt a copy of this "
        f"{label} recovery point (a type AWS Backup does not fully manage): use a vault whose "
        "key is customer managed (or, in the same account, the resource service's AWS managed "
        "key)"
    )


def copy_supported(binding: Binding, source: str, destination: str) -> GateOutcome:
    """Whether the type may be copied this way: DynamoDB without advanced backup cannot be
    copied; one copy cross-Region and cross-account at once per the resource type table; LAG
    vaults take no cross-Region copies of Aurora, DocumentDB and Neptune (LAG page)."""
    kind = binding.kind
    types = kind.types if kind is not None else ()
    managed = kind.fully_managed if kind is not None else None
    label = kind.label if kind is not None else "this"
    cross_account = binding.account(source) != binding.account(destination)
    cross_region = binding.region(source) != binding.region(destination)
    table = load_resource_types()
    if [t.name for t in types] == ["DynamoDB"] and managed is False:  # no advanced backup
        support = table.not_copyable
        return gate_closed(f"{support.why} ({', '.join(support.sources)})")
    vaults = [binding.vault(source), binding.vault(destination)]
    lag = any(v is not None and v.type is VaultType.LOGICALLY_AIR_GAPPED for v in vaults)
    if lag and cross_region and any(t.name in LAG_NO_CROSS_REGION for t in types):
        return gate_closed(
            f"cross-Region copies to or from a logically air-gapped vault are not available for "
            f"{label} backups ({LAG})"
        )
    if not (cross_account and cross_region):
        return gate_open(f"a {label} recovery point may be copied this way")
    supports = {t.single_step_copy for t in types}
    if not types and managed:
        supports = {t.single_step_copy for t in table.types.values() if t.fully_managed}
    if len(supports) != 1:
        return gate_unknown(
            "the resource type is unknown, so whether one copy may be both cross-Region and "
            "cross-account is unknown",
            "the resource type (--resource-type)",
        )
    single = supports.pop()
    pages = ", ".join(single.sources)
    if single.support is Support.SUPPORTED:
        return gate_open(
            f"one {label} copy may be both cross-Region and cross-account: {single.why}"
        )
    if single.support is Support.UNKNOWN:
        return gate_unknown(
            f"whether one {label} copy may be both cross-Region and cross-account: {single.why} "
            f"({pages})",
            f"a {label} copy job's result, or copy in two steps ({pages})",
        )
    return gate_closed(f"{single.why} ({pages})")


def _region_settings(binding: Binding, name: str) -> dict[str, bool] | None:
    account, region = binding.account(name), binding.region(name)
    holder = binding.world.accounts.get(account or "")
    if holder is None or region is None or region not in holder.regions:
        return None
    return holder.regions[region].opt_in


def type_opted_in(binding: Binding, vault_name: str) -> GateOutcome:
    """The Region's service opt-in: "Otherwise, AWS Backup does not try to protect that
    service's resources in this Region" (DescribeRegionSettings)."""
    kind = binding.kind
    if kind is None or kind.type is None:
        return gate_unknown("the resource type is unknown", "the resource type (--resource-type)")
    name = kind.type.name
    region = binding.region(vault_name)
    settings = _region_settings(binding, vault_name) or {}
    if name not in settings:
        return gate_unknown(
            f"the world does not record whether {name} is opted in to AWS Backup in {region}",
            f"aws backup describe-region-settings in {region} (ResourceTypeOptInPreference)",
        )
    if settings[name]:
        return gate_open(f"{name} is opted in to AWS Backup in {region}")
    return gate_closed(
        f"{name} is not opted in to AWS Backup in {region} (ResourceTypeOptInPreference "
        f"{name}: false): AWS Backup does not try to protect its resources there, so no job is "
        "created; opt in with aws backup update-region-settings (a plan that assigns the "
        f"resource type explicitly is not affected, {REGION_SETTINGS})"
    )


def lag_key_not_aws_managed(binding: Binding, name: str) -> GateOutcome:
    """A logically air-gapped vault is encrypted with an AWS owned key or a customer managed
    key, never an AWS managed one (LAG page)."""
    value = binding.values.get(name)
    if value is None:
        return gate_open("no key given: the vault uses an AWS owned key")
    customer = binding.is_customer_key(name)
    if customer is None:
        return gate_unknown(
            f"KMS key {value} is not in the world: whether it is customer managed is unknown",
            f"KMS key {value} (aws kms describe-key: KeyManager)",
        )
    if customer:
        return gate_open(f"{value} is a customer managed key")
    return gate_closed(
        f"{value} is an AWS managed key: a logically air-gapped vault takes an AWS owned key "
        "(the default) or a customer managed key"
    )


def shared_with_accounts_only(binding: Binding, name: str) -> GateOutcome:
    """ "The vault cannot be shared with an entire organization, only with accounts within the
    organization" (LAG page)."""
    value = binding.values.get(name, "")
    if _ACCOUNT.match(value):
        return gate_open(f"{value} names an account")
    return gate_closed(
        f"{value} is not an account: a logically air-gapped vault is shared with accounts (in "
        "this organization or another), not with a whole organization or OU"
    )


def lag_sharee_copy(binding: Binding, vault_name: str, caller: str) -> GateOutcome:
    """A sharee copying out of a RAM-shared LAG vault: the LAG page says both no and yes."""
    vault = binding.values.get(vault_name, vault_name)
    return gate_unknown(
        f"AWS's pages disagree on whether account {binding.account(caller)}, with which "
        f"logically air-gapped vault {vault} is shared, may copy out of it: the page's copy "
        'section says accounts the vault is shared with may view or restore a backup "but not '
        'create a copy", while its key policy section describes "copying or restoring from a '
        f'recovery account using RAM/MPA shared logically air-gapped vault" ({LAG}). Restore in '
        "the sharee account, or copy from the vault's own account",
        f"a copy job's result, or AWS's answer ({LAG})",
    )


def _lock(vault: Vault) -> VaultLock | None:
    if vault.lock is None and vault.type is VaultType.LOGICALLY_AIR_GAPPED:
        return VaultLock(LockMode.COMPLIANCE)  # always locked in compliance mode (LAG page)
    return vault.lock


def lock_allows_change(binding: Binding, name: str) -> GateOutcome:
    """Vault Lock prevents deleting a recovery point and changing its lifecycle (vault-lock)."""
    vault = _vault(binding, name)
    if isinstance(vault, GateOutcome):
        return vault
    lock = _lock(vault)
    if lock is None:
        return gate_open(f"vault {vault.name} has no Vault Lock")
    if lock.mode is LockMode.GOVERNANCE:
        remedy = (
            "in governance mode a principal allowed backup:DeleteBackupVaultLockConfiguration can "
            "remove the lock first"
        )
    else:
        remedy = (
            "in compliance mode the lock cannot be removed after its lock date, so the recovery "
            "point stays until its retention ends"
        )
    return gate_closed(
        f"vault {vault.name} has a Vault Lock in {lock.mode} mode: AWS Backup refuses to delete "
        f"its recovery points or change their lifecycle; {remedy} ({VAULT_LOCK})"
    )


def lock_changeable(binding: Binding, name: str) -> GateOutcome:
    """Setting a lock on a vault without one is fine; changing one follows lock_removable."""
    vault = _vault(binding, name)
    if isinstance(vault, GateOutcome):
        return vault
    if _lock(vault) is None:
        return gate_open(f"vault {vault.name} has no Vault Lock yet")
    return lock_removable(binding, name)


def lock_removable(binding: Binding, name: str) -> GateOutcome:
    """A governance lock, or a compliance lock before its lock date, may be deleted; after it a
    compliance lock is immutable (InvalidRequestException, not access denied)."""
    vault = _vault(binding, name)
    if isinstance(vault, GateOutcome):
        return vault
    lock = _lock(vault)
    if lock is None:
        return gate_closed(f"vault {vault.name} has no Vault Lock to delete")
    if lock.mode is LockMode.GOVERNANCE:
        return gate_open(f"vault {vault.name}'s Vault Lock is in governance mode")
    if lock.immutable is None:
        return gate_unknown(
            f"vault {vault.name}'s compliance-mode lock: whether its lock date has passed is "
            "not recorded",
            "aws backup describe-backup-vault (LockDate) → the vault's lock.immutable",
        )
    if lock.immutable:
        return gate_closed(
            f"vault {vault.name}'s compliance-mode Vault Lock is past its lock date: it is "
            "immutable and AWS answers InvalidRequestException, whatever the permissions"
        )
    return gate_open(f"vault {vault.name}'s compliance-mode lock is still in its cooling-off time")


def retention_within_lock(binding: Binding, name: str, days_name: str) -> GateOutcome:
    """Jobs into a locked vault must keep recovery points within [min, max] retention days."""
    vault = _vault(binding, name)
    if isinstance(vault, GateOutcome):
        return vault
    lock = _lock(vault)
    days = int(binding.values[days_name])
    if lock is None:
        return gate_open(f"vault {vault.name} has no Vault Lock")
    low, high = lock.min_retention_days, lock.max_retention_days
    if (low is not None and days < low) or (high is not None and days > high):
        return gate_closed(
            f"a retention of {days} days is outside vault {vault.name}'s Vault Lock range "
            f"[{low if low is not None else 0}, {high if high is not None else '∞'}] days: "
            '"The retention specified in the job is not within the range specified for the '
            f'target Backup Vault" ({VAULT_LOCK})'
        )
    if (low is None or high is None) and vault.type is VaultType.LOGICALLY_AIR_GAPPED:
        return gate_unknown(
            f"vault {vault.name}'s retention range is not recorded",
            "aws backup describe-backup-vault (MinRetentionDays, MaxRetentionDays)",
        )
    return gate_open(f"{days} days is within vault {vault.name}'s Vault Lock range")


def bucket_versioned(binding: Binding, name: str) -> GateOutcome:
    """S3 backups need versioning on the bucket (s3-backups.html)."""
    value = binding.values.get(name, "")
    arn = Arn.parse(value)
    if arn is None or arn.service != "s3":
        return gate_unknown(f"{value} is not an S3 bucket ARN", "the bucket ARN (--resource)")
    bucket = arn.resource.split("/", 1)[0]
    owners = [a for a in binding.world.accounts.values() if bucket in a.buckets]
    if not owners:
        return gate_unknown(
            f"bucket {bucket} is not in the world",
            f"aws s3api get-bucket-versioning --bucket {bucket} → s3.buckets.{bucket}.versioning",
        )
    versioning = owners[0].buckets[bucket].versioning
    if versioning is None:
        return gate_unknown(
            f"bucket {bucket}'s versioning is not recorded",
            f"aws s3api get-bucket-versioning --bucket {bucket}",
        )
    if versioning == "enabled":
        return gate_open(f"bucket {bucket} has versioning enabled")
    return gate_closed(
        f"bucket {bucket} has versioning {versioning}: AWS Backup backs up only S3 buckets with "
        "versioning enabled (aws s3api put-bucket-versioning --versioning-configuration "
        "Status=Enabled)"
    )


def role_exists(binding: Binding, name: str) -> GateOutcome:
    value = binding.values.get(name, "")
    account = binding.account(name) or ""
    holder = binding.world.accounts.get(account)
    if holder is None:
        return gate_unknown(
            f"account {account} is not in the world", f"account {account}'s IAM roles"
        )
    role = value.rsplit("/", 1)[-1]
    if role in holder.roles:
        return gate_open(f"role {role} exists in account {account}")
    return gate_closed(
        f"role {role} does not exist in account {account}: AWS Backup cannot assume it, so the "
        "plan creates no jobs there"
    )


BACKUP_PRINCIPAL = "backup.amazonaws.com"
MONITOR = "https://docs.aws.amazon.com/aws-backup/latest/devguide/manage-cross-account.html"


def trusted_access(binding: Binding) -> GateOutcome:
    """Registering a delegated administrator needs trusted access for the service
    (RegisterDelegatedAdministrator, AWS Organizations API Reference)."""
    organization = binding.world.organization
    if organization is None or organization.trusted_access is None:
        return gate_unknown(
            "the world does not record the organization's trusted access",
            "aws organizations list-aws-service-access-for-organization → "
            "organization.trusted_access",
        )
    if BACKUP_PRINCIPAL in organization.trusted_access:
        return gate_open(f"trusted access is enabled for {BACKUP_PRINCIPAL}")
    return gate_closed(
        f"trusted access is not enabled for {BACKUP_PRINCIPAL} in organization "
        f"{organization.id}: enable it from the management account (aws organizations "
        f"enable-aws-service-access --service-principal {BACKUP_PRINCIPAL}, or the AWS Backup "
        "console's cross-account monitoring setting)"
    )


def _admins(binding: Binding) -> tuple[str, ...] | None:
    organization = binding.world.organization
    if organization is None or organization.delegated_administrators is None:
        return None
    return organization.delegated_administrators.get(BACKUP_PRINCIPAL, ())


def backup_administrator(binding: Binding, name: str) -> GateOutcome:
    """Cross-account monitoring runs from the management account or AWS Backup's delegated
    administrator (manage-cross-account.html)."""
    organization = binding.world.organization
    account = binding.account(name)
    if organization is None:
        return gate_unknown("the world has no organization", "the organization")
    if account is not None and account == organization.management_account:
        return gate_open(f"{account} is the management account")
    admins = _admins(binding)
    if admins is None:
        return gate_unknown(
            "the world does not record AWS Backup's delegated administrators",
            f"aws organizations list-delegated-administrators --service-principal "
            f"{BACKUP_PRINCIPAL} → organization.delegated_administrators",
        )
    if account in admins:
        return gate_open(f"{account} is AWS Backup's delegated administrator")
    return gate_closed(
        f"account {account} is neither the management account nor a delegated administrator "
        f"for {BACKUP_PRINCIPAL} (registered: {', '.join(admins) or 'none'}); register it from "
        f"the management account (aws organizations register-delegated-administrator "
        f"--account-id {account} --service-principal {BACKUP_PRINCIPAL}) ({MONITOR})"
    )


def delegated_admin_setting(binding: Binding, name: str) -> GateOutcome:
    """isDelegatedAdministratorEnabled: "Allow Backup to automatically synchronize delegated
    administrator permissions with Organizations" (DescribeGlobalSettings)."""
    organization = binding.world.organization
    account = binding.account(name)
    if organization is not None and account == organization.management_account:
        return gate_open("the management account needs no delegated administrator setting")
    if organization is None or organization.backup_delegated_admin_enabled is None:
        return gate_unknown(
            "the world does not record AWS Backup's isDelegatedAdministratorEnabled",
            "aws backup describe-global-settings (management account) → "
            "organization.backup_delegated_admin_enabled",
        )
    if organization.backup_delegated_admin_enabled:
        return gate_open("isDelegatedAdministratorEnabled is on")
    return gate_closed(
        "AWS Backup's isDelegatedAdministratorEnabled is off: the delegated administrator's "
        "permissions are not synchronized (aws backup update-global-settings --global-settings "
        "isDelegatedAdministratorEnabled=true, from the management account)"
    )


TypeGate = Callable[..., GateOutcome]
TYPE_GATES: dict[Gate, TypeGate] = {
    Gate.DESTINATION_KEY_FOR_TYPE: destination_key_for_type,
    Gate.COPY_SUPPORTED: copy_supported,
    Gate.TYPE_OPTED_IN: type_opted_in,
    Gate.LAG_KEY_NOT_AWS_MANAGED: lag_key_not_aws_managed,
    Gate.SHARED_WITH_ACCOUNTS_ONLY: shared_with_accounts_only,
    Gate.LAG_SHAREE_COPY: lag_sharee_copy,
    Gate.LOCK_ALLOWS_CHANGE: lock_allows_change,
    Gate.LOCK_REMOVABLE: lock_removable,
    Gate.LOCK_CHANGEABLE: lock_changeable,
    Gate.RETENTION_WITHIN_LOCK: retention_within_lock,
    Gate.BUCKET_VERSIONED: bucket_versioned,
    Gate.ROLE_EXISTS: role_exists,
    Gate.TRUSTED_ACCESS: trusted_access,
    Gate.BACKUP_ADMINISTRATOR: backup_administrator,
    Gate.DELEGATED_ADMIN_SETTING: delegated_admin_setting,
    Gate.ALLOWED_IMAGES: allowed_images,
}
