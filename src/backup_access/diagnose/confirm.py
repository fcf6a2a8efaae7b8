"""The read-only AWS CLI commands that confirm or rule out a cause, and where to run them.

Each command only reads (get-, list-, describe-, simulate-); values the message does not give
are left as UPPER_CASE placeholders. The account a command must run in is the account of the
thing it reads: a role's policies in the role's account, a vault policy in the vault's
account, SCPs and RCPs in the organization's management account (or a delegated
administrator), the organization's backup settings in the management account.
"""

from __future__ import annotations

from dataclasses import dataclass

from backup_access.catalogue import Gate
from backup_access.diagnose.families import Confirm
from backup_access.diagnose.masking import account_mask, arn_account

__all__ = ["MANAGEMENT", "Confirmation", "Known", "account_of", "arn_account", "role_of"]
from backup_access.engine.model import Layer

MANAGEMENT = "the organization's management account (or its delegated administrator)"


@dataclass(frozen=True, slots=True)
class Confirmation:
    """A read-only command, the account it must run in, and what its answer shows."""

    command: str
    account: str
    shows: str

    def to_dict(self) -> dict[str, str]:
        return {"command": self.command, "account": self.account, "shows": self.shows}


@dataclass(frozen=True, slots=True)
class Known:
    """What the message (and its wrapper) tells about the request; None when it does not."""

    principal: str | None = None
    action: str | None = None
    resource: str | None = None
    role: str | None = None
    key: str | None = None
    policy_arn: str | None = None
    region: str | None = None
    encoded: str | None = None


def account_of(arn: str | None, what: str) -> str:
    """``what``'s account, or words saying why it is unknown."""
    if not arn:
        return f"the account of {what}"
    account = arn_account(arn)
    if account is None or account == "ACCOUNT_ID":  # None, or the tool's placeholder
        return f"the account of {what}"
    mask = account_mask(account)
    if mask:
        return f"the account of {what} (unknown: '{account}' is {mask})"
    if not account:
        return f"the account of {what}"
    return f"{account} ({what})"


def _region(arn: str | None, known: Known) -> str:
    parts = (arn or "").split(":")
    if len(parts) > 3 and parts[3]:
        return parts[3]
    return known.region or "REGION"


def role_of(principal: str | None) -> str | None:
    """The IAM role behind an assumed-role session ARN (its path is not in the ARN), the
    principal itself when it is already a role or user ARN."""
    if not principal or not principal.startswith("arn:"):
        return None
    parts = principal.split(":", 5)
    if len(parts) < 6:
        return None
    if parts[2] == "sts" and parts[5].startswith("assumed-role/"):
        name = parts[5].split("/")[1] if parts[5].count("/") >= 1 else "ROLE_NAME"
        return f"arn:{parts[1]}:iam::{parts[4]}:role/{name}"
    if parts[2] == "iam":
        return principal
    return None


def _role_name(arn: str | None) -> str:
    return arn.rsplit("/", 1)[-1] if arn and ":role/" in arn else "ROLE_NAME"


def _vault_name(arn: str | None) -> str:
    return arn.split(":backup-vault:", 1)[1] if arn and ":backup-vault:" in arn else "VAULT_NAME"


def _vault_policy(vault_arn: str | None, known: Known) -> tuple[Confirmation, ...]:
    return (
        Confirmation(
            f"aws backup get-backup-vault-access-policy --backup-vault-name "
            f"{_vault_name(vault_arn)} --region {_region(vault_arn, known)}",
            account_of(vault_arn, "the vault"),
            "the vault access policy",
        ),
    )


# IAM Identity Center's roles live under this path; AWS's IAM pages do not say so, and
# public reports (a re:Post answer) add the Identity Center Region after it outside us-east-1.
_SSO_PATH = "aws-reserved/sso.amazonaws.com/"
_SSO_UNCLEAR = (
    "the AWSReservedSSO_ role's path is aws-reserved/sso.amazonaws.com/, followed by the IAM "
    "Identity Center Region when that is not us-east-1 (reported publicly; AWS's IAM pages do "
    "not document it): aws iam get-role --role-name shows the exact ARN"
)


def _session_role(principal: str | None) -> tuple[str | None, str]:
    """The role ARN to simulate for ``principal`` and what to add about it: a session's role
    is built from the session ARN, which leaves out the role's path."""
    role = role_of(principal)
    if role is None or not principal or ":assumed-role/" not in principal:
        return role, ""
    name = role.rsplit("/", 1)[-1]
    if name.startswith("AWSReservedSSO_"):
        return role.replace(f":role/{name}", f":role/{_SSO_PATH}{name}"), f" ({_SSO_UNCLEAR})"
    return role, " (the role ARN is built from the session: add its path if it has one)"


def caller_policies(known: Known) -> tuple[Confirmation, ...]:
    placeholder = known.principal if known.principal and known.principal.isupper() else None
    built, about = _session_role(known.principal)
    role = built or placeholder
    where = account_of(role or known.principal, "the principal")
    action = known.action or "ACTION"
    resource = f" --resource-arns {known.resource}" if known.resource else ""
    simulate = Confirmation(
        f"aws iam simulate-principal-policy --policy-source-arn {role or 'PRINCIPAL_ARN'} "
        f"--action-names {action}{resource}",
        where,
        "whether the principal's identity policies and permissions boundary allow the "
        f"action{about}",
    )
    if role and ":user/" in role:
        listing = f"aws iam list-attached-user-policies --user-name {role.rsplit('/', 1)[-1]}"
        shows = "the managed policies attached to the user"
    elif role is None or not role.startswith("arn:"):  # a placeholder: a role or a user
        listing = f"aws iam list-attached-role-policies --role-name {_role_name(role)}"
        shows = (
            "the managed policies attached to the principal (for an IAM user: aws iam "
            "list-attached-user-policies --user-name USER_NAME)"
        )
    else:
        listing = f"aws iam list-attached-role-policies --role-name {_role_name(role)}"
        shows = "the managed policies attached to the role"
    return (simulate, Confirmation(listing, where, shows))


def boundary(known: Known) -> tuple[Confirmation, ...]:
    role = role_of(known.principal)
    return (
        Confirmation(
            f"aws iam get-role --role-name {_role_name(role)} --query Role.PermissionsBoundary",
            account_of(role or known.principal, "the caller"),
            "the permissions boundary, if any; then read it with get-policy-version",
        ),
    )


def org_policies(
    known: Known, kind: str, target: str | None, *, explicit: bool | None = None
) -> tuple[Confirmation, ...]:
    """SCPs or RCPs at the account, its OUs and the root: every level must allow, and a Deny
    at any one level is enough to deny
    (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_evaluation.html)."""
    account = arn_account(target or "") or "ACCOUNT_ID"
    if account_mask(account) or not account:
        account = "ACCOUNT_ID"
    why = (
        "a Deny at any one level is enough"
        if explicit
        else "every level must allow"
        if explicit is False
        else "every level must allow, and a Deny at any one level is enough"
    )
    return (
        Confirmation(
            f"aws organizations list-parents --child-id {account}",
            MANAGEMENT,
            "the OU above the account (repeat up to the root)",
        ),
        Confirmation(
            f"aws organizations list-policies-for-target --target-id {account} --filter {kind}",
            MANAGEMENT,
            f"the policies attached to the account; run it for each OU and the root too, since "
            f"{why}",
        ),
    )


def statement_search(which: Layer, known: Known, sid: str) -> tuple[Confirmation, ...]:
    """Commands that read the policies of ``which`` layer whole, to find the statement whose
    Sid a decoded authorization message names (the message does not say which policy)."""
    look = f"look for the statement with Sid {sid}"
    if which in (Layer.SCP, Layer.RCP):
        return (
            Confirmation(
                "aws organizations describe-policy --policy-id POLICY_ID --query Policy.Content "
                "--output text",
                MANAGEMENT,
                f"each policy listed above (account, OUs, root), whole: {look}",
            ),
        )
    if which in (Layer.IDENTITY, Layer.BOUNDARY):
        role = role_of(known.principal)
        where = account_of(role or known.principal, "the principal")
        inline = (
            (
                Confirmation(
                    f"aws iam list-role-policies --role-name {_role_name(role)}",
                    where,
                    "the role's inline policies; read each with aws iam get-role-policy "
                    f"--role-name {_role_name(role)} --policy-name POLICY_NAME and {look}",
                ),
            )
            if which is Layer.IDENTITY and (role is None or ":role/" in role)
            else ()
        )
        return (
            *inline,
            Confirmation(
                "aws iam get-policy-version --policy-arn POLICY_ARN --version-id $(aws iam "
                "get-policy --policy-arn POLICY_ARN --query Policy.DefaultVersionId --output "
                "text) --query PolicyVersion.Document",
                where,
                f"each managed policy listed above, whole: {look}"
                if which is Layer.IDENTITY
                else f"the boundary policy named above, whole: {look}",
            ),
        )
    return ()


def resource_policy(known: Known, resource: str | None) -> tuple[Confirmation, ...]:
    """The resource-based policy of ``resource``: vault, key, role trust or bucket policy."""
    where = account_of(resource, "the resource")
    region = _region(resource, known)
    if resource and ":backup-vault:" in resource:
        return _vault_policy(resource, known)
    if resource and ":recovery-point:" in resource:
        return (
            Confirmation(
                f"aws backup get-backup-vault-access-policy --backup-vault-name VAULT_NAME "
                f"--region {region}",
                where,
                "the access policy of the vault holding the recovery point",
            ),
        )
    if resource and ":kms:" in resource:
        return key_policy(resource, known)
    if resource and ":role/" in resource:
        return role_trust(resource)
    if resource and resource.startswith("arn:aws:s3:::"):
        bucket = resource.removeprefix("arn:aws:s3:::").split("/", 1)[0]
        return (
            Confirmation(
                f"aws s3api get-bucket-policy --bucket {bucket}", where, "the bucket policy"
            ),
        )
    return ()


def resource_policy_named(
    words: str, resource: str | None, vault_arn: str | None, known: Known
) -> tuple[Confirmation, ...]:
    """The resource-based policy a catalogue check names in words ("the source key's key
    policy", "the destination vault's access policy"), read even when the message gives
    only a placeholder for the resource."""
    if resource and resource.startswith("arn:"):
        found = resource_policy(known, resource)
        if found and ":recovery-point:" not in resource:
            return found
    lowered = words.lower()
    if "key policy" in lowered:
        return key_policy(resource if resource and ":kms:" in resource else None, known)
    if "vault" in lowered:
        return _vault_policy(vault_arn, known)
    if "trust policy" in lowered:
        return role_trust(resource if resource and ":role/" in resource else None)
    if "bucket" in lowered:
        return (
            Confirmation(
                "aws s3api get-bucket-policy --bucket BUCKET_NAME",
                "the account of the bucket",
                "the bucket policy",
            ),
        )
    return resource_policy(known, resource)


def key_policy(key: str | None, known: Known) -> tuple[Confirmation, ...]:
    key_id = key or "KEY_ARN"
    where = account_of(key, "the KMS key")
    return (
        Confirmation(
            f"aws kms get-key-policy --key-id {key_id} --policy-name default --region "
            f"{_region(key, known)}",
            where,
            "whether the key policy allows the principal or its account",
        ),
    )


def key_manager(key: str | None, known: Known) -> tuple[Confirmation, ...]:
    return (
        Confirmation(
            f"aws kms describe-key --key-id {key or 'KEY_ARN'} --region {_region(key, known)} "
            "--query 'KeyMetadata.{Manager:KeyManager,State:KeyState}'",
            account_of(key, "the KMS key"),
            "AWS or CUSTOMER managed, and Enabled / Disabled / PendingDeletion",
        ),
    )


def role_trust(role: str | None) -> tuple[Confirmation, ...]:
    return (
        Confirmation(
            f"aws iam get-role --role-name {_role_name(role)} "
            "--query Role.AssumeRolePolicyDocument",
            account_of(role, "the role"),
            "the role's trust policy (which services and principals may assume it)",
        ),
    )


def role_policies(role: str | None) -> tuple[Confirmation, ...]:
    name = _role_name(role)
    where = account_of(role, "the role")
    return (
        Confirmation(
            f"aws iam list-attached-role-policies --role-name {name}",
            where,
            "the managed policies attached to the role",
        ),
        Confirmation(
            f"aws iam list-role-policies --role-name {name}", where, "its inline policies"
        ),
    )


def vault(known: Known, resource: str | None, what: str) -> tuple[Confirmation, ...]:
    vault_arn = resource if resource and ":backup-vault:" in resource else None
    name, region = _vault_name(vault_arn), _region(vault_arn, known)
    where = account_of(vault_arn, "the vault")
    if what == "exists":
        return (
            Confirmation(
                f"aws backup describe-backup-vault --backup-vault-name {name} --region {region}",
                "the account the request was sent from",
                "whether the vault exists there (an error here means it does not)",
            ),
            Confirmation(
                f"aws backup describe-backup-vault --backup-vault-name {name} "
                f"--backup-vault-account-id OWNER_ACCOUNT_ID --region {region}",
                "the account the request was sent from",
                "a logically air-gapped vault shared from another account is found only with "
                "its owner's account id",
            ),
        )
    if what == "points":
        return (
            Confirmation(
                f"aws backup list-recovery-points-by-backup-vault --backup-vault-name {name} "
                f"--region {region} --query 'length(RecoveryPoints)'",
                where,
                "how many recovery points the vault still holds",
            ),
        )
    if what == "lock":
        # DescribeBackupVault's lock fields
        # (https://docs.aws.amazon.com/aws-backup/latest/devguide/API_DescribeBackupVault.html)
        return (
            Confirmation(
                f"aws backup describe-backup-vault --backup-vault-name {name} --region {region} "
                "--query '{Locked:Locked,MinRetentionDays:MinRetentionDays,"
                "MaxRetentionDays:MaxRetentionDays,LockDate:LockDate}'",
                where,
                "whether Vault Lock protects the vault (Locked), its retention range, and the "
                "date after which the lock can no longer be changed or removed (LockDate)",
            ),
        )
    return (
        Confirmation(
            f"aws backup describe-backup-vault --backup-vault-name {name} --region {region} "
            "--query '{Type:VaultType,Key:EncryptionKeyArn}'",
            where,
            "the vault's type and encryption key",
        ),
    )


def gate(setting: Gate, known: Known) -> tuple[Confirmation, ...]:
    """Commands for a catalogue setting check."""
    if setting is Gate.CROSS_ACCOUNT_BACKUP_ENABLED:
        return (
            Confirmation(
                "aws backup describe-global-settings",
                MANAGEMENT,
                "isCrossAccountBackupEnabled must be true",
            ),
        )
    if setting is Gate.SAME_ORGANIZATION:
        return (
            Confirmation(
                "aws organizations describe-organization --query Organization.Id",
                "each of the two accounts",
                "both must print the same organization id",
            ),
        )
    if setting in (Gate.KEY_CUSTOMER_MANAGED, Gate.AWS_MANAGED_KEY_OWN_ACCOUNT):
        return key_manager(known.key, known)
    if setting is Gate.VAULT_EMPTY:
        return vault(known, known.resource, "points")
    if setting is Gate.VAULT_EXISTS:
        return vault(known, known.resource, "exists")
    if setting is Gate.VAULT_SHARED_WITH:
        return by_confirm(Confirm.RAM_SHARES, known)
    if setting in _LOCK_GATES:
        return vault(known, known.resource, "lock")
    if setting is Gate.ALLOWED_IMAGES:  # its first argument is the destination vault
        return allowed_images(_region(known.resource, known), None)
    return vault(known, known.resource, "settings")


# The gates a vault's Vault Lock decides: the lock's fields confirm them.
_LOCK_GATES = (
    Gate.LOCK_ALLOWS_CHANGE,
    Gate.LOCK_REMOVABLE,
    Gate.LOCK_CHANGEABLE,
    Gate.RETENTION_WITHIN_LOCK,
)


def layer(which: Layer, known: Known, *, explicit: bool | None = None) -> tuple[Confirmation, ...]:
    """Commands for a request denied in ``which`` layer (``explicit``: whether AWS reported
    an explicit deny, when it says)."""
    if which is Layer.IDENTITY:
        return caller_policies(known)
    if which is Layer.BOUNDARY:
        return boundary(known)
    if which is Layer.SCP:
        return org_policies(
            known, "SERVICE_CONTROL_POLICY", role_of(known.principal), explicit=explicit
        )
    if which is Layer.RCP:
        return org_policies(known, "RESOURCE_CONTROL_POLICY", known.resource, explicit=explicit)
    if which is Layer.RESOURCE:
        return resource_policy(known, known.resource)
    if which is Layer.SESSION:
        role = role_of(known.principal)
        return (
            Confirmation(
                "aws cloudtrail lookup-events --lookup-attributes "
                f"AttributeKey=Username,AttributeValue={_role_name(role)} --region "
                f"{_region(known.resource, known)}",
                account_of(role, "the role"),
                "the AssumeRole call that created the session: its requestParameters policy and "
                "policyArns are the session policies",
            ),
        )
    if which is Layer.ENDPOINT:
        service = (known.action or "SERVICE:").split(":", 1)[0]
        return (
            Confirmation(
                "aws ec2 describe-vpc-endpoints --filters Name=service-name,Values=com.amazonaws."
                f"{_region(known.resource, known)}.{service} "
                "--query 'VpcEndpoints[].PolicyDocument'",
                "the account that owns the VPC endpoint (usually the caller's)",
                "the endpoint policy the request went through",
            ),
        )
    return ()


def policy(arn: str | None) -> tuple[Confirmation, ...]:
    """The policy AWS named in an explicit deny."""
    if not arn:
        return ()
    if ":organizations::" in arn:
        policy_id = arn.rsplit("/", 1)[-1]
        return (
            Confirmation(
                f"aws organizations describe-policy --policy-id {policy_id}",
                MANAGEMENT,
                "the organization policy AWS named",
            ),
        )
    return (
        Confirmation(
            f"aws iam get-policy-version --policy-arn {arn} --version-id $(aws iam get-policy "
            f"--policy-arn {arn} --query Policy.DefaultVersionId --output text)",
            account_of(arn, "the policy"),
            "the policy AWS named, in its current version",
        ),
    )


def by_confirm(what: Confirm, known: Known) -> tuple[Confirmation, ...]:
    """Commands for a cause that is not a catalogue check."""
    if what is Confirm.CALLER_POLICIES:
        return caller_policies(known)
    if what is Confirm.ROLE_POLICIES:
        return role_policies(known.role or role_of(known.principal))
    if what is Confirm.ROLE_TRUST:
        return role_trust(known.role)
    if what is Confirm.KEY_POLICY:
        return key_policy(known.key, known)
    if what is Confirm.KEY_MANAGER:
        return key_manager(known.key, known)
    if what is Confirm.VAULT_EXISTS:
        return vault(known, known.resource, "exists")
    if what is Confirm.VAULT_POLICY:
        vault_arn = (
            known.resource if known.resource and ":backup-vault:" in known.resource else None
        )
        return _vault_policy(vault_arn, known)
    if what is Confirm.VAULT_RECOVERY_POINTS:
        return vault(known, known.resource, "points")
    if what is Confirm.VAULT_LOCK:
        return vault(known, known.resource, "lock")
    if what is Confirm.GLOBAL_SETTINGS:
        return gate(Gate.CROSS_ACCOUNT_BACKUP_ENABLED, known)
    if what is Confirm.ORGANIZATION:
        return gate(Gate.SAME_ORGANIZATION, known)
    if what is Confirm.RAM_SHARES:
        return (
            Confirmation(
                "aws ram list-resources --resource-owner SELF --resource-type backup:BackupVault",
                "the vault owner's account",
                "whether the vault is shared through AWS RAM",
            ),
            Confirmation(
                "aws ram get-resource-share-invitations",
                "the account using the vault",
                "whether the share's invitation was accepted",
            ),
        )
    if what is Confirm.TERRAFORM_PROVIDER:
        return (
            Confirmation(
                "terraform version",
                "none (runs locally)",
                "the hashicorp/aws provider version",
            ),
        )
    if what is Confirm.JOB:
        return (
            Confirmation(
                "aws backup describe-backup-job --backup-job-id JOB_ID",
                "the account that ran the job",
                "the job's full StatusMessage",
            ),
        )
    if what is Confirm.DECODE:
        message = known.encoded or "ENCODED_MESSAGE"
        return (
            Confirmation(
                f"aws sts decode-authorization-message --encoded-message {message} "
                "--query DecodedMessage --output text",
                "the account where the request was denied (needs sts:DecodeAuthorizationMessage)",
                "the decoded JSON: give it to explain --error",
            ),
        )
    return ()


def allowed_images(
    region: str | None, ami: str | None, source_region: str | None = None
) -> tuple[Confirmation, ...]:
    """EC2 Allowed AMIs of the copy's destination (``region``), and the AMI in the source
    account (``source_region``, else ``region``)
    (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_GetAllowedImagesSettings.html)."""
    where = region or "REGION"
    source = source_region or where
    return (
        Confirmation(
            f"aws ec2 get-allowed-images-settings --region {where}",
            "the destination account (of the copy's destination vault)",
            "State (enabled, audit-mode, disabled) and ImageCriteria: whether the source "
            "account is an allowed image provider",
        ),
        Confirmation(
            f"aws ec2 describe-images --image-ids {ami or 'AMI_ID'} --region {source} "
            "--query 'Images[].{Owner:OwnerId,State:State}'",
            "the source account (of the source vault)",
            "whether the AMI exists in that Region and which account owns it",
        ),
    )
