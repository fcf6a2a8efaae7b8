"""SCP and RCP chains: root → each OU → the account, each level's attached policies.

SCPs must allow at every level of the principal's account path, RCPs at every level of the
resource's account path (orgs_manage_policies_scps_evaluation.html,
orgs_manage_policies_rcps_evaluation.html). AWS attaches ``RCPFullAWSAccess`` to every root,
OU and account and it cannot be detached, so it is present at each level of an RCP chain.

Missing organization data, one rule at every level (root, OU, account): a level whose
attachment list the world does not give is taken to have AWS's defaults only —
``FullAWSAccess`` (attached by AWS to every root, OU and account when SCPs are enabled) and
``RCPFullAWSAccess`` — and the resolution records that as an assumption, shown next to the
verdict. A collected world (``World.collected``) never assumes: a level without a list is
missing data, and a decision resting on it is unknown. An empty list (``policies: []``) is
data, not a gap: nothing is attached there, so SCPs deny everything at that level.
https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_evaluation.html
"""

from __future__ import annotations

from backup_access.engine.model import NamedPolicy, OrgLevel
from backup_access.policy.layer import Layer
from backup_access.world.findings import Findings
from backup_access.world.managed import FULL_AWS_ACCESS, RCP_FULL_AWS_ACCESS
from backup_access.world.model import Organization, OrgUnit
from backup_access.world.organization import OrgPath, org_policy


def _level(organization: Organization, level: str, names: tuple[str, ...], kind: Layer) -> OrgLevel:
    chosen = []
    for name in names:
        found = org_policy(organization, name)
        if found.type is kind:
            chosen.append(
                NamedPolicy(name, found.document, found.location.pointer, found.location.source)
            )
    if kind is Layer.RCP and not any(p.name == RCP_FULL_AWS_ACCESS for p in chosen):
        found = org_policy(organization, RCP_FULL_AWS_ACCESS)
        chosen.insert(0, NamedPolicy(RCP_FULL_AWS_ACCESS, found.document, "", "AWS default"))
    return OrgLevel(level, tuple(chosen))


def _unrecorded(what: str, kind: Layer, findings: Findings, *, collected: bool) -> None:
    """The one rule for a level whose attachment list the world does not give."""
    layer = f"{kind.short_name}s"
    if collected:
        findings.lack_guardrail(
            f"the {layer} attached to {what} (not in the collected world)", (kind,)
        )
        return
    default = FULL_AWS_ACCESS if kind is Layer.SCP else RCP_FULL_AWS_ACCESS
    findings.assume(
        f"the world lists no policies attached to {what}: taken to have only AWS's default "
        f"{default}, as at every level without a list (give the level's 'policies' to check "
        f"its {layer})"
    )


def _unit_names(
    unit: OrgUnit, kind: Layer, findings: Findings, *, collected: bool
) -> tuple[str, ...]:
    if unit.assumed:
        what = f"{'the root' if unit.id.startswith('r-') else 'OU'} {unit.id}"
        _unrecorded(
            what + (f" ({unit.name})" if unit.name else ""), kind, findings, collected=collected
        )
    return unit.policies


def _account_names(
    organization: Organization,
    account: str,
    kind: Layer,
    findings: Findings,
    *,
    collected: bool,
) -> tuple[str, ...]:
    if account in organization.account_policies:
        return organization.account_policies[account]
    _unrecorded(f"account {account}", kind, findings, collected=collected)
    return (FULL_AWS_ACCESS,)


def has_rcps(organization: Organization) -> bool:
    return any(p.type is Layer.RCP for p in organization.policies.values())


def org_chain(
    organization: Organization,
    path: OrgPath,
    account: str,
    kind: Layer,
    findings: Findings,
    *,
    collected: bool = False,
) -> tuple[OrgLevel, ...]:
    """The chain for ``account`` at ``path``: one level per unit, then the account."""
    levels = [
        _level(organization, unit.id, _unit_names(unit, kind, findings, collected=collected), kind)
        for unit in path.units
    ]
    names = _account_names(organization, account, kind, findings, collected=collected)
    levels.append(_level(organization, account, names, kind))
    if kind is Layer.RCP:
        findings.note(f"{RCP_FULL_AWS_ACCESS} is attached by AWS at every level of the RCP chain")
    return tuple(levels)
