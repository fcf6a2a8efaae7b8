"""Find the documents a fix changes: the principal's inline policy, its boundary, a vault's
access policy, a key's policy, a role's trust policy, an organization policy.

AWS-protected things are never targets: AWS managed policies, service-linked roles (path
``/aws-service-role/``) and IAM Identity Center's roles (path ``/aws-reserved/sso.amazonaws.com/``)
cannot be changed by the account
(https://docs.aws.amazon.com/IAM/latest/UserGuide/using-service-linked-roles.html,
https://docs.aws.amazon.com/singlesignon/latest/userguide/using-service-linked-roles.html).
"""

from __future__ import annotations

import re

from backup_access.fix.model import DocumentTarget, FixKind
from backup_access.fix.raw import join, tokens
from backup_access.policy.arn import Arn
from backup_access.world import Group, Key, ManagedPolicy, Role, User, Vault, World
from backup_access.world.lookup import find_key, find_vault, managed_policy
from backup_access.world.managed import is_aws_managed_arn
from backup_access.world.organization import walk

FIX_POLICY_NAME = "BackupAccessFix"
_PROTECTED_PATHS = ("/aws-service-role/", "/aws-reserved/")


def is_protected(role: Role | User) -> bool:
    """A role AWS owns: its policies and trust cannot be changed by the account."""
    return any(role.path.startswith(prefix) for prefix in _PROTECTED_PATHS)


def entity_of(world: World, principal: str) -> Role | User | None:
    """The role or user a principal ARN names (a role session names its role)."""
    arn = Arn.parse(principal)
    if arn is None or arn.account not in world.accounts:
        return None
    account = world.accounts[arn.account]
    if arn.service == "sts" and arn.resource.startswith("assumed-role/"):
        return account.roles.get(arn.resource.split("/")[1])
    if arn.service != "iam":
        return None
    name = arn.resource.rsplit("/", 1)[-1]
    if arn.resource_type == "role":
        return account.roles.get(name)
    if arn.resource_type == "user":
        return account.users.get(name)
    return None


def account_of(world: World, arn: str) -> str | None:
    parsed = Arn.parse(arn)
    return parsed.account or None if parsed is not None else None


def principal_arn(world: World, principal: str) -> str:
    """The ARN policies name a principal by (``aws:PrincipalArn``): a role session's role."""
    entity = entity_of(world, principal)
    return entity.arn if entity is not None else principal


def inline_target(entity: Role | User, account: str) -> DocumentTarget:
    kind = "role" if isinstance(entity, Role) else "user"
    return DocumentTarget(
        kind=FixKind.IDENTITY_POLICY,
        arn=entity.arn,
        pointer=join(entity.location.pointer, "inline", FIX_POLICY_NAME),
        account=account,
        label=f"{kind} {entity.name} inline policy {FIX_POLICY_NAME}",
        names=((kind, entity.name), ("policy", FIX_POLICY_NAME)),
    )


def managed_target(
    world: World, account: str, ref: str, kind: FixKind
) -> tuple[DocumentTarget | None, ManagedPolicy | None]:
    """A customer managed policy as a target; (None, policy) for an AWS managed one."""
    holder = world.accounts.get(account)
    if holder is None:
        return None, None
    found = managed_policy(world, holder, ref)
    if found is None or is_aws_managed_arn(found.arn) or found.name not in holder.managed_policies:
        return None, found
    return (
        DocumentTarget(
            kind=kind,
            arn=found.arn,
            pointer=found.location.pointer,
            account=account,
            label=f"managed policy {found.name}",
            names=(("policy_arn", found.arn), ("policy", found.name)),
        ),
        found,
    )


def trust_target(role: Role, account: str) -> DocumentTarget:
    return DocumentTarget(
        kind=FixKind.TRUST_POLICY,
        arn=role.arn,
        pointer=join(role.location.pointer, "trust"),
        account=account,
        label=f"role {role.name} trust policy",
        names=(("role", role.name),),
    )


def vault_target(vault: Vault) -> DocumentTarget:
    return DocumentTarget(
        kind=FixKind.VAULT_POLICY,
        arn=vault.arn,
        pointer=join(vault.location.pointer, "access_policy"),
        account=vault.account,
        region=vault.region,
        label=f"vault {vault.name} access policy",
        names=(("vault", vault.name),),
    )


def key_target(key: Key) -> DocumentTarget:
    return DocumentTarget(
        kind=FixKind.KEY_POLICY,
        arn=key.arn,
        pointer=join(key.location.pointer, "policy"),
        account=key.account,
        region=key.region,
        label=f"key {key.key_id} key policy",
        names=(("key", key.key_id),),
    )


def vault_at(world: World, arn: str) -> Vault | None:
    parsed = Arn.parse(arn)
    if parsed is None or not parsed.resource.startswith("backup-vault:"):
        return None
    return find_vault(world, parsed.account, parsed.region, parsed.resource.split(":", 1)[1])


def key_at(world: World, arn: str) -> Key | None:
    parsed = Arn.parse(arn)
    if parsed is None or parsed.service != "kms":
        return None
    return find_key(world, parsed.account, parsed.region, parsed.resource)


_STATEMENT = re.compile(r"^(?P<document>.*)/Statement(?:/(?P<position>\d+))?$")


def split_statement_pointer(pointer: str) -> tuple[str, int] | None:
    """(document pointer, index in its statement list) of a statement's pointer."""
    match = _STATEMENT.match(pointer)
    if match is None:
        return None
    position = match.group("position")
    return match.group("document"), int(position) if position is not None else 0


def target_at(world: World, pointer: str, *, boundary: bool = False) -> DocumentTarget | None:
    """The document at a world pointer, as a target (None for a place fixes do not edit)."""
    parts = tokens(pointer)
    if len(parts) >= 4 and parts[0] == "organization" and parts[1] == "policies":
        organization = world.organization
        policy = organization.policies.get(parts[2]) if organization is not None else None
        if policy is None or organization is None:
            return None
        kind = FixKind.SCP if policy.type.value == "scp" else FixKind.RCP
        return DocumentTarget(
            kind=kind,
            arn=policy.name,
            pointer=pointer,
            account=organization.management_account or "the management account",
            label=f"{policy.type.value.upper()} {policy.name}",
            names=(("policy", policy.name), ("type", policy.type.value)),
        )
    if len(parts) < 4 or parts[0] != "accounts" or parts[1] not in world.accounts:
        return None
    account = world.accounts[parts[1]]
    if parts[2] == "iam" and len(parts) >= 5:
        collection, name = parts[3], parts[4]
        if collection == "policies":
            target, _ = managed_target(
                world,
                account.id,
                name,
                FixKind.BOUNDARY_POLICY if boundary else FixKind.MANAGED_POLICY,
            )
            return target
        holders: dict[str, dict[str, Role | User | Group]] = {
            "roles": dict(account.roles),
            "users": dict(account.users),
            "groups": dict(account.groups),
        }
        entity = holders.get(collection, {}).get(name)
        if entity is None:
            return None
        singular = collection[:-1]
        if len(parts) == 6 and parts[5] == "trust" and isinstance(entity, Role):
            return trust_target(entity, account.id)
        if len(parts) == 7 and parts[5] == "inline":
            return DocumentTarget(
                kind=FixKind.IDENTITY_POLICY,
                arn=entity.arn,
                pointer=pointer,
                account=account.id,
                label=f"{singular} {name} inline policy {parts[6]}",
                names=((singular, name), ("policy", parts[6])),
            )
        return None
    if parts[2] == "regions" and len(parts) == 8:
        region = account.regions.get(parts[3])
        if region is None:
            return None
        if parts[4:6] == ["backup", "vaults"] and parts[7] == "access_policy":
            vault = region.vaults.get(parts[6])
            return vault_target(vault) if vault is not None else None
        if parts[4:6] == ["kms", "keys"] and parts[7] == "policy":
            key = region.keys.get(parts[6])
            return key_target(key) if key is not None else None
    return None


def org_attachments(world: World, name: str) -> list[str]:
    """Where an organization policy is attached: root/OU ids and account ids."""
    organization = world.organization
    if organization is None:
        return []
    found = [path[-1].id for path in walk(organization.root) if name in path[-1].policies]
    found += [a for a, names in sorted(organization.account_policies.items()) if name in names]
    return found
