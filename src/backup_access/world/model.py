"""The world: an organization and its accounts, as docs/world.md describes them.

Loaders build these immutable objects from world files, AWS CLI output or the live
collector; everything downstream (resolver, diagnosis, fixes) reads only these types.
``source`` and ``pointer`` say where each object was defined, for messages.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from backup_access.engine.model import Grant
from backup_access.policy.layer import Layer
from backup_access.policy.model import Policy


class VaultType(StrEnum):
    STANDARD = "standard"
    LOGICALLY_AIR_GAPPED = "logically_air_gapped"


class KeyManager(StrEnum):
    CUSTOMER = "customer"
    AWS = "aws"


class LockMode(StrEnum):
    """AWS Backup Vault Lock modes (https://docs.aws.amazon.com/aws-backup/latest/devguide/vault-lock.html)."""

    GOVERNANCE = "governance"  # users with backup:DeleteBackupVaultLockConfiguration can remove it
    COMPLIANCE = "compliance"  # immutable once its cooling-off period (ChangeableForDays) ends


@dataclass(frozen=True, slots=True)
class Location:
    """Where something was defined: a file and a JSON pointer inside it."""

    source: str = "<world>"
    pointer: str = ""

    def __str__(self) -> str:
        return f"{self.source}#{self.pointer}" if self.pointer else self.source


@dataclass(frozen=True, slots=True)
class OrgPolicy:
    """A policy of the organization; ``type`` is ``Layer.SCP`` or ``Layer.RCP``."""

    name: str
    type: Layer
    document: Policy
    location: Location = field(default_factory=Location)


@dataclass(frozen=True, slots=True)
class OrgUnit:
    """The root (id ``r-…``) or an OU (id ``ou-…``) with what is attached and contained."""

    id: str
    name: str | None
    policies: tuple[str, ...]
    accounts: tuple[str, ...]
    ous: tuple[OrgUnit, ...]
    location: Location = field(default_factory=Location)
    # True when the world gave no ``policies`` list: ``policies`` then holds AWS's default
    # FullAWSAccess, the same assumption made at every level (world/orgchain.py).
    assumed: bool = False


@dataclass(frozen=True, slots=True)
class Organization:
    id: str
    management_account: str | None
    cross_account_backup: bool | None  # None: not recorded in the world
    policies: dict[str, OrgPolicy]
    root: OrgUnit
    location: Location = field(default_factory=Location)
    # Policies attached directly to member accounts (the last level of the org path).
    # An account without an entry is assumed to have AWS's default FullAWSAccess, as a root or
    # OU without a ``policies`` list is (world/orgchain.py).
    account_policies: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # Service principals with trusted access (ListAWSServiceAccessForOrganization), delegated
    # administrators by service principal (ListDelegatedAdministrators), and AWS Backup's
    # isDelegatedAdministratorEnabled global setting; None: not recorded in the world.
    trusted_access: tuple[str, ...] | None = None
    delegated_administrators: dict[str, tuple[str, ...]] | None = None
    backup_delegated_admin_enabled: bool | None = None


@dataclass(frozen=True, slots=True)
class ManagedPolicy:
    """A customer managed policy of an account, or an AWS managed policy from package data."""

    name: str
    arn: str
    document: Policy
    location: Location = field(default_factory=Location)


@dataclass(frozen=True, slots=True)
class Role:
    name: str
    arn: str
    path: str
    trust: Policy | None
    policies: tuple[str, ...]  # managed policy names (account's own) or ARNs (AWS managed)
    inline: dict[str, Policy]
    boundary: str | None
    tags: dict[str, str]
    location: Location = field(default_factory=Location)

    @property
    def service_linked(self) -> bool:
        return self.path.startswith("/aws-service-role/")


@dataclass(frozen=True, slots=True)
class User:
    name: str
    arn: str
    path: str
    groups: tuple[str, ...]
    policies: tuple[str, ...]
    inline: dict[str, Policy]
    boundary: str | None
    tags: dict[str, str]
    location: Location = field(default_factory=Location)


@dataclass(frozen=True, slots=True)
class Group:
    name: str
    arn: str
    policies: tuple[str, ...]
    inline: dict[str, Policy]
    location: Location = field(default_factory=Location)


@dataclass(frozen=True, slots=True)
class VaultLock:
    """A vault's Vault Lock: it blocks deleting recovery points and changing their lifecycle,
    and copy or backup jobs whose retention lies outside [min, max] days. ``immutable``: a
    compliance lock past its lock date (None: not recorded)."""

    mode: LockMode
    min_retention_days: int | None = None
    max_retention_days: int | None = None
    immutable: bool | None = None


@dataclass(frozen=True, slots=True)
class RecoveryPoint:
    """What the world records about one recovery point of a vault: its resource type (EBS,
    EFS, S3, …) and, for a snapshot-backed type, the KMS key of its snapshot (the resource's
    own key, https://docs.aws.amazon.com/aws-backup/latest/devguide/encryption.html)."""

    ref: str  # id or ARN, as listed under recovery_points
    resource_type: str | None = None
    key: str | None = None


@dataclass(frozen=True, slots=True)
class Bucket:
    """An S3 bucket as AWS Backup needs it: versioning must be enabled to back it up."""

    name: str
    versioning: str | None  # "enabled", "suspended", "disabled"; None: not recorded


@dataclass(frozen=True, slots=True)
class Vault:
    name: str
    arn: str
    account: str
    region: str
    key: str | None  # as written: key id, key ARN, alias name or alias ARN; None = aws/backup
    access_policy: Policy | None
    type: VaultType
    shared_with: tuple[str, ...]  # account ids / org / OU ARNs (RAM sharing of LAG vaults)
    location: Location = field(default_factory=Location)
    recovery_points: tuple[str, ...] = ()  # recovery point ids (or ARNs) known to be here
    tags: dict[str, str] = field(default_factory=dict)
    points: dict[str, RecoveryPoint] = field(default_factory=dict)  # details, by id or ARN
    lock: VaultLock | None = None  # None: no Vault Lock recorded (LAG vaults always have one)


@dataclass(frozen=True, slots=True)
class Key:
    key_id: str
    arn: str
    account: str
    region: str
    aliases: tuple[str, ...]  # "alias/name"
    manager: KeyManager
    policy: Policy | None  # None: not recorded in the world (unknown, not "no policy")
    grants: tuple[Grant, ...]
    location: Location = field(default_factory=Location)
    tags: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class AllowedImages:
    """EC2 Allowed AMIs of an account in a Region (GetAllowedImagesSettings): ``state`` is
    ``enabled`` (the criteria apply), ``audit-mode`` or ``disabled`` (they do not);
    ``providers`` the image providers the criteria allow (``amazon``, ``aws-marketplace``,
    ``aws-backup-vault``, account ids, ``none``). An account's own AMIs are always allowed
    (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_GetAllowedImagesSettings.html).
    ``managed_by`` is ``account`` or ``declarative-policy`` (an organization's declarative
    policy sets it and the account cannot change it); None: not recorded."""

    state: str
    providers: tuple[str, ...] = ()
    managed_by: str | None = None


@dataclass(frozen=True, slots=True)
class Region:
    name: str
    vaults: dict[str, Vault]
    keys: dict[str, Key]
    # AWS Backup's Region settings (DescribeRegionSettings): resource type -> opted in, and
    # resource type -> full AWS Backup management; a type not listed is not recorded.
    opt_in: dict[str, bool] = field(default_factory=dict)
    full_management: dict[str, bool] = field(default_factory=dict)
    allowed_images: AllowedImages | None = None  # EC2 Allowed AMIs; None: not recorded


@dataclass(frozen=True, slots=True)
class Account:
    id: str
    name: str | None
    managed_policies: dict[str, ManagedPolicy]
    roles: dict[str, Role]
    users: dict[str, User]
    groups: dict[str, Group]
    regions: dict[str, Region]
    location: Location = field(default_factory=Location)
    buckets: dict[str, Bucket] = field(default_factory=dict)  # S3 buckets, by name


@dataclass(frozen=True, slots=True)
class World:
    organization: Organization | None
    # A world directory's account-<id>.json files are read on first lookup (world/lazy.py).
    accounts: Mapping[str, Account]
    sources: tuple[str, ...] = ()
    # AWS managed policies the world itself carries (e.g. collected), by ARN; they take
    # precedence over the copies shipped with the package.
    aws_managed_policies: dict[str, ManagedPolicy] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()  # doubtful but loadable input, e.g. an unknown key alias
    # Parts a collector could not read (manifest.json): an account id, a resource ARN or
    # "organization" -> why. A question touching one is unknown, never answered as if empty.
    unknown: dict[str, str] = field(default_factory=dict)
    # Loaded from a collector's world directory (it has a manifest.json): nothing is assumed,
    # what the world does not record is unknown.
    collected: bool = False
