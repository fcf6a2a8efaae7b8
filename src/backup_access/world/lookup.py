"""Find things in a world by the names and ARNs that policies and requests use."""

from __future__ import annotations

from backup_access.policy.arn import Arn
from backup_access.world.managed import (
    AWS_POLICY_PREFIX,
    is_aws_managed_arn,
    shipped_policy,
    shipped_policy_by_arn,
)
from backup_access.world.model import Account, Key, ManagedPolicy, Vault, World


def is_aws_managed_alias(ref: str) -> bool:
    """``alias/aws/…`` (as a name or in a KMS ARN) names only AWS managed keys, which exist
    whether or not a world lists them."""
    arn = Arn.parse(ref)
    return (arn.resource if arn is not None else ref).startswith("alias/aws/")


def managed_policy(world: World, account: Account, ref: str) -> ManagedPolicy | None:
    """The managed policy an attachment names: a customer managed policy of ``account`` (by
    name or ARN), or an AWS managed policy (by ARN, or by bare name when shipped)."""
    if ref in account.managed_policies:
        return account.managed_policies[ref]
    if is_aws_managed_arn(ref):
        return world.aws_managed_policies.get(ref) or shipped_policy_by_arn(ref)
    arn = Arn.parse(ref)
    if arn is not None:
        if arn.service == "iam" and arn.account == account.id and arn.resource_type == "policy":
            return account.managed_policies.get(arn.resource.rsplit("/", 1)[-1])
        return None
    for policy in world.aws_managed_policies.values():
        if policy.name == ref:
            return policy
    return shipped_policy(ref)


def suggest_aws_arn(ref: str) -> str | None:
    """For an AWS managed ARN with a wrong path, the shipped ARN of the same name."""
    if not is_aws_managed_arn(ref):
        return None
    shipped = shipped_policy(ref.removeprefix(AWS_POLICY_PREFIX).rsplit("/", 1)[-1])
    return shipped.arn if shipped is not None and shipped.arn != ref else None


def find_key(world: World, account: str, region: str, ref: str) -> Key | None:
    """A KMS key by key id, key ARN, alias name (``alias/x``) or alias ARN; names are
    relative to ``account`` and ``region``, ARNs carry their own."""
    arn = Arn.parse(ref)
    if arn is not None:
        if arn.service != "kms":
            return None
        account, region, ref = arn.account, arn.region, arn.resource
    holder = world.accounts.get(account)
    if holder is None or region not in holder.regions:
        return None
    keys = holder.regions[region].keys
    if ref.startswith("key/"):
        ref = ref.removeprefix("key/")
    if ref in keys:
        return keys[ref]
    if ref.startswith("alias/"):
        for key in keys.values():
            if ref in key.aliases:
                return key
    return None


def find_vault(world: World, account: str, region: str, name: str) -> Vault | None:
    holder = world.accounts.get(account)
    if holder is None or region not in holder.regions:
        return None
    return holder.regions[region].vaults.get(name)


def vault_of_recovery_point(world: World, arn: Arn) -> Vault | None:
    """The vault listing this recovery point (by its id or full ARN) in its account/Region."""
    holder = world.accounts.get(arn.account)
    if holder is None or arn.region not in holder.regions:
        return None
    point_id = arn.resource.split(":", 1)[-1]
    full = f"arn:{arn.partition}:{arn.service}:{arn.region}:{arn.account}:{arn.resource}"
    for vault in holder.regions[arn.region].vaults.values():
        if point_id in vault.recovery_points or full in vault.recovery_points:
            return vault
    return None
