"""The AWS CLI commands that apply a new document, run in the account that owns it.

put-role-policy / put-user-policy / put-group-policy, create-policy-version,
update-assume-role-policy (https://awscli.amazonaws.com/v2/documentation/api/latest/reference/iam/index.html),
put-backup-vault-access-policy (https://docs.aws.amazon.com/aws-backup/latest/devguide/API_PutBackupVaultAccessPolicy.html),
put-key-policy (https://docs.aws.amazon.com/kms/latest/APIReference/API_PutKeyPolicy.html),
organizations create-policy / update-policy / attach-policy
(https://docs.aws.amazon.com/organizations/latest/APIReference/API_UpdatePolicy.html).
"""

from __future__ import annotations

import re

from backup_access.fix.model import DocumentTarget, FixKind

_ORG_FILTER = {"scp": "SERVICE_CONTROL_POLICY", "rcp": "RESOURCE_CONTROL_POLICY"}


def document_file(target: DocumentTarget) -> str:
    """The file name ``--write`` gives the new document."""
    slug = re.sub(r"[^A-Za-z0-9]+", "-", f"{target.account}-{target.label}").strip("-")
    return f"{slug.lower()}.json"


def _policy_id(name: str, kind: str) -> str:
    return (
        f"$(aws organizations list-policies --filter {_ORG_FILTER[kind]} "
        f"--query \"Policies[?Name=='{name}'].Id\" --output text)"
    )


def commands(target: DocumentTarget, *, new: bool) -> tuple[str, ...]:
    """Commands applying ``file://FILE`` (the new document) to ``target``."""
    file = f"file://{document_file(target)}"
    names = dict(target.names)
    where = f"# in account {target.account}"
    region = f" --region {target.region}" if target.region else ""
    kind = target.kind
    if kind is FixKind.IDENTITY_POLICY:
        holder = next(k for k in ("role", "user", "group") if k in names)
        return (
            where,
            f"aws iam put-{holder}-policy --{holder}-name {names[holder]} "
            f"--policy-name {names['policy']} --policy-document {file}",
        )
    if kind in (FixKind.MANAGED_POLICY, FixKind.BOUNDARY_POLICY):
        return (
            where,
            "# a managed policy keeps at most 5 versions: delete the oldest non-default one "
            "first if it has 5 (aws iam list-policy-versions)",
            f"aws iam create-policy-version --policy-arn {names['policy_arn']} "
            f"--policy-document {file} --set-as-default",
        )
    if kind is FixKind.TRUST_POLICY:
        return (
            where,
            f"aws iam update-assume-role-policy --role-name {names['role']} "
            f"--policy-document {file}",
        )
    if kind is FixKind.VAULT_POLICY:
        return (
            where,
            f"aws backup put-backup-vault-access-policy --backup-vault-name {names['vault']} "
            f"--policy {file}{region}",
        )
    if kind is FixKind.KEY_POLICY:
        return (
            where,
            f"aws kms put-key-policy --key-id {names['key']} --policy-name default "
            f"--policy {file}{region}",
        )
    if kind.is_organization_policy:
        org_kind = names["type"]
        where = f"# in the management account {target.account} (organization administrators)"
        if not new:
            return (
                where,
                "aws organizations update-policy --policy-id "
                f"{_policy_id(names['policy'], org_kind)} --content {file}",
            )
        created = (
            where,
            f"aws organizations create-policy --name {names['policy']} --type "
            f"{_ORG_FILTER[org_kind]} --description 'backup-access fix' --content {file}",
        )
        attach = tuple(
            f"aws organizations attach-policy --policy-id {_policy_id(names['policy'], org_kind)} "
            f"--target-id {level}"
            for level in names.get("targets", "").split(",")
            if level
        )
        return created + attach
    return ()
