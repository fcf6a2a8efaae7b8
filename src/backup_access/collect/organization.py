"""The organization as a world's ``organization`` section: the tree of OUs and accounts, every
SCP and RCP with its content and where it is attached.

Read from the management account or a delegated administrator: DescribeOrganization,
ListRoots, ListOrganizationalUnitsForParent, ListAccountsForParent, ListPolicies,
DescribePolicy, ListTargetsForPolicy, and for AWS Backup's organization features
ListAWSServiceAccessForOrganization and ListDelegatedAdministrators
(https://docs.aws.amazon.com/organizations/latest/APIReference/API_Operations.html).
A policy type that is not enabled on the root does not apply: with SCPs off, every level is
given AWS's ``FullAWSAccess`` so that nothing is restricted, as AWS does
(https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from backup_access.collect.backup import GlobalSettings
from backup_access.collect.calls import MISSING, Gap, Missing, Reader
from backup_access.collect.policy_text import POLICY_TEXT, decode_policy
from backup_access.errors import InputError
from backup_access.world.managed import FULL_AWS_ACCESS, RCP_FULL_AWS_ACCESS
from backup_access.world.manifest import ORGANIZATION_KEY

_TYPES = {"SERVICE_CONTROL_POLICY": "scp", "RESOURCE_CONTROL_POLICY": "rcp"}
_AWS_DEFAULTS = {FULL_AWS_ACCESS, RCP_FULL_AWS_ACCESS}
BACKUP_SERVICE = "backup.amazonaws.com"


class OrganizationUnreadableError(Exception):
    """The organization's structure or policies could not be read (the gap is recorded)."""


@dataclass
class Member:
    """An account of the organization as ListAccountsForParent describes it."""

    id: str
    name: str | None
    status: str | None


@dataclass
class OrganizationPart:
    section: dict[str, Any]
    members: list[Member] = field(default_factory=list)


def _pages(reader: Reader, client: Any, operation: str, key: str, **params: Any) -> list[Any]:
    items = reader.pages(
        client, operation, key, part="organization", unknown=ORGANIZATION_KEY, **params
    )
    if isinstance(items, Missing):
        raise OrganizationUnreadableError(operation)
    return items


class _Reading:
    def __init__(self, reader: Reader) -> None:
        self.reader = reader
        self.client = reader.client("organizations")
        self.members: list[Member] = []
        self.attached: dict[str, list[str]] = defaultdict(list)  # target id -> policy names

    def policies(self, enabled: set[str]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for aws_type, kind in _TYPES.items():
            if aws_type not in enabled:
                continue
            for summary in _pages(
                self.reader, self.client, "list_policies", "Policies", Filter=aws_type
            ):
                name = summary["Name"]
                if name in out:  # an SCP and an RCP may share a name; the world keys by name
                    name = f"{name} ({summary['Id']})"
                if not (summary.get("AwsManaged") and name in _AWS_DEFAULTS):
                    described = self.reader.call(
                        self.client,
                        "describe_policy",
                        part=f"organization policy {name}",
                        unknown=ORGANIZATION_KEY,
                        PolicyId=summary["Id"],
                    )
                    if described is None or described is MISSING:
                        raise OrganizationUnreadableError("describe_policy")
                    out[name] = {"type": kind, "document": self.document(name, described)}
                for target in _pages(
                    self.reader,
                    self.client,
                    "list_targets_for_policy",
                    "Targets",
                    PolicyId=summary["Id"],
                ):
                    self.attached[target["TargetId"]].append(name)
        return out

    def document(self, name: str, described: dict[str, Any]) -> object:
        """The policy's content; a text that cannot be decoded (a key written twice, invalid
        JSON) is a gap and makes the organization unreadable: leaving the policy out would
        read as fewer restrictions than AWS applies."""
        try:
            return decode_policy(described["Policy"].get("Content"), source=POLICY_TEXT)
        except InputError as error:
            self.reader.log.add_gap(
                Gap(
                    self.reader.account,
                    None,
                    f"organization policy {name}",
                    "(parse)",
                    f"not readable by backup-access: {error}",
                    ORGANIZATION_KEY,
                )
            )
            raise OrganizationUnreadableError("describe_policy") from None

    def unit(self, unit_id: str, name: str | None, defaults: list[str]) -> dict[str, Any]:
        accounts = _pages(
            self.reader, self.client, "list_accounts_for_parent", "Accounts", ParentId=unit_id
        )
        self.members += [Member(a["Id"], a.get("Name"), a.get("Status")) for a in accounts]
        children = _pages(
            self.reader,
            self.client,
            "list_organizational_units_for_parent",
            "OrganizationalUnits",
            ParentId=unit_id,
        )
        out: dict[str, Any] = {"id": unit_id}
        if name:
            out["name"] = name
        out["policies"] = sorted({*defaults, *self.attached.get(unit_id, [])})
        out["accounts"] = sorted(a["Id"] for a in accounts)
        out["ous"] = [
            self.unit(child["Id"], child.get("Name"), defaults)
            for child in sorted(children, key=lambda c: c["Id"])
        ]
        return out


def _services(reader: Reader, client: Any) -> dict[str, Any]:
    """Trusted access and AWS Backup's delegated administrators; a part that cannot be read
    is left out (the world then reads it as unknown) and recorded as a gap."""
    out: dict[str, Any] = {}
    enabled = reader.pages(
        client,
        "list_aws_service_access_for_organization",
        "EnabledServicePrincipals",
        part="organization trusted access",
    )
    if not isinstance(enabled, Missing):
        out["trusted_access"] = sorted(item["ServicePrincipal"] for item in enabled)
    admins = reader.pages(
        client,
        "list_delegated_administrators",
        "DelegatedAdministrators",
        part="AWS Backup delegated administrators",
        ServicePrincipal=BACKUP_SERVICE,
    )
    if not isinstance(admins, Missing):
        out["delegated_administrators"] = {BACKUP_SERVICE: sorted(a["Id"] for a in admins)}
    return out


def read_organization(reader: Reader, *, settings: GlobalSettings) -> OrganizationPart:
    """The organization seen from ``reader``'s account; raises ``OrganizationUnreadableError``."""
    reading = _Reading(reader)
    described = reader.call(
        reading.client, "describe_organization", part="organization", unknown=ORGANIZATION_KEY
    )
    if described is None or described is MISSING:
        raise OrganizationUnreadableError("describe_organization")
    organization = described["Organization"]
    roots = _pages(reader, reading.client, "list_roots", "Roots")
    if not roots:
        raise OrganizationUnreadableError("list_roots")
    root = roots[0]
    enabled = {t["Type"] for t in root.get("PolicyTypes") or [] if t.get("Status") == "ENABLED"}
    policies = reading.policies(enabled)
    # With SCPs off nothing is restricted: FullAWSAccess at every level says the same.
    defaults = [] if "SERVICE_CONTROL_POLICY" in enabled else [FULL_AWS_ACCESS]
    tree = reading.unit(root["Id"], root.get("Name"), defaults)
    section: dict[str, Any] = {
        "id": organization["Id"],
        "management_account": organization.get("MasterAccountId"),
        "policies": policies,
        "root": tree,
        "account_policies": {
            member.id: sorted({*defaults, *reading.attached.get(member.id, [])})
            for member in sorted(reading.members, key=lambda m: m.id)
        },
    }
    if settings.cross_account_backup is not None:
        section["cross_account_backup"] = settings.cross_account_backup
    if settings.delegated_admin_enabled is not None:
        section["backup_delegated_admin_enabled"] = settings.delegated_admin_enabled
    section.update(_services(reader, reading.client))
    return OrganizationPart(section=section, members=reading.members)
