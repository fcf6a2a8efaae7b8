"""Resolve a request in a world: the engine's ``PolicySet`` and the request context.

``resolve`` is the bridge from the world model to the engine: it gathers every policy that
applies to (principal, action, resource), adds the context keys AWS would supply, and says
which assumptions it made (``notes``) and which data the world lacks (``missing``). A result
with ``missing`` entries is incomplete: a decision made on it may change once they are known.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from backup_access.engine.model import Layer, NamedPolicy, OrgLevel, PolicySet, Request
from backup_access.engine.request import make_request
from backup_access.policy.arn import Arn
from backup_access.policy.context import ContextValue
from backup_access.policy.principal import Principal, parse_principal
from backup_access.world.context import world_context
from backup_access.world.findings import Findings, GuardrailGap, is_assumption
from backup_access.world.identity import resolve_identity
from backup_access.world.manifest import ORGANIZATION_KEY
from backup_access.world.model import Organization, Role, World
from backup_access.world.organization import account_path
from backup_access.world.orgchain import has_rcps, org_chain
from backup_access.world.resource import ResourceSide, resolve_resource


@dataclass(frozen=True, slots=True)
class Resolution:
    """A request ready for ``engine.evaluate``, with what was assumed and what is unknown."""

    request: Request
    policies: PolicySet
    notes: tuple[str, ...]
    missing: tuple[str, ...]
    # The entries of ``missing`` that are SCPs or RCPs the world lacks: they can only restrict.
    guardrail_gaps: tuple[GuardrailGap, ...] = ()

    @property
    def assumptions(self) -> tuple[str, ...]:
        """The notes that stand in for data the world lacks (see ``Findings.assume``)."""
        return tuple(note for note in self.notes if is_assumption(note))


def _scp_chain(
    world: World, principal: Principal, findings: Findings
) -> tuple[OrgLevel, ...] | None:
    organization = world.organization
    account = principal.account
    if not principal.is_iam or account is None:
        return None
    path = account_path(organization, account) if organization else None
    if organization is not None and path is not None:
        return org_chain(
            organization, path, account, Layer.SCP, findings, collected=world.collected
        )
    if account not in world.accounts and not principal.service_linked:
        findings.lack_guardrail(
            f"account {account} is not in the world: whether SCPs apply to it is unknown",
            (Layer.SCP,),
        )
    elif organization is not None:
        _outside(organization, account, findings, collected=world.collected)
    return None


def _outside(
    organization: Organization, account: str, findings: Findings, *, collected: bool
) -> None:
    """An account of the world that no OU of its organization lists: outside it, so no SCP
    or RCP applies. A collected world lists every member; in a hand-written one this may be
    a partner account or a member left out of the tree by mistake, so the answer says that
    it rests on it. The management account is exempt either way."""
    if account == organization.management_account:
        findings.note(f"account {account} is the management account: no SCPs or RCPs apply")
        return
    if collected:
        findings.note(
            f"account {account} is not in organization {organization.id}: no SCPs or RCPs"
        )
        return
    findings.assume(
        f"account {account} is in no 'accounts' list of organization {organization.id}'s root "
        "or OUs: taken to be outside the organization, so no SCPs or RCPs apply to it (list "
        "it in its OU if it is a member)"
    )


def _rcp_chain(
    world: World, resource_account: str | None, side: ResourceSide, action: str, f: Findings
) -> tuple[OrgLevel, ...] | None:
    """The RCP chain of the resource's account, if RCPs can apply to this request.

    AWS KMS: RCPs do not apply to AWS managed keys
    (https://docs.aws.amazon.com/kms/latest/developerguide/resource-control-policies.html);
    that kms:RetireGrant escapes every RCP is the engine's rule (``RCP_EXEMPT_ACTIONS``).
    """
    organization = world.organization
    if organization is None or resource_account is None or not has_rcps(organization):
        return None
    if side.aws_managed_key:
        f.note(f"{side.resource} is an AWS managed key: RCPs do not apply to AWS managed keys")
        return None
    path = account_path(organization, resource_account)
    if path is None:
        if resource_account in world.accounts:
            _outside(organization, resource_account, f, collected=world.collected)
        return None
    return org_chain(organization, path, resource_account, Layer.RCP, f, collected=world.collected)


def _account_of(ref: str) -> str | None:
    arn = Arn.parse(ref)
    return arn.account or None if arn is not None else None


def _unreadable(world: World, touched: tuple[str | None, ...], findings: Findings) -> None:
    """Parts the collector could not read (manifest.json) that this request touches: the
    principal's and the resource's accounts, the resource and what governs it (a recovery
    point's vault). Any of them may hold an allow as well as a deny."""
    for key in dict.fromkeys(touched):
        if key is not None and key != ORGANIZATION_KEY and key in world.unknown:
            findings.lack(f"{key} could not be read by the collector: {world.unknown[key]}")


# Condition keys AWS sets from the organization (global keys page in world/context.py;
# backup:CopyTargetOrgPaths: https://docs.aws.amazon.com/aws-backup/latest/devguide/create-cross-account-backup.html).
_PRINCIPAL_ORG_KEYS = ("aws:PrincipalOrgID", "aws:PrincipalOrgPaths")
_RESOURCE_ORG_KEYS = ("aws:ResourceOrgID", "aws:ResourceOrgPaths", "backup:CopyTargetOrgPaths")


def _unread_organization(
    world: World,
    who: Principal,
    account: str | None,
    side: ResourceSide,
    context: Mapping[str, ContextValue],
    findings: Findings,
) -> None:
    """The organization's policies the collector could not read: SCPs and RCPs, which only
    restrict (world/findings.py), and the organization keys of the request, which AWS would
    set from the same data. RCPs do not apply to AWS managed keys (see ``_rcp_chain``); every
    other exemption is the engine's to apply."""
    if ORGANIZATION_KEY not in world.unknown:
        return
    layers = (Layer.SCP,) if side.aws_managed_key else (Layer.SCP, Layer.RCP)
    keys = (*(_PRINCIPAL_ORG_KEYS if who.is_iam else ()), *(_RESOURCE_ORG_KEYS if account else ()))
    present = {key.lower() for key in context}
    findings.lack_guardrail(
        f"the organization's policies could not be read by the collector: "
        f"{world.unknown[ORGANIZATION_KEY]}",
        layers,
        tuple(key for key in keys if key.lower() not in present),
    )


def resolve(
    world: World,
    principal: str,
    action: str,
    resource: str,
    *,
    context: Mapping[str, ContextValue] | None = None,
    via_service: str | None = None,
    resource_account: str | None = None,
    recovery_point_vault: str | None = None,
    requested_region: str | None = None,
    session: tuple[NamedPolicy, ...] | None = None,
) -> Resolution:
    """Build the request and policy set for ``principal`` doing ``action`` on ``resource``.

    ``via_service`` (e.g. ``backup.amazonaws.com``) marks a call a service makes with the
    caller's credentials; ``recovery_point_vault`` names the vault of a recovery point;
    ``requested_region`` is the Region the call is sent to (``aws:RequestedRegion``, which AWS
    always sets; default: the resource ARN's Region). ``session`` are the session policies of
    the principal's session, passed when it was created (sts:AssumeRole ``Policy`` /
    ``PolicyArns``); a world holds none, so without them the session layer does not apply.
    Context given by the caller wins over derived keys. Raises ``RequestError`` on a
    malformed principal, action or resource.
    """
    findings = Findings()
    who = parse_principal(principal)
    identity = resolve_identity(world, who, findings)
    if isinstance(identity.entity, Role) and identity.entity.service_linked:
        who = parse_principal(principal, service_linked=True)
    side = resolve_resource(world, resource, action, recovery_point_vault, findings)
    arn = Arn.parse(side.resource)
    account = resource_account or (arn.account if arn is not None and arn.account else None)
    derived = world_context(
        world,
        who,
        identity.entity,
        action=action,
        resource=side.resource,
        resource_account=account,
        resource_tags=side.tags,
        via_service=via_service,
        findings=findings,
        requested_region=requested_region,
    )
    merged = {**derived, **side.context, **dict(context or {})}
    lowered = {key.lower() for key in (context or {})}
    merged = {
        key: value
        for key, value in merged.items()
        if key in (context or {}) or key.lower() not in lowered
    }
    if not any(key.lower() == "aws:requestedregion" for key in merged):
        findings.note(
            "aws:RequestedRegion not set: neither the request nor the resource names a Region "
            "(conditions on it see no value)"
        )
    # A recovery point's vault decides the request through its access policy: unread, or in
    # an unread account, it leaves the request as unknown as an unread resource would.
    governing = (*side.governed_by, *(_account_of(ref) for ref in side.governed_by))
    _unreadable(world, (who.account, account, resource, side.resource, *governing), findings)
    _unread_organization(world, who, account, side, merged, findings)
    request = make_request(who, action, side.resource, resource_account=account, context=merged)
    policies = PolicySet(
        identity=identity.policies,
        boundary=identity.boundary,
        session=session,
        resource=side.policy,
        scp=_scp_chain(world, who, findings),
        rcp=_rcp_chain(world, account, side, action, findings),
        grants=side.grants,
        management_account=world.organization.management_account if world.organization else None,
    )
    return Resolution(
        request,
        policies,
        tuple(findings.notes),
        tuple(findings.missing),
        tuple(findings.guardrails),
    )
