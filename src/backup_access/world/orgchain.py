"""SCP and RCP chains: root → each OU → the account, each level's attached policies.

SCPs must allow at every level of the principal's account path, RCPs at every level of the
resource's account path (orgs_manage_policies_scps_evaluation.html,
orgs_manage_policies_rcps_evaluation.html). AWS attaches ``RCPFullAWSAccess`` to every root,
OU and account and it cannot be detached, so it is present at each level of an RCP chain.
Member accounts have no place for attachments in the organization tree; an account without
an ``account_policies`` entry is taken to have AWS's default ``FullAWSAccess``.
"""

from __future__ import annotations

from backup_access.engine.model import NamedPolicy, OrgLevel
from backup_access.world.findings import Findings
from backup_access.world.managed import FULL_AWS_ACCESS, RCP_FULL_AWS_ACCESS
from backup_access.world.model import Organization, OrgPolicyType
from backup_access.world.organization import OrgPath, org_policy


def _level(
    organization: Organization, level: str, names: tuple[str, ...], kind: OrgPolicyType
) -> OrgLevel:
    chosen = []
    for name in names:
        found = org_policy(organization, name)
        if found.type is kind:
            chosen.append(
                NamedPolicy(name, found.document, found.location.pointer, found.location.source)
            )
    if kind is OrgPolicyType.RCP and not any(p.name == RCP_FULL_AWS_ACCESS for p in chosen):
        found = org_policy(organization, RCP_FULL_AWS_ACCESS)
        chosen.insert(0, NamedPolicy(RCP_FULL_AWS_ACCESS, found.document, "", "AWS default"))
    return OrgLevel(level, tuple(chosen))


def _account_names(
    organization: Organization, account: str, findings: Findings, kind: OrgPolicyType
) -> tuple[str, ...]:
    if account in organization.account_policies:
        return organization.account_policies[account]
    if kind is OrgPolicyType.SCP:
        findings.note(
            f"no account_policies for {account}: assumed AWS's default {FULL_AWS_ACCESS} "
            "attached to the account"
        )
        return (FULL_AWS_ACCESS,)
    return ()


def has_rcps(organization: Organization) -> bool:
    return any(p.type is OrgPolicyType.RCP for p in organization.policies.values())


def org_chain(
    organization: Organization,
    path: OrgPath,
    account: str,
    kind: OrgPolicyType,
    findings: Findings,
) -> tuple[OrgLevel, ...]:
    """The chain for ``account`` at ``path``: one level per unit, then the account."""
    levels = [_level(organization, unit.id, unit.policies, kind) for unit in path.units]
    names = _account_names(organization, account, findings, kind)
    levels.append(_level(organization, account, names, kind))
    if kind is OrgPolicyType.RCP:
        findings.note(f"{RCP_FULL_AWS_ACCESS} is attached by AWS at every level of the RCP chain")
    return tuple(levels)
