"""Cross-references of a merged world: every name must point at something.

Errors: a role, user or group attaching a policy that is neither the account's own nor an
AWS managed policy (an ``arn:aws:iam::aws:policy/…`` ARN is always accepted: when neither
shipped nor in the world, the resolver reports it as unknown); a boundary naming a missing
policy; a user in a group the account does not define.
Warnings (the world may be partial, e.g. a collector that could not read every key): a
vault whose key reference matches no key of the world.
"""

from __future__ import annotations

from backup_access.errors import RequestError
from backup_access.fields import at
from backup_access.world.lookup import find_key, is_aws_managed_alias, managed_policy
from backup_access.world.managed import is_aws_managed_arn
from backup_access.world.model import Account, Location, World


def _check_policy(world: World, account: Account, ref: str, where: Location, what: str) -> None:
    if is_aws_managed_arn(ref) or managed_policy(world, account, ref) is not None:
        return
    defined = ", ".join(sorted(account.managed_policies)) or "none"
    raise RequestError(
        f"{what} '{ref}' is not a policy of account {account.id} (its policies: {defined}) "
        "nor a known AWS managed policy (write AWS managed policies as "
        "arn:aws:iam::aws:policy/NAME)",
        pointer=where.pointer,
        file=where.source,
    )


def _check_attachments(
    world: World,
    account: Account,
    location: Location,
    policies: tuple[str, ...],
    boundary: str | None,
) -> None:
    for index, ref in enumerate(policies):
        here = Location(location.source, at(at(location.pointer, "policies"), index))
        _check_policy(world, account, ref, here, "policy")
    if boundary is not None:
        here = Location(location.source, at(location.pointer, "boundary"))
        _check_policy(world, account, boundary, here, "permissions boundary")


def check_account(world: World, account: Account) -> list[str]:
    """``check_references`` for one account (a lazily read one, world/lazy.py)."""
    for role in account.roles.values():
        _check_attachments(world, account, role.location, role.policies, role.boundary)
    for group in account.groups.values():
        _check_attachments(world, account, group.location, group.policies, None)
    for user in account.users.values():
        _check_attachments(world, account, user.location, user.policies, user.boundary)
        for index, group_name in enumerate(user.groups):
            if group_name not in account.groups:
                raise RequestError(
                    f"group '{group_name}' is not defined in account {account.id}",
                    pointer=at(at(user.location.pointer, "groups"), index),
                    file=user.location.source,
                )
    warnings = []
    for region in account.regions.values():
        for vault in region.vaults.values():
            if vault.key is None or is_aws_managed_alias(vault.key):
                continue  # AWS managed keys exist without being listed
            if find_key(world, account.id, region.name, vault.key) is None:
                warnings.append(
                    f"{vault.location.source}#{at(vault.location.pointer, 'key')}: vault "
                    f"{vault.name} names key '{vault.key}', which no key of the world has "
                    "(requests on that key will report it as missing)"
                )
    return warnings


def check_references(world: World) -> tuple[str, ...]:
    """Raise ``RequestError`` on a broken reference; return warnings for doubtful ones."""
    warnings: list[str] = []
    for account_id in sorted(world.accounts):
        warnings += check_account(world, world.accounts[account_id])
    return tuple(warnings)
