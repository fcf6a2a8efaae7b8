"""Condition keys AWS would put in the request context, derived from the world.

Global keys: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html
KMS keys: https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html
``aws:PrincipalOrgPaths`` / ``aws:ResourceOrgPaths`` are multivalued and read
``o-…/r-…/ou-…/…/`` with a trailing slash. Calls a service makes with the caller's credentials
(forward access sessions) carry ``aws:CalledVia`` and ``aws:ViaAWSService``, and for KMS
``kms:ViaService`` = ``SERVICE.REGION.amazonaws.com``; ``kms:GrantIsForAWSResource`` is true
when an integrated service calls CreateGrant/ListGrants/RevokeGrant for the caller.
(The engine itself adds aws:PrincipalArn, PrincipalAccount, PrincipalType, username,
ResourceAccount and PrincipalIsAWSService.)
"""

from __future__ import annotations

from backup_access.policy.arn import Arn
from backup_access.policy.context import ContextValue
from backup_access.policy.principal import Principal
from backup_access.world.findings import Findings
from backup_access.world.model import Role, User, World
from backup_access.world.organization import account_path

_GRANT_ACTIONS = ("kms:creategrant", "kms:listgrants", "kms:revokegrant")


def org_keys(world: World, account: str | None, prefix: str) -> dict[str, ContextValue]:
    """``aws:{prefix}OrgID`` and ``aws:{prefix}OrgPaths`` for a member account."""
    organization = world.organization
    if organization is None or account is None:
        return {}
    path = account_path(organization, account)
    if path is None:
        return {}
    return {
        f"aws:{prefix}OrgID": organization.id,
        f"aws:{prefix}OrgPaths": (path.text(organization.id),),
    }


def tag_keys(prefix: str, tags: dict[str, str]) -> dict[str, ContextValue]:
    return {f"aws:{prefix}/{key}": value for key, value in sorted(tags.items())}


def via_service_keys(
    principal: Principal,
    action: str,
    resource: str,
    via_service: str | None,
    findings: Findings,
) -> dict[str, ContextValue]:
    keys: dict[str, ContextValue] = {}
    is_kms = action.lower().startswith("kms:")
    if is_kms and principal.account:
        keys["kms:CallerAccount"] = principal.account
    if via_service is None:
        return keys
    keys.update(
        {
            "aws:CalledVia": (via_service,),
            "aws:CalledViaFirst": via_service,
            "aws:CalledViaLast": via_service,
            "aws:ViaAWSService": "true",
        }
    )
    if is_kms:
        arn = Arn.parse(resource)
        if arn is not None and arn.region:
            prefix = via_service.removesuffix(".amazonaws.com")
            keys["kms:ViaService"] = f"{prefix}.{arn.region}.amazonaws.com"
        else:
            findings.note("kms:ViaService not set: the resource names no Region")
        if action.lower() in _GRANT_ACTIONS:
            keys["kms:GrantIsForAWSResource"] = "true"
    return keys


def world_context(
    world: World,
    principal: Principal,
    entity: Role | User | None,
    *,
    action: str,
    resource: str,
    resource_account: str | None,
    resource_tags: dict[str, str],
    via_service: str | None,
    findings: Findings,
    requested_region: str | None = None,
) -> dict[str, ContextValue]:
    """The keys AWS derives. ``aws:RequestedRegion`` is ``requested_region`` (the Region the
    call is sent to) when given, else the resource ARN's Region."""
    keys: dict[str, ContextValue] = {}
    if principal.is_iam:
        keys.update(org_keys(world, principal.account, "Principal"))
    if entity is not None:
        keys.update(tag_keys("PrincipalTag", entity.tags))
        if isinstance(entity, Role):
            # A session ARN does not show the role's path; aws:PrincipalArn is the role's ARN.
            keys["aws:PrincipalArn"] = entity.arn
    keys.update(org_keys(world, resource_account, "Resource"))
    arn = Arn.parse(resource)
    region = requested_region or (arn.region if arn is not None else None)
    if region:
        keys["aws:RequestedRegion"] = region
    keys.update(tag_keys("ResourceTag", resource_tags))
    keys.update(via_service_keys(principal, action, resource, via_service, findings))
    return keys
