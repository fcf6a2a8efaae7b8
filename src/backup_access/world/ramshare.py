"""A logically air-gapped vault shared through AWS RAM, as the resource-side allow it acts as.

A LAG vault is shared with other accounts through AWS RAM, not through its access policy;
an account it is shared with (directly, or through its organization or OU) then restores
from it directly, with its own roles
(https://docs.aws.amazon.com/aws-backup/latest/devguide/logicallyairgappedvault.html).
Across accounts AWS needs an allow on the resource side as well as the caller's own: the
share is that allow. It is modelled as Allow statements naming the accounts, organizations
and OUs of the vault's ``shared_with`` for the actions a recipient uses on a shared vault
(reading the vault and its recovery points, restoring and copying from it; the project's
model of the RAM permission for resource type ``backup:BackupVault``). The statements point
at the vault's ``shared_with`` in the world file.
"""

from __future__ import annotations

import re

from backup_access.policy.model import Statement
from backup_access.policy.parse import parse_statement
from backup_access.world.model import Vault, VaultType

SHARED_ACTIONS = (
    "backup:DescribeBackupVault",
    "backup:ListRecoveryPointsByBackupVault",
    "backup:ListProtectedResourcesByBackupVault",
    "backup:DescribeRecoveryPoint",
    "backup:GetRecoveryPointRestoreMetadata",
    "backup:StartRestoreJob",
    "backup:StartCopyJob",
    "backup:CopyFromBackupVault",
)
_ACCOUNT = re.compile(r"^[0-9]{12}\Z")
_ORG = re.compile(r"^o-[a-z0-9]{10,32}$")
_UNIT = re.compile(r"^(?:ou-[a-z0-9]{4,32}-[a-z0-9]{8,32}|r-[a-z0-9]{4,32})$")


def shares_actions(action: str) -> bool:
    return action.lower() in {a.lower() for a in SHARED_ACTIONS}


def _targets(vault: Vault) -> tuple[list[str], list[str], list[str], list[str]]:
    """(account ids, organization ids, org path patterns, entries not understood)."""
    accounts: list[str] = []
    organizations: list[str] = []
    paths: list[str] = []
    unknown: list[str] = []
    for entry in vault.shared_with:
        parts = entry.split("/")
        last = parts[-1]
        if _ACCOUNT.match(last):
            accounts.append(last)
        elif _ORG.match(last):
            organizations.append(last)
        elif _UNIT.match(last):
            # arn:aws:organizations::MGMT:ou/o-ORG/ou-… names its organization
            org = next((p for p in parts[:-1] if _ORG.match(p)), "*")
            paths.append(f"{org}/{last}/*" if last.startswith("r-") else f"{org}/*/{last}/*")
        else:
            unknown.append(entry)
    return accounts, organizations, paths, unknown


def ram_share_statements(vault: Vault, first_index: int) -> tuple[tuple[Statement, ...], list[str]]:
    """The Allow statements the vault's RAM share amounts to (none for a standard or
    unshared vault), numbered from ``first_index``, and the ``shared_with`` entries that name
    no account, organization or OU."""
    if vault.type is not VaultType.LOGICALLY_AIR_GAPPED or not vault.shared_with:
        return (), []
    accounts, organizations, paths, unknown = _targets(vault)
    pointer = f"{vault.location.pointer}/shared_with"
    base = {"Effect": "Allow", "Action": list(SHARED_ACTIONS), "Resource": "*"}
    raw: list[dict[str, object]] = []
    if accounts:
        principals = [f"arn:aws:iam::{account}:root" for account in accounts]
        raw.append({"Sid": "RamShareWithAccounts", **base, "Principal": {"AWS": principals}})
    if organizations:
        condition = {"StringEquals": {"aws:PrincipalOrgID": organizations}}
        raw.append(
            {"Sid": "RamShareWithOrganization", **base, "Principal": "*", "Condition": condition}
        )
    if paths:
        condition = {"ForAnyValue:StringLike": {"aws:PrincipalOrgPaths": paths}}
        raw.append({"Sid": "RamShareWithOUs", **base, "Principal": "*", "Condition": condition})
    statements = tuple(
        parse_statement(item, first_index + offset, pointer) for offset, item in enumerate(raw)
    )
    return statements, unknown
