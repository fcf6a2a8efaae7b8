"""The resource side of a request: which resource-based policy applies, and resource data.

- backup vault ARN → the vault access policy (none recorded = the vault has none); for a
  logically air-gapped vault shared through AWS RAM, also the allow the share amounts to
  (``world.ramshare``);
- recovery point ARN → the access policy of the vault holding it: the vault the caller names
  (``recovery_point_vault``), else the vault listing the point under ``recovery_points``;
  otherwise the vault is unknown and reported as missing (its policy may deny);
- KMS key or alias ARN → the key policy (an alias is resolved to its key, and the request is
  made on the key ARN with ``kms:RequestAlias``, as KMS authorizes it) and the key's grants;
  whether the key is AWS managed (``manager: aws``, or an ``alias/aws/…`` name), since RCPs
  do not apply to AWS managed keys;
- IAM role ARN with ``sts:AssumeRole*`` → the role's trust policy; ``iam:PassRole`` and other
  IAM actions have no resource policy.
Resource tags found on the way become ``aws:ResourceTag/*``.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from backup_access.engine.model import Grant, NamedPolicy
from backup_access.policy.arn import Arn
from backup_access.policy.context import ContextValue
from backup_access.policy.model import VERSION_2012, Policy
from backup_access.world.findings import Findings
from backup_access.world.lookup import (
    find_key,
    find_vault,
    is_aws_managed_alias,
    vault_of_recovery_point,
)
from backup_access.world.model import KeyManager, Location, Vault, World
from backup_access.world.ramshare import ram_share_statements, shares_actions

_ASSUME = ("sts:assumerole", "sts:assumerolewithsaml", "sts:assumerolewithwebidentity")
_TRUST_TOO = ("sts:tagsession", "sts:setsourceidentity", "sts:setcontext")


@dataclass(slots=True)
class ResourceSide:
    resource: str
    policy: NamedPolicy | None = None
    grants: tuple[Grant, ...] = ()
    tags: dict[str, str] = field(default_factory=dict)
    context: dict[str, ContextValue] = field(default_factory=dict)
    aws_managed_key: bool = False  # the resource is an AWS managed KMS key
    # Other parts whose policy decides the request: the vault holding a recovery point (its
    # access policy applies to the point). A collector that could not read one of them
    # leaves the request unknown, as if the resource itself were unread.
    governed_by: list[str] = field(default_factory=list)


def _named(name: str, policy: Policy, location: Location, element: str) -> NamedPolicy:
    return NamedPolicy(name, policy, f"{location.pointer}/{element}", location.source)


def _vault_side(side: ResourceSide, vault: Vault, action: str, findings: Findings) -> None:
    side.tags = dict(vault.tags)
    if vault.arn != side.resource:
        side.governed_by.append(vault.arn)
    access = vault.access_policy
    first = len(access.statements) if access is not None else 0
    shared, unknown = ram_share_statements(vault, first)
    for entry in unknown:
        findings.note(
            f"vault {vault.name}: shared_with entry {entry!r} names no account, organization "
            "or OU; it was ignored"
        )
    if shared:
        if shares_actions(action):
            findings.note(
                f"vault {vault.name} is a logically air-gapped vault shared through AWS RAM "
                f"with {', '.join(vault.shared_with)}: the share is the resource-side allow "
                f"for {action} (statements RamShareWith*, from its shared_with)"
            )
        name = f"AWS RAM share of vault {vault.name}"
        if access is not None:
            name = f"vault {vault.name} access policy and AWS RAM share"
            policy = replace(access, statements=access.statements + shared)
        else:
            policy = Policy(version=VERSION_2012, policy_id=None, statements=shared)
        side.policy = NamedPolicy(name, policy, vault.location.pointer, vault.location.source)
    elif access is not None:
        side.policy = _named(
            f"vault {vault.name} access policy",
            access,
            vault.location,
            "access_policy",
        )


def _vault_name(ref: str) -> tuple[str | None, str | None, str]:
    """(account, region, name) of a vault given by name or ARN."""
    arn = Arn.parse(ref)
    if arn is not None and arn.resource.startswith("backup-vault:"):
        return arn.account, arn.region, arn.resource.split(":", 1)[1]
    return None, None, ref


def _backup(
    world: World, arn: Arn, action: str, side: ResourceSide, vault_ref: str | None, f: Findings
) -> None:
    kind = arn.resource.split(":", 1)[0]
    if kind == "backup-vault":
        name = arn.resource.split(":", 1)[1]
        vault = find_vault(world, arn.account, arn.region, name)
        if vault is None:
            f.lack(f"vault {name} of {arn.account} in {arn.region} is not in the world")
        else:
            _vault_side(side, vault, action, f)
    elif kind == "recovery-point":
        vault = None
        if vault_ref is not None:
            account, region, name = _vault_name(vault_ref)
            vault = find_vault(world, account or arn.account, region or arn.region, name)
            if vault is None:
                side.governed_by.append(vault_ref)
                f.lack(f"vault {vault_ref} (holding the recovery point) is not in the world")
        else:
            vault = vault_of_recovery_point(world, arn)
            if vault is None:
                f.lack(
                    f"which vault holds recovery point {arn.resource.split(':', 1)[1]}: list it "
                    "under the vault's recovery_points or name the vault; its access policy "
                    "was not applied"
                )
        if vault is not None:
            f.note(f"recovery point is in vault {vault.arn}: its access policy applies")
            _vault_side(side, vault, action, f)


def _snapshot_recovery_point(
    world: World, arn: Arn, action: str, side: ResourceSide, vault_ref: str, findings: Findings
) -> None:
    account, region, name = _vault_name(vault_ref)
    vault = find_vault(world, account or arn.account, region or arn.region, name)
    if vault is None:
        side.governed_by.append(vault_ref)
        findings.lack(f"vault {vault_ref} (holding the recovery point) is not in the world")
        return
    findings.note(f"recovery point is in vault {vault.arn}: its access policy applies")
    _vault_side(side, vault, action, findings)


def _kms(world: World, arn: Arn, side: ResourceSide, findings: Findings) -> None:
    key = find_key(world, arn.account, arn.region, arn.resource)
    side.aws_managed_key = is_aws_managed_alias(arn.resource) or (
        key is not None and key.manager is KeyManager.AWS
    )
    if key is None:
        findings.lack(
            f"KMS key {side.resource} is not in the world (key policy and grants unknown)"
        )
        return
    if arn.resource_type == "alias":
        side.resource = key.arn
        side.context["kms:RequestAlias"] = arn.resource
        findings.note(f"{arn.resource} is key {key.arn}: the request is made on the key")
    if key.aliases:
        side.context["kms:ResourceAliases"] = key.aliases
    side.tags = dict(key.tags)
    side.grants = key.grants
    if key.policy is None:
        findings.lack(f"the key policy of {key.arn} is not recorded in the world")
    else:
        side.policy = _named(f"key {key.key_id} key policy", key.policy, key.location, "policy")


def _iam(world: World, arn: Arn, action: str, side: ResourceSide, findings: Findings) -> None:
    if arn.resource_type != "role":
        return
    name = arn.resource.rsplit("/", 1)[-1]
    account = world.accounts.get(arn.account)
    role = account.roles.get(name) if account else None
    assume = action.lower() in _ASSUME or action.lower() in _TRUST_TOO
    if role is None:
        if assume:
            findings.lack(
                f"role {name} of {arn.account} is not in the world (trust policy unknown)"
            )
        return
    side.tags = dict(role.tags)
    if assume:
        if role.trust is None:
            findings.lack(f"the trust policy of {role.arn} is not recorded in the world")
        else:
            side.policy = _named(f"role/{name} trust policy", role.trust, role.location, "trust")


def resolve_resource(
    world: World, resource: str, action: str, vault_ref: str | None, findings: Findings
) -> ResourceSide:
    side = ResourceSide(resource)
    arn = Arn.parse(resource)
    if arn is None:
        return side
    if arn.service == "backup":
        _backup(world, arn, action, side, vault_ref, findings)
    elif action.lower().startswith("backup:") and vault_ref is not None:
        # A snapshot-backed recovery point (arn:aws:ec2:…:snapshot/…, arn:aws:rds:…): AWS
        # Backup actions on it are governed by the access policy of the vault holding it
        # (https://docs.aws.amazon.com/aws-backup/latest/devguide/create-a-vault-access-policy.html).
        _snapshot_recovery_point(world, arn, action, side, vault_ref, findings)
    elif arn.service == "kms" and arn.resource_type in ("key", "alias"):
        _kms(world, arn, side, findings)
    elif arn.service == "iam":
        _iam(world, arn, action, side, findings)
    return side
