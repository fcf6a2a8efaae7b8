"""The live documents ``fix --apply`` changes: read, write, and how to restore them.

One session's boto3 clients (made only by ``backup_access.collect.session``) read and write
an inline, managed or boundary policy, a trust policy, a vault access policy or a key
policy. AWS's refusals and failures come out as ``LiveError``, naming the IAM action of the
call and AWS's error code and message (never the credentials). Calls: IAM GetRolePolicy /
PutRolePolicy / GetRole / UpdateAssumeRolePolicy / GetPolicy / GetPolicyVersion /
CreatePolicyVersion, KMS GetKeyPolicy / PutKeyPolicy, Backup GetBackupVaultAccessPolicy /
PutBackupVaultAccessPolicy, STS GetCallerIdentity.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from botocore.exceptions import ClientError

from backup_access.collect.calls import READ_ERRORS, error_code, error_text
from backup_access.collect.session import make_client
from backup_access.fix import Fix, FixKind

_NOT_FOUND = (
    "NoSuchEntity",
    "NoSuchEntityException",
    "ResourceNotFoundException",
    "NotFoundException",
)


class ApplyError(Exception):
    """A fix that must not be applied, and why."""


class LiveError(Exception):
    """AWS refused or failed a read or write of a live document: AWS's error code and
    message (botocore's error text names the operation, never the credentials)."""

    def __init__(self, action: str, error: Exception) -> None:
        super().__init__(f"{action}: {error_text(error)}")
        self.action = action
        # AWS answered with a client error: the call was refused and changed nothing. A
        # server error, a timeout or a dropped connection leaves a write's outcome unknown.
        self.refused = isinstance(error, ClientError) and _status(error) < 500


def _status(error: ClientError) -> int:
    return int(error.response.get("ResponseMetadata", {}).get("HTTPStatusCode") or 400)


def _decode(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


class LiveDocuments:
    """Read and write the live documents fixes target, with one session."""

    def __init__(self, session: Any) -> None:
        self.session = session
        self._clients: dict[tuple[str, str | None], Any] = {}

    def client(self, service: str, region: str | None = None) -> Any:
        key = (service, region)
        if key not in self._clients:
            self._clients[key] = make_client(self.session, service, region)
        return self._clients[key]

    def account(self) -> str:
        return str(self.client("sts").get_caller_identity()["Account"])

    def read(self, fix: Fix) -> Any:
        """The live document, None when it does not exist; ``LiveError`` when AWS refuses
        or fails the read."""
        names = dict(fix.names)
        try:
            return self._read(fix, names)
        except READ_ERRORS as error:
            if error_code(error) in _NOT_FOUND:
                return None
            raise LiveError(_action(fix, error, write=False), error) from None

    def write(self, fix: Fix) -> None:
        """Put ``fix.document`` in place; ``LiveError`` when AWS refuses or fails it."""
        try:
            self._write(fix)
        except READ_ERRORS as error:
            raise LiveError(_action(fix, error, write=True), error) from None

    def _read(self, fix: Fix, names: dict[str, str]) -> Any:
        if fix.kind is FixKind.IDENTITY_POLICY:
            holder = next(k for k in ("role", "user", "group") if k in names)
            call = getattr(self.client("iam"), f"get_{holder}_policy")
            found = call(**{f"{holder.title()}Name": names[holder], "PolicyName": names["policy"]})
            return _decode(found["PolicyDocument"])
        if fix.kind in (FixKind.MANAGED_POLICY, FixKind.BOUNDARY_POLICY):
            arn = names["policy_arn"]
            version = self.client("iam").get_policy(PolicyArn=arn)["Policy"]["DefaultVersionId"]
            found = self.client("iam").get_policy_version(PolicyArn=arn, VersionId=version)
            return _decode(found["PolicyVersion"]["Document"])
        if fix.kind is FixKind.TRUST_POLICY:
            return _decode(
                self.client("iam").get_role(RoleName=names["role"])["Role"][
                    "AssumeRolePolicyDocument"
                ]
            )
        if fix.kind is FixKind.VAULT_POLICY:
            backup = self.client("backup", fix.region)
            found = backup.get_backup_vault_access_policy(BackupVaultName=names["vault"])
            return _decode(found.get("Policy"))
        if fix.kind is FixKind.KEY_POLICY:
            kms = self.client("kms", fix.region)
            return _decode(kms.get_key_policy(KeyId=names["key"], PolicyName="default")["Policy"])
        raise ApplyError(f"{fix.kind.value} cannot be applied")

    def _write(self, fix: Fix) -> None:
        names = dict(fix.names)
        text = json.dumps(fix.document, separators=(",", ":"))
        if fix.kind is FixKind.IDENTITY_POLICY:
            holder = next(k for k in ("role", "user", "group") if k in names)
            getattr(self.client("iam"), f"put_{holder}_policy")(
                **{f"{holder.title()}Name": names[holder]},
                PolicyName=names["policy"],
                PolicyDocument=text,
            )
        elif fix.kind in (FixKind.MANAGED_POLICY, FixKind.BOUNDARY_POLICY):
            self.client("iam").create_policy_version(
                PolicyArn=names["policy_arn"], PolicyDocument=text, SetAsDefault=True
            )
        elif fix.kind is FixKind.TRUST_POLICY:
            self.client("iam").update_assume_role_policy(
                RoleName=names["role"], PolicyDocument=text
            )
        elif fix.kind is FixKind.VAULT_POLICY:
            self.client("backup", fix.region).put_backup_vault_access_policy(
                BackupVaultName=names["vault"], Policy=text
            )
        elif fix.kind is FixKind.KEY_POLICY:
            self.client("kms", fix.region).put_key_policy(
                KeyId=names["key"], PolicyName="default", Policy=text
            )


def _action(fix: Fix, error: Exception, *, write: bool) -> str:
    """The IAM action of the call that failed (botocore names the operation of a ClientError;
    otherwise the call that reads or writes this kind of document)."""
    service = {FixKind.VAULT_POLICY: "backup", FixKind.KEY_POLICY: "kms"}.get(fix.kind, "iam")
    operation = getattr(error, "operation_name", None)
    if not operation:
        names = dict(fix.names)
        verb = "Put" if write else "Get"
        if fix.kind is FixKind.IDENTITY_POLICY:
            holder = next(k for k in ("role", "user", "group") if k in names).title()
            operation = f"{verb}{holder}Policy"
        elif fix.kind in (FixKind.MANAGED_POLICY, FixKind.BOUNDARY_POLICY):
            operation = "CreatePolicyVersion" if write else "GetPolicyVersion"
        elif fix.kind is FixKind.TRUST_POLICY:
            operation = "UpdateAssumeRolePolicy" if write else "GetRole"
        elif fix.kind is FixKind.VAULT_POLICY:
            operation = f"{verb}BackupVaultAccessPolicy"
        else:
            operation = f"{verb}KeyPolicy"
    return f"{service}:{operation}"


def restore_command(fix: Fix, backup: Path | None) -> str:
    """How to put back the document a fix replaced (or remove the one it created)."""
    names = dict(fix.names)
    region = f" --region {fix.region}" if fix.region else ""
    file = f"file://{backup}" if backup is not None else ""
    if fix.kind is FixKind.IDENTITY_POLICY:
        holder = next(k for k in ("role", "user", "group") if k in names)
        base = f"--{holder}-name {names[holder]} --policy-name {names['policy']}"
        if backup is None:
            return f"aws iam delete-{holder}-policy {base}"
        return f"aws iam put-{holder}-policy {base} --policy-document {file}"
    if fix.kind in (FixKind.MANAGED_POLICY, FixKind.BOUNDARY_POLICY):
        return (
            f"aws iam create-policy-version --policy-arn {names['policy_arn']} "
            f"--policy-document {file} --set-as-default"
        )
    if fix.kind is FixKind.TRUST_POLICY:
        return (
            f"aws iam update-assume-role-policy --role-name {names['role']} "
            f"--policy-document {file}"
        )
    if fix.kind is FixKind.VAULT_POLICY:
        if backup is None:
            return (
                "aws backup delete-backup-vault-access-policy "
                f"--backup-vault-name {names['vault']}{region}"
            )
        return (
            f"aws backup put-backup-vault-access-policy --backup-vault-name {names['vault']} "
            f"--policy {file}{region}"
        )
    return (
        f"aws kms put-key-policy --key-id {names['key']} --policy-name default "
        f"--policy {file}{region}"
    )
