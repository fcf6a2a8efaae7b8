"""What the catalogue says about an AWS Backup operation: its parameters and its checks.

A check is either a permission the engine evaluates (who, action, resource template) or a
non-policy gate (a setting of the organization, a vault or a key). ``when`` lists the
conditions under which a check applies (cross-account copy, a customer managed key…).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum


class CheckKind(StrEnum):
    PERMISSION = "permission"
    SETTING = "setting"


class Actor(StrEnum):
    """Who makes the request a permission check evaluates."""

    CALLER = "caller"  # the IAM principal calling the API
    SERVICE_ROLE = "service_role"  # the role passed as IamRoleArn, assumed by AWS Backup
    BACKUP_SLR = "backup_slr"  # an account's AWSServiceRoleForBackup
    BACKUP_SERVICE = "backup_service"  # backup.amazonaws.com itself (role trust)
    NONE = "none"  # settings: nobody makes a request


class Predicate(StrEnum):
    """Conditions for a check to apply; each takes the parameter names it compares."""

    SAME_ACCOUNT = "same_account"  # [a, b]
    CROSS_ACCOUNT = "cross_account"  # [a, b]
    SAME_REGION = "same_region"  # [a, b]
    CROSS_REGION = "cross_region"  # [a, b]
    LAG_VAULT = "lag_vault"  # [vault]: a logically air-gapped vault
    STANDARD_VAULT = "standard_vault"  # [vault]
    CUSTOMER_KEY = "customer_key"  # [key]: not AWS managed (or unknown)
    AWS_MANAGED_KEY = "aws_managed_key"  # [key]: AWS managed (or unknown)
    GIVEN = "given"  # [parameter]: an optional parameter was given
    BOUND = "bound"  # [parameter]: a value is known (given, or its default could be filled)
    # The recovery point's (or resource's) type, as the operation's typed_by finds it; when
    # the type is unknown these hold and the check reports unknown (it cannot be decided).
    SNAPSHOT_BACKED = "snapshot_backed"  # []: not fully managed by AWS Backup
    FULLY_MANAGED = "fully_managed"  # []: fully managed (encrypted with its vault's key)
    TYPE_IN = "type_in"  # [TYPE, …]: one of these resource types
    TYPE_KNOWN = "type_known"  # []: the resource type is known (else the check is skipped)
    CROSS_ACCOUNT_OR_REGION = "cross_account_or_region"  # [a, b]
    # [source vault, destination vault]: the copy's AMI is not the destination account's own
    # (another account's vault, or a logically air-gapped source vault, whose AMIs are
    # aws-backup-vault's)
    FOREIGN_IMAGE = "foreign_image"


class Gate(StrEnum):
    """Non-policy gates a setting check evaluates from the world model."""

    CROSS_ACCOUNT_BACKUP_ENABLED = "cross_account_backup_enabled"  # []
    SAME_ORGANIZATION = "same_organization"  # [a, b]
    SAME_ACCOUNT = "same_account"  # [a, b]
    VAULT_EXISTS = "vault_exists"  # [vault]
    VAULT_EMPTY = "vault_empty"  # [vault]
    VAULT_IS_LAG = "vault_is_lag"  # [vault]
    VAULT_NOT_DEFAULT = "vault_not_default"  # [vault]: not "Default", not aws/backup
    KEY_CUSTOMER_MANAGED = "key_customer_managed"  # [key]
    AWS_MANAGED_KEY_OWN_ACCOUNT = "aws_managed_key_own_account"  # [key, principal]
    VAULT_SHARED_WITH = "vault_shared_with"  # [vault, principal]
    DESTINATION_KEY_FOR_TYPE = "destination_key_for_type"  # [destination vault, source vault]
    COPY_SUPPORTED = "copy_supported"  # [source vault, destination vault]
    TYPE_OPTED_IN = "type_opted_in"  # [vault]: the Region's opt-in for the resource type
    LAG_KEY_NOT_AWS_MANAGED = "lag_key_not_aws_managed"  # [key]
    SHARED_WITH_ACCOUNTS_ONLY = "shared_with_accounts_only"  # [principal]
    LAG_SHAREE_COPY = "lag_sharee_copy"  # [vault, caller]: AWS's pages disagree
    LOCK_ALLOWS_CHANGE = "lock_allows_change"  # [vault]: deleting points / lifecycle changes
    LOCK_REMOVABLE = "lock_removable"  # [vault]: the Vault Lock may still be deleted
    LOCK_CHANGEABLE = "lock_changeable"  # [vault]: no lock yet, or one that may still change
    RETENTION_WITHIN_LOCK = "retention_within_lock"  # [vault, retention_days]
    BUCKET_VERSIONED = "bucket_versioned"  # [bucket ARN]
    ROLE_EXISTS = "role_exists"  # [role]
    TRUSTED_ACCESS = "trusted_access"  # []: Organizations trusted access for AWS Backup
    BACKUP_ADMINISTRATOR = "backup_administrator"  # [principal]: management or delegated admin
    DELEGATED_ADMIN_SETTING = "delegated_admin_setting"  # [principal]
    ALLOWED_IMAGES = "allowed_images"  # [destination vault, source vault]: EC2 Allowed AMIs


class ParameterKind(StrEnum):
    """What a parameter names; the diagnosis checks the value's shape accordingly."""

    PRINCIPAL = "principal"  # an IAM principal ARN or account id
    VAULT = "vault"  # arn:aws:backup:R:A:backup-vault:NAME
    ROLE = "role"  # arn:aws:iam::A:role/…
    KEY = "key"  # arn:aws:kms:R:A:key/… or …:alias/…
    RECOVERY_POINT = "recovery_point"  # any recovery point ARN
    PLAN = "plan"  # arn:aws:backup:R:A:backup-plan:ID
    ARN = "arn"  # any ARN
    RESOURCE_TYPE = "resource_type"  # an AWS Backup resource type name (EBS, EFS, S3, …)
    NUMBER = "number"  # a whole number (days)
    REGION = "region"  # a Region name (us-east-1)


@dataclass(frozen=True, slots=True)
class Parameter:
    """An input of an operation; ``--name-with-dashes`` on the command line."""

    name: str
    help: str
    required: bool
    default: str | None = None  # a template, e.g. "{source_vault.key}"
    kind: ParameterKind = ParameterKind.ARN

    @property
    def option(self) -> str:
        return "--" + self.name.replace("_", "-")

    @property
    def metavar(self) -> str:
        """What the option's value is, for --help."""
        return _METAVARS.get(self.kind, "ARN")


_METAVARS = {
    ParameterKind.RESOURCE_TYPE: "TYPE",
    ParameterKind.NUMBER: "DAYS",
    ParameterKind.REGION: "REGION",
}


@dataclass(frozen=True, slots=True)
class Condition:
    predicate: Predicate
    args: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Check:
    """One thing an operation needs. Templates use ``{param}`` or ``{param.attr}``."""

    id: str
    kind: CheckKind
    title: str
    source: str  # URL of the AWS page the requirement comes from
    when: tuple[Condition, ...] = ()
    # permission checks
    actor: Actor = Actor.NONE
    principal: str | None = None
    action: str | None = None
    resource: str | None = None
    resource_policy: str | None = None  # which resource policy applies, in words
    resource_account: str | None = None
    recovery_point_vault: str | None = None
    via_service: str | None = None
    creates: bool = False  # the request creates the resource: it need not be in the world
    context: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # setting checks
    gate: Gate | None = None
    args: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class TypedBy:
    """Where an operation's resource type comes from: its ``resource_type`` parameter, the
    recovery point or resource ARN parameter named here, or the world's record of the point in
    the vault parameter named here."""

    vault: str
    recovery_point: str | None = None
    resource: str | None = None


@dataclass(frozen=True, slots=True)
class Operation:
    name: str
    title: str
    api: str
    source: str
    parameters: tuple[Parameter, ...]
    checks: tuple[Check, ...]
    description: str = ""
    # The Region the API call is sent to (a template, e.g. "{vault.region}"): AWS puts it in
    # aws:RequestedRegion of every request the operation makes on a resource without a Region
    # of its own ("*", IAM roles); a regional resource is acted on in its own Region.
    region: str | None = None
    typed_by: TypedBy | None = None

    def parameter(self, name: str) -> Parameter | None:
        return next((p for p in self.parameters if p.name == name), None)


@dataclass(frozen=True, slots=True)
class Catalogue:
    operations: Mapping[str, Operation]  # loader.LazyOperations: read on first lookup
    sources: dict[str, str]  # tag → URL

    def operation(self, name: str) -> Operation:
        return self.operations[name]

    def check(self, check_id: str) -> Check:
        for operation in self.operations.values():
            for check in operation.checks:
                if check.id == check_id:
                    return check
        raise KeyError(check_id)
