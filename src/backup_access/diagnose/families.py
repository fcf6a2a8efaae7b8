"""The families of messages AWS Backup users get, what each means, and its likely causes.

One row per family: how it is recognised (lower-case phrases, all of which must occur; any
of the alternatives), whether it is a permission problem at all, what it means, the page or
public report it is taken from, and its causes ranked most likely first. A cause points at a
catalogue check by operation and action or gate (so catalogue ids can change), or stands on
its own when no catalogue check describes it (a vault that does not exist, a provider bug).
Matching is plain substring search: linear in the text.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from backup_access.catalogue import Actor, Gate
from backup_access.engine.model import Layer


class MessageKind(StrEnum):
    ACCESS_DENIED = "access_denied"  # AWS denied a request (the request may be unnamed)
    ENCODED = "encoded"  # an encoded authorization failure message: decode it first
    GATE = "gate"  # an AWS Backup job / API message naming a cause outside IAM policies
    NOT_PERMISSION = "not_permission"  # an error that is not about access at all
    UNRECOGNISED = "unrecognised"


class MessageGate(StrEnum):
    """Non-policy causes AWS Backup names in its job messages."""

    CROSS_ACCOUNT_BACKUP_DISABLED = "cross_account_backup_disabled"
    NOT_SAME_ORGANIZATION = "not_same_organization"
    DESTINATION_VAULT_DEFAULT_KEY = "destination_vault_default_key"
    AWS_MANAGED_KEY_NOT_SHAREABLE = "aws_managed_key_not_shareable"
    KMS_KEY_INACCESSIBLE = "kms_key_inaccessible"
    DEFAULT_KEY_NOT_ACCESSIBLE = "default_key_not_accessible"
    ROLE_NOT_ASSUMABLE = "role_not_assumable"
    ROLE_INSUFFICIENT_PERMISSIONS = "role_insufficient_permissions"
    RESOURCE_DESCRIBE_DENIED = "resource_describe_denied"
    BACKUP_SERVICE_ACCESS_DENIED = "backup_service_access_denied"
    SELECTION_ROLE_CANNOT_LIST_TAGS = "selection_role_cannot_list_tags"
    VAULT_POLICY_SHARING_RESTRICTED = "vault_policy_sharing_restricted"
    RECOVERY_POINT_NOT_CREATED = "recovery_point_not_created"
    RETENTION_OUT_OF_RANGE = "retention_out_of_range"
    UNSUPPORTED_FEATURE = "unsupported_feature"
    SOURCE_AMI_NOT_FOUND = "source_ami_not_found"


class MessageFamily(StrEnum):
    IAM_NOT_AUTHORIZED = "iam_not_authorized"
    DECODED_AUTHORIZATION = "decoded_authorization"
    ENCODED_AUTHORIZATION = "encoded_authorization"
    EMPTY_ACCESS_DENIED = "empty_access_denied"
    GENERIC_ACCESS_DENIED = "generic_access_denied"
    INSUFFICIENT_PRIVILEGES = "insufficient_privileges"
    KMS_CIPHERTEXT_KEY = "kms_ciphertext_key"
    RDS_KMS_KEY_NOT_ACCESSIBLE = "rds_kms_key_not_accessible"
    DEFAULT_KEY_NOT_ACCESSIBLE = "default_key_not_accessible"
    KMS_KEY_INACCESSIBLE = "kms_key_inaccessible"
    SELECTION_TAG_GET_RESOURCES = "selection_tag_get_resources"
    CROSS_ACCOUNT_SHARING_RESTRICTIONS = "cross_account_sharing_restrictions"
    CROSS_ACCOUNT_BACKUP_DISABLED = "cross_account_backup_disabled"
    NOT_SAME_ORGANIZATION = "not_same_organization"
    DESTINATION_VAULT_DEFAULT_KEY = "destination_vault_default_key"
    AWS_MANAGED_KEY_NOT_SHAREABLE = "aws_managed_key_not_shareable"
    ROLE_NOT_ASSUMABLE = "role_not_assumable"
    ROLE_INSUFFICIENT_PERMISSIONS = "role_insufficient_permissions"
    RESOURCE_DESCRIBE_DENIED = "resource_describe_denied"
    BACKUP_SERVICE_ACCESS_DENIED = "backup_service_access_denied"
    RECOVERY_POINT_NOT_CREATED = "recovery_point_not_created"
    RETENTION_OUT_OF_RANGE = "retention_out_of_range"
    UNSUPPORTED_FEATURE = "unsupported_feature"
    SOURCE_AMI_NOT_FOUND = "source_ami_not_found"
    VAULT_NOT_EMPTY = "vault_not_empty"
    MANAGED_BY_BACKUP = "managed_by_backup"
    UNSUPPORTED_RESOURCE_TYPE = "unsupported_resource_type"
    INVALID_SELECTION = "invalid_selection"
    TERRAFORM_EMPTY_RESULT = "terraform_empty_result"
    UNRECOGNISED = "unrecognised"


class Confirm(StrEnum):
    """Which read-only commands confirm a cause that is not a catalogue check."""

    VAULT_EXISTS = "vault_exists"
    VAULT_POLICY = "vault_policy"
    VAULT_RECOVERY_POINTS = "vault_recovery_points"
    VAULT_LOCK = "vault_lock"
    KEY_POLICY = "key_policy"
    KEY_MANAGER = "key_manager"
    ROLE_TRUST = "role_trust"
    ROLE_POLICIES = "role_policies"
    CALLER_POLICIES = "caller_policies"
    GLOBAL_SETTINGS = "global_settings"
    ORGANIZATION = "organization"
    RAM_SHARES = "ram_shares"
    TERRAFORM_PROVIDER = "terraform_provider"
    JOB = "job"
    DECODE = "decode"
    NONE = "none"


@dataclass(frozen=True, slots=True)
class CheckRef:
    """A catalogue check found by what it checks, so renamed ids still resolve."""

    operation: str
    action: str | None = None
    gate: Gate | None = None
    actor: Actor | None = None  # when several checks of the operation share the action


@dataclass(frozen=True, slots=True)
class Hint:
    """One likely cause of a family, with why it is ranked where it is."""

    title: str
    layer: str  # a Layer value, "setting" for non-policy gates, "none" for no permission
    why: str
    check: CheckRef | None = None
    confirm: Confirm = Confirm.NONE


@dataclass(frozen=True, slots=True)
class Family:
    family: MessageFamily
    kind: MessageKind
    meaning: str
    sources: tuple[str, ...]
    phrases: tuple[tuple[str, ...], ...] = ()  # any alternative whose phrases all occur
    gate: MessageGate | None = None
    permission_problem: bool = True
    operations: tuple[str, ...] = ()  # catalogue operations the message is about
    hints: tuple[Hint, ...] = ()
    todo: str = ""


IAM_TS = "https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html"
DG_VAULT = "https://docs.aws.amazon.com/aws-backup/latest/devguide/create-a-vault.html"
DG_XACCT = "https://docs.aws.amazon.com/aws-backup/latest/devguide/create-cross-account-backup.html"
DG_ROLES = "https://docs.aws.amazon.com/aws-backup/latest/devguide/iam-service-roles.html"
KC_KEY = "https://repost.aws/knowledge-center/backup-cross-account-copy-error"
KC_XCOPY = "https://repost.aws/knowledge-center/backup-troubleshoot-cross-account-copy"
KC_DECODE = "https://repost.aws/knowledge-center/backup-decode-encoded-error"
_R, _I, _S = Layer.RESOURCE.value, Layer.IDENTITY.value, "setting"

_EMPTY_VAULT_HINTS = (
    Hint(
        'The caller may not call backup-storage:MountCapsule (its Resource must be "*")',
        _I,
        "AWS Backup answers CreateBackupVault with an empty 403 when this permission is "
        "missing; it is the action most often left out, and it has no resource type",
        CheckRef("create-vault", action="backup-storage:MountCapsule"),
    ),
    Hint(
        "The caller may not create a grant on the vault's KMS key",
        _R,
        "the vault key's key policy or the caller's policy lacks the KMS actions AWS Backup "
        "uses on vault creation; also reported as an empty 403",
        CheckRef("create-vault", action="kms:CreateGrant"),
    ),
    Hint(
        "The caller may not describe the vault's KMS key",
        _R,
        "as above, for kms:DescribeKey",
        CheckRef("create-vault", action="kms:DescribeKey"),
    ),
    Hint(
        "The caller may not call backup:CreateBackupVault",
        _I,
        "a missing backup:CreateBackupVault usually comes with a full IAM message, so it is "
        "ranked after the permissions AWS reports without one",
        CheckRef("create-vault", action="backup:CreateBackupVault"),
    ),
)

FAMILIES: tuple[Family, ...] = (
    Family(
        MessageFamily.SELECTION_TAG_GET_RESOURCES,
        MessageKind.GATE,
        "AWS Backup checked, when the selection was created, that the role it names may list "
        "resources by tag (tag:GetResources), and it may not: the selection's role lacks the "
        "permission AWS Backup needs to find tagged resources (an InvalidParameterValueException, "
        "not an AccessDenied of the caller)",
        (
            "https://github.com/vinycoolguy2015/awslambda/issues/1",
            "https://github.com/hashicorp/terraform-provider-aws/issues/10511",
            DG_ROLES,
        ),
        (("is not authorized to call tag:getresources",),),
        gate=MessageGate.SELECTION_ROLE_CANNOT_LIST_TAGS,
        operations=("create-selection",),
        hints=(
            Hint(
                "The selection's role has no policy allowing tag:GetResources (the AWS managed "
                "AWSBackupServiceRolePolicyForBackup grants it)",
                _I,
                "the message names the role and the action",
                confirm=Confirm.ROLE_POLICIES,
            ),
            Hint(
                "The role was just created and IAM has not propagated it yet",
                "none",
                "seen when the role and the selection are created in one run; retry after a minute",
            ),
        ),
        todo="attach AWSBackupServiceRolePolicyForBackup (or allow tag:GetResources) to the role",
    ),
    Family(
        MessageFamily.CROSS_ACCOUNT_SHARING_RESTRICTIONS,
        MessageKind.GATE,
        "AWS Backup refused a vault access policy that shares the vault with other accounts: "
        "the policy, or the vault's own settings, do not allow such sharing (for example a "
        "service-created vault such as aws/efs/automatic-backup-vault, or cross-account backup "
        "not enabled for the organization)",
        ("https://github.com/rebuy-de/aws-nuke/pull/1150", DG_XACCT),
        (("cross-account sharing restrictions",),),
        gate=MessageGate.VAULT_POLICY_SHARING_RESTRICTED,
        operations=("put-vault-policy",),
        hints=(
            Hint(
                "The new policy grants access to principals outside the vault's account that "
                "the vault may not be shared with",
                _S,
                "the message blames the policy's cross-account sharing",
                confirm=Confirm.VAULT_POLICY,
            ),
            Hint(
                "The organization's cross-account backup setting is off",
                _S,
                "cross-account use of vaults needs it",
                CheckRef("copy", gate=Gate.CROSS_ACCOUNT_BACKUP_ENABLED),
            ),
        ),
        todo="limit the policy to principals of the vault's account or organization, or "
        "enable cross-account backup in the management account",
    ),
    Family(
        MessageFamily.DEFAULT_KEY_NOT_ACCESSIBLE,
        MessageKind.GATE,
        "A cross-account copy of a snapshot encrypted with an AWS managed key (the default "
        "key of EBS/EC2): AWS managed keys cannot be shared with another account, so the "
        "destination cannot describe or use the key",
        ("https://github.com/aws-samples/aws-backup-automation/issues/2", KC_KEY),
        (("describekey permission", "default"),),
        gate=MessageGate.DEFAULT_KEY_NOT_ACCESSIBLE,
        operations=("copy",),
        hints=(
            Hint(
                "The source is encrypted with an AWS managed key, which no other account may use",
                _S,
                "the message names the default key",
                CheckRef("copy", gate=Gate.KEY_CUSTOMER_MANAGED),
            ),
            Hint(
                "The source key's policy does not let the destination account describe it",
                _R,
                "if the key is in fact customer managed",
                CheckRef("copy", action="kms:DescribeKey", actor=Actor.BACKUP_SLR),
            ),
        ),
        todo="re-encrypt the resource with a customer managed key shared with the destination "
        "account, then copy",
    ),
    Family(
        MessageFamily.RDS_KMS_KEY_NOT_ACCESSIBLE,
        MessageKind.GATE,
        "RDS/Aurora could not use the KMS key of a snapshot it was asked to copy: the key does "
        "not exist in that Region, is disabled, or the account copying (for AWS Backup, the "
        "destination account's AWSServiceRoleForBackup) may not use it — an AWS managed aws/rds "
        "key can never be used by another account",
        (
            "https://github.com/awslabs/aurora-snapshot-tool/issues/29",
            "https://github.com/pbudzon/aws-maintenance/issues/13",
            KC_KEY,
        ),
        (("kmskeynotaccessiblefault",), ("snapshot kms key", "does not exist")),
        gate=MessageGate.KMS_KEY_INACCESSIBLE,
        operations=("copy",),
        hints=(
            Hint(
                "The source key's policy does not let the destination account (its "
                "AWSServiceRoleForBackup) use the key",
                _R,
                "the usual cause of this fault in cross-account copies",
                CheckRef("copy", action="kms:DescribeKey", actor=Actor.BACKUP_SLR),
            ),
            Hint(
                "The source snapshot is encrypted with the AWS managed aws/rds key",
                _S,
                "AWS managed keys cannot be shared",
                CheckRef("copy", gate=Gate.KEY_CUSTOMER_MANAGED),
            ),
            Hint(
                "The key is disabled or pending deletion",
                "none",
                "the message says 'is not enabled'",
                confirm=Confirm.KEY_MANAGER,
            ),
        ),
        todo="share a customer managed key with the destination account (its key policy), then "
        "copy",
    ),
    Family(
        MessageFamily.KMS_CIPHERTEXT_KEY,
        MessageKind.ACCESS_DENIED,
        "KMS could not decrypt: the data was encrypted under a KMS key that does not exist, "
        "is in another Region, or the caller may not use (KMS says the same for all three, "
        "so as not to reveal which)",
        (
            "https://repost.aws/knowledge-center/s3-download-object-ciphertext-error",
            "https://github.com/aws/aws-encryption-sdk-javascript/issues/1005",
        ),
        (("ciphertext refers to a customer master key",),),
        hints=(
            Hint(
                "The key policy does not allow the caller (or the caller's account) to use the key",
                _R,
                "a KMS key policy must allow the account before IAM policies count",
                confirm=Confirm.KEY_POLICY,
            ),
            Hint(
                "The caller's IAM policies do not allow kms:Decrypt on the key",
                _I,
                "the second place KMS looks",
                confirm=Confirm.CALLER_POLICIES,
            ),
            Hint(
                "The key is in another Region, deleted or disabled",
                "none",
                "the message cannot tell these apart from a denial",
                confirm=Confirm.KEY_MANAGER,
            ),
        ),
        todo="find the key (the resource's KmsKeyId), then its key policy",
    ),
    Family(
        MessageFamily.KMS_KEY_INACCESSIBLE,
        MessageKind.GATE,
        "AWS Backup (or the service it drives) could not use a KMS key: in a cross-account "
        "copy, the source key is not shared with the destination account",
        (KC_KEY, KC_XCOPY),
        (
            ("given key id is not accessible",),
            ("access to kms key is denied",),
            ("kms key", "does not exist, is not enabled or you do not have permission"),
        ),
        gate=MessageGate.KMS_KEY_INACCESSIBLE,
        operations=("copy",),
        hints=(
            Hint(
                "The source key's policy does not let the destination account's "
                "AWSServiceRoleForBackup use it",
                _R,
                "AWS's troubleshooting page for this message",
                CheckRef("copy", action="kms:DescribeKey", actor=Actor.BACKUP_SLR),
            ),
            Hint(
                "The source key is AWS managed, which cannot be shared",
                _S,
                "AWS managed keys serve only their own account",
                CheckRef("copy", gate=Gate.KEY_CUSTOMER_MANAGED),
            ),
            Hint(
                "The key is disabled or pending deletion",
                "none",
                "the message's other reading",
                confirm=Confirm.KEY_MANAGER,
            ),
        ),
        todo="let the destination account use the source key in its key policy",
    ),
    Family(
        MessageFamily.CROSS_ACCOUNT_BACKUP_DISABLED,
        MessageKind.GATE,
        "The organization's cross-account backup setting is off: no copy between accounts can "
        "run until the management account enables it",
        (
            DG_XACCT,
            "https://docs.aws.amazon.com/aws-backup/latest/devguide/API_UpdateGlobalSettings.html",
        ),
        (("cross-account copy feature is not enabled",),),
        gate=MessageGate.CROSS_ACCOUNT_BACKUP_DISABLED,
        operations=("copy",),
        hints=(
            Hint(
                "Cross-account backup is disabled for the organization",
                _S,
                "the message says so",
                CheckRef("copy", gate=Gate.CROSS_ACCOUNT_BACKUP_ENABLED),
            ),
        ),
        todo="enable cross-account backup in the management account (UpdateGlobalSettings)",
    ),
    Family(
        MessageFamily.NOT_SAME_ORGANIZATION,
        MessageKind.GATE,
        "AWS Backup copies between accounts only inside one AWS Organization; the source and "
        "destination accounts are not members of the same organization",
        (
            KC_XCOPY,
            "https://github.com/aws-solutions-library-samples/account-assessment-for-aws-organizations/pull/57",
        ),
        (("must be a member of the same organization",),),
        gate=MessageGate.NOT_SAME_ORGANIZATION,
        operations=("copy",),
        hints=(
            Hint(
                "The two accounts are in different organizations (or one left it)",
                _S,
                "the message says so",
                CheckRef("copy", gate=Gate.SAME_ORGANIZATION),
            ),
        ),
        todo="copy only between accounts of one organization",
    ),
    Family(
        MessageFamily.DESTINATION_VAULT_DEFAULT_KEY,
        MessageKind.GATE,
        "The destination vault is encrypted with the default AWS Backup managed key, whose "
        "contents cannot be copied across accounts",
        (DG_XACCT,),
        (("encrypted with the default backup service managed key",),),
        gate=MessageGate.DESTINATION_VAULT_DEFAULT_KEY,
        operations=("copy",),
        hints=(
            Hint(
                "The destination vault uses the aws/backup key (or is the Default vault)",
                _S,
                "the message says so",
                CheckRef("copy", gate=Gate.VAULT_NOT_DEFAULT),
            ),
        ),
        todo="copy into a vault encrypted with a customer managed key",
    ),
    Family(
        MessageFamily.AWS_MANAGED_KEY_NOT_SHAREABLE,
        MessageKind.GATE,
        "The snapshot is encrypted with an AWS managed key, which cannot be shared with the "
        "destination account",
        (KC_KEY,),
        (("aws managed key can", "be shared"), ("default key cannot be shared",)),
        gate=MessageGate.AWS_MANAGED_KEY_NOT_SHAREABLE,
        operations=("copy",),
        hints=(
            Hint(
                "The source key is AWS managed",
                _S,
                "the message says so",
                CheckRef("copy", gate=Gate.KEY_CUSTOMER_MANAGED),
            ),
        ),
        todo="re-encrypt with a customer managed key shared with the destination account",
    ),
    Family(
        MessageFamily.ROLE_NOT_ASSUMABLE,
        MessageKind.GATE,
        "AWS Backup could not assume the role a plan selection or job names: its trust policy "
        "does not let backup.amazonaws.com assume it, or the role does not exist",
        (DG_ROLES,),
        (("cannot be assumed by aws backup",),),
        gate=MessageGate.ROLE_NOT_ASSUMABLE,
        operations=("backup",),
        hints=(
            Hint(
                "The role's trust policy does not allow backup.amazonaws.com",
                _R,
                "the message names the role",
                CheckRef("backup", action="sts:AssumeRole"),
            ),
            Hint(
                "The role was deleted or recreated (a new role id) after the selection was made",
                "none",
                "trust is checked only when the job runs",
                confirm=Confirm.ROLE_TRUST,
            ),
        ),
        todo="let backup.amazonaws.com assume the role in its trust policy",
    ),
    Family(
        MessageFamily.ROLE_INSUFFICIENT_PERMISSIONS,
        MessageKind.GATE,
        "AWS Backup assumed the service role, but the role may not do what the job needs on "
        "the resource (its permissions, not its trust policy)",
        (
            "https://aws.amazon.com/premiumsupport/knowledge-center/aws-backup-encoded-authorization-failure/",
            DG_ROLES,
        ),
        (
            ("does not have sufficient permissions to execute",),
            ("consult the permissions associated with your aws backup role",),
        ),
        gate=MessageGate.ROLE_INSUFFICIENT_PERMISSIONS,
        operations=("backup", "restore"),
        hints=(
            Hint(
                "The service role lacks the AWS managed policy for the job "
                "(AWSBackupServiceRolePolicyForBackup / ForRestores, or the S3 ones)",
                _I,
                "the message is about the role's own permissions",
                confirm=Confirm.ROLE_POLICIES,
            ),
            Hint(
                "An EC2 restore needs iam:PassRole on the instance profile's role",
                _I,
                "AWS's page for the restore form of this message",
                CheckRef("restore", action="iam:PassRole"),
            ),
            Hint(
                "The resource's KMS key policy does not allow the role",
                _R,
                "encrypted resources need the key too",
                CheckRef("backup", action="kms:DescribeKey"),
            ),
        ),
        todo="attach the AWS managed service-role policy for the job type to the role",
    ),
    Family(
        MessageFamily.RESOURCE_DESCRIBE_DENIED,
        MessageKind.GATE,
        "The backup job's role may not describe the resource; for Amazon S3 buckets this is "
        "the S3 backup policy missing from the role",
        ("https://github.com/ministryofjustice/modernisation-platform/issues/6152", DG_ROLES),
        (("does not have permission to describe",),),
        gate=MessageGate.RESOURCE_DESCRIBE_DENIED,
        operations=("backup",),
        hints=(
            Hint(
                "The service role lacks AWSBackupServiceRolePolicyForS3Backup (for S3) or the "
                "describe permission of the resource type",
                _I,
                "the public report of this message was fixed by attaching the S3 backup policy",
                confirm=Confirm.ROLE_POLICIES,
            ),
            Hint(
                "The resource's own policy (a bucket policy) or an SCP denies the role",
                _R,
                "when the role's policies are right",
                confirm=Confirm.CALLER_POLICIES,
            ),
        ),
        todo="attach AWSBackupServiceRolePolicyForS3Backup to the backup role for S3 buckets",
    ),
    Family(
        MessageFamily.BACKUP_SERVICE_ACCESS_DENIED,
        MessageKind.GATE,
        "A cross-account copy was refused by the destination: its vault access policy does not "
        "allow the source account (or organization) to copy into it",
        ("https://repost.aws/knowledge-center/backup-resolve-access-denied-error", DG_XACCT),
        (("access denied trying to call aws backup service",),),
        gate=MessageGate.BACKUP_SERVICE_ACCESS_DENIED,
        operations=("copy",),
        hints=(
            Hint(
                "The destination vault's access policy does not allow backup:CopyIntoBackupVault "
                "for the source account",
                _R,
                "AWS's troubleshooting page for this message",
                CheckRef("copy", action="backup:CopyIntoBackupVault"),
            ),
            Hint(
                "Cross-account backup is disabled for the organization",
                _S,
                "the other setting a copy needs",
                CheckRef("copy", gate=Gate.CROSS_ACCOUNT_BACKUP_ENABLED),
            ),
        ),
        todo="allow the source account (or organization) in the destination vault's policy",
    ),
    Family(
        MessageFamily.RECOVERY_POINT_NOT_CREATED,
        MessageKind.GATE,
        "A backup job ended without a recovery point; the rest of the job's status message "
        "says why (AWS Backup does not document one wording for it)",
        ("https://docs.aws.amazon.com/aws-backup/latest/devguide/troubleshooting.html",),
        (("failed to create a recovery point",), ("failed to create recovery point",)),
        gate=MessageGate.RECOVERY_POINT_NOT_CREATED,
        operations=("backup",),
        hints=(
            Hint(
                "The service role may not back up the resource type",
                _I,
                "the most common reason a job creates nothing",
                confirm=Confirm.ROLE_POLICIES,
            ),
            Hint(
                "The resource's KMS key policy does not allow the role",
                _R,
                "encrypted resources",
                CheckRef("backup", action="kms:DescribeKey"),
            ),
            Hint(
                "The resource was busy, deleted or in a state that cannot be backed up",
                "none",
                "not a permission problem",
                confirm=Confirm.JOB,
            ),
        ),
        todo="read the job's full StatusMessage (describe-backup-job)",
    ),
    Family(
        MessageFamily.RETENTION_OUT_OF_RANGE,
        MessageKind.GATE,
        "Not a permission problem: the job's retention is outside the range the target vault's "
        "Vault Lock allows (MinRetentionDays, MaxRetentionDays)",
        ("https://repost.aws/knowledge-center/backup-delete-vault-lock",),
        (("retention specified in the job is not within",),),
        gate=MessageGate.RETENTION_OUT_OF_RANGE,
        permission_problem=False,
        hints=(
            Hint(
                "The plan rule's lifecycle is outside the vault's locked retention range",
                "none",
                "the message says so",
                confirm=Confirm.VAULT_LOCK,
            ),
        ),
        todo="set the lifecycle within the vault's MinRetentionDays..MaxRetentionDays",
    ),
    Family(
        MessageFamily.UNSUPPORTED_FEATURE,
        MessageKind.GATE,
        "Not a permission problem: AWS Backup does not support this copy for the resource type "
        "(RDS, Aurora, DocumentDB and Neptune cannot copy cross-Region and cross-account in one "
        "job)",
        ("https://docs.aws.amazon.com/aws-backup/latest/devguide/cross-region-backup.html",),
        (("feature is not supported for provided resource type",),),
        gate=MessageGate.UNSUPPORTED_FEATURE,
        permission_problem=False,
        hints=(
            Hint(
                "The copy crosses Region and account at once for a type that cannot",
                "none",
                "the message says so",
            ),
        ),
        todo="copy in two steps: cross-account in one Region, then cross-Region",
    ),
    Family(
        MessageFamily.SOURCE_AMI_NOT_FOUND,
        MessageKind.GATE,
        "Not a permission problem: the destination account's EC2 Allowed AMIs setting does not "
        "allow images owned by the source account",
        (DG_XACCT,),
        (("source ami not found",),),
        gate=MessageGate.SOURCE_AMI_NOT_FOUND,
        permission_problem=False,
        hints=(
            Hint(
                "EC2 Allowed AMIs in the destination account excludes the source account",
                "none",
                "AWS's cross-account page",
            ),
        ),
        todo="add the source account to the allowed image providers",
    ),
    Family(
        MessageFamily.VAULT_NOT_EMPTY,
        MessageKind.NOT_PERMISSION,
        "Not a permission problem: a vault can be deleted only when it holds no recovery points",
        (
            "https://github.com/gruntwork-io/cloud-nuke/issues/730",
            "https://docs.aws.amazon.com/aws-backup/latest/devguide/API_DeleteBackupVault.html",
        ),
        (("cannot be deleted because it contains recovery points",),),
        permission_problem=False,
        operations=("delete-vault",),
        hints=(
            Hint(
                "The vault still holds recovery points",
                _S,
                "the message says so",
                CheckRef("delete-vault", gate=Gate.VAULT_EMPTY),
            ),
            Hint(
                "Recovery points were just deleted and the vault has not caught up",
                "none",
                "deletion is asynchronous; retrying later succeeds",
                confirm=Confirm.VAULT_RECOVERY_POINTS,
            ),
        ),
        todo="delete (or let expire) every recovery point first; a locked vault may forbid it",
    ),
    Family(
        MessageFamily.MANAGED_BY_BACKUP,
        MessageKind.NOT_PERMISSION,
        "Not a permission problem: the snapshot or image belongs to an AWS Backup recovery "
        "point, and only AWS Backup may delete it",
        (
            "https://github.com/openshift/installer/pull/9964",
            "https://github.com/cloud-custodian/cloud-custodian/issues/9459",
        ),
        (("managed by the aws backup service",), ("managed by aws backup",)),
        permission_problem=False,
        operations=("delete-recovery-point",),
        hints=(
            Hint(
                "The snapshot is a recovery point: delete it with backup:DeleteRecoveryPoint",
                "none",
                "the message says so",
                CheckRef("delete-recovery-point", action="backup:DeleteRecoveryPoint"),
            ),
        ),
        todo="delete the recovery point through AWS Backup (delete-recovery-point)",
    ),
    Family(
        MessageFamily.UNSUPPORTED_RESOURCE_TYPE,
        MessageKind.NOT_PERMISSION,
        "Not a permission problem: AWS Backup does not support the resource type (or the "
        "feature for it) in this Region or account",
        (
            "https://docs.aws.amazon.com/aws-backup/latest/devguide/backup-feature-availability.html",
        ),
        (
            ("resource type", "is not supported"),
            ("unsupported resource type",),
            ("resource type is not opted in",),
        ),
        permission_problem=False,
        hints=(
            Hint(
                "The resource type is not supported, or not opted in for the Region",
                "none",
                "the message says so",
            ),
        ),
        todo="check the feature availability table and the Region's resource type opt-in "
        "(describe-region-settings)",
    ),
    Family(
        MessageFamily.INVALID_SELECTION,
        MessageKind.NOT_PERMISSION,
        "Not a permission problem: the backup selection is malformed (neither resources nor "
        "tags, a wildcard where none is allowed, an ARN of another Region)",
        (
            "https://github.com/ministryofjustice/modernisation-platform-terraform-baselines/pull/90",
            "https://github.com/hashicorp/terraform-provider-aws/pull/7382",
        ),
        (("invalid backup selection",), ("resource contains *",)),
        permission_problem=False,
        operations=("create-selection",),
        hints=(
            Hint(
                "The selection lists no resources and no tags, or an invalid resource ARN",
                "none",
                "the message says so",
            ),
        ),
        todo='give Resources ("*" with conditions is allowed) or ListOfTags',
    ),
    Family(
        MessageFamily.TERRAFORM_EMPTY_RESULT,
        MessageKind.NOT_PERMISSION,
        "Terraform created or looked for the vault and then read nothing back: a provider bug "
        "in Regions without logically air-gapped vaults (fixed by the provider), or a read that "
        "AWS refused and the provider reported as empty — not an AWS message",
        (
            "https://github.com/hashicorp/terraform-provider-aws/pull/39670",
            "https://github.com/hashicorp/terraform-provider-aws/issues/26347",
        ),
        (("backup vault", "empty result"),),
        permission_problem=False,
        operations=("create-vault",),
        hints=(
            Hint(
                "A terraform-provider-aws version with the empty-result bug in this Region",
                "none",
                "the public report: the vault is created but cannot be read back",
                confirm=Confirm.TERRAFORM_PROVIDER,
            ),
            Hint(
                "The caller may not describe the vault (the read is refused and shows as empty)",
                _I,
                "then backup:DescribeBackupVault is the missing permission",
                confirm=Confirm.CALLER_POLICIES,
            ),
        ),
        todo="upgrade the AWS provider; if it persists, check backup:DescribeBackupVault",
    ),
    Family(
        MessageFamily.INSUFFICIENT_PRIVILEGES,
        MessageKind.ACCESS_DENIED,
        "AWS Backup's own access-denied text. It is also what AWS Backup answers when the vault "
        "does not exist (DescribeBackupVault on a missing vault), and for a logically "
        "air-gapped vault shared from another account when the request does not give the "
        "owner's account id (BackupVaultAccountId)",
        (
            "https://github.com/aws/aws-sdk-js/issues/2625",
            "https://github.com/ansible-collections/amazon.aws/pull/1436",
            "https://docs.aws.amazon.com/aws-backup/latest/devguide/API_DescribeBackupVault.html",
        ),
        (("insufficient privileges to perform this action",),),
        hints=(
            Hint(
                "The vault named in the request does not exist (in this Region and account)",
                _S,
                "AWS Backup reports a missing vault as this access denied",
                confirm=Confirm.VAULT_EXISTS,
            ),
            Hint(
                "The caller lacks the backup: permission for the operation",
                _I,
                "the literal reading",
                confirm=Confirm.CALLER_POLICIES,
            ),
            Hint(
                "The vault is a shared logically air-gapped vault and the request omitted the "
                "owner's account id",
                _S,
                "shared vaults are addressed with BackupVaultAccountId",
                confirm=Confirm.RAM_SHARES,
            ),
            Hint(
                "The vault's access policy denies the caller",
                _R,
                "a vault policy Deny gives the same text",
                confirm=Confirm.VAULT_POLICY,
            ),
        ),
        todo="check the vault exists where the request looked for it, then the caller's policies",
    ),
    Family(
        MessageFamily.GENERIC_ACCESS_DENIED,
        MessageKind.ACCESS_DENIED,
        "AWS denied the request without saying which policy (older services, S3's 'Access "
        "Denied', EC2's 'not authorized to perform this operation')",
        (IAM_TS,),
        (
            ("you are not authorized to perform this operation",),
            ("access denied",),
            ("not authorized to access this resource",),
        ),
        hints=(
            Hint(
                "No identity-based policy of the caller allows the action",
                _I,
                "the most common cause",
                confirm=Confirm.CALLER_POLICIES,
            ),
            Hint(
                "An SCP or permissions boundary denies it",
                Layer.SCP.value,
                "the next most common",
            ),
            Hint(
                "The resource's policy (vault policy, key policy, bucket policy) denies it",
                _R,
                "when the caller's policies allow it",
            ),
        ),
        todo="find the request in CloudTrail (errorCode AccessDenied) and run explain "
        "--cloudtrail on it",
    ),
)

BY_FAMILY = {row.family: row for row in FAMILIES}

EMPTY_ACCESS_DENIED = Family(
    MessageFamily.EMPTY_ACCESS_DENIED,
    MessageKind.ACCESS_DENIED,
    "AWS returned an access denied (HTTP 403) with no message at all. AWS Backup does this "
    "for CreateBackupVault when backup-storage:MountCapsule or a KMS permission on the vault "
    "key is missing, among others; the operation named by the wrapper says which request it was",
    (
        "https://github.com/lgallard/terraform-aws-backup/issues/6",
        "https://github.com/cloudposse/terraform-aws-backup/issues/31",
        DG_VAULT,
    ),
    operations=("create-vault",),
    hints=_EMPTY_VAULT_HINTS,
    todo="run explain for the operation with its parameters, or find the request in CloudTrail",
)
IAM_NOT_AUTHORIZED = Family(
    MessageFamily.IAM_NOT_AUTHORIZED,
    MessageKind.ACCESS_DENIED,
    "AWS denied the request and says who asked for what, and (in the current form) which "
    "type of policy denied it, explicitly or for want of an allow",
    (
        IAM_TS,
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied-authorization-id.html",
    ),
)
DECODED_AUTHORIZATION = Family(
    MessageFamily.DECODED_AUTHORIZATION,
    MessageKind.ACCESS_DENIED,
    "A decoded authorization failure message (the output of sts decode-authorization-message): "
    "who asked for what, and whether an explicit deny decided it",
    (
        KC_DECODE,
        "https://docs.aws.amazon.com/STS/latest/APIReference/API_DecodeAuthorizationMessage.html",
    ),
)
ENCODED_AUTHORIZATION = Family(
    MessageFamily.ENCODED_AUTHORIZATION,
    MessageKind.ENCODED,
    "AWS denied the request and encoded the details (who, what, which statement) because they "
    "may be privileged: decode them with sts decode-authorization-message (it needs "
    "sts:DecodeAuthorizationMessage), then give the decoded JSON to explain --error",
    (
        KC_DECODE,
        "https://docs.aws.amazon.com/STS/latest/APIReference/API_DecodeAuthorizationMessage.html",
    ),
    hints=(
        Hint(
            "Decode the message to learn the principal, action, resource and explicit deny",
            "none",
            "the message is encoded",
            confirm=Confirm.DECODE,
        ),
    ),
    todo="decode it, then run explain --error with the decoded JSON",
)
UNRECOGNISED = Family(
    MessageFamily.UNRECOGNISED,
    MessageKind.UNRECOGNISED,
    "not an access-denied or AWS Backup message form backup-access knows",
    (IAM_TS,),
    permission_problem=False,
)


def match_family(lowered: str) -> Family | None:
    """The first family whose phrases all occur in ``lowered`` (lower-case text)."""
    for row in FAMILIES:
        if any(all(phrase in lowered for phrase in option) for option in row.phrases):
            return row
    return None


__all__ = [
    "BY_FAMILY",
    "DECODED_AUTHORIZATION",
    "EMPTY_ACCESS_DENIED",
    "ENCODED_AUTHORIZATION",
    "FAMILIES",
    "IAM_NOT_AUTHORIZED",
    "UNRECOGNISED",
    "CheckRef",
    "Confirm",
    "Family",
    "Hint",
    "MessageFamily",
    "MessageGate",
    "MessageKind",
    "match_family",
]
