"""Put a masked account id back from the world, when the rest of the ARN names one thing.

A paste with ``arn:aws:sts::XXXXXXXXXXXX:assumed-role/BackupOperator/alice`` can still be
evaluated in a world where exactly one account has a role ``BackupOperator``; the same for a
user, a vault (name and Region) and a KMS key (id and Region). When none or several match,
the field stays unknown. Every substitution is said.
"""

from __future__ import annotations

from dataclasses import dataclass

from backup_access.diagnose.masking import account_mask, arn_account
from backup_access.world import World


@dataclass(frozen=True, slots=True)
class Unmasked:
    """The ARN with its account put back (or as it was), and what was done."""

    arn: str | None
    note: str | None = None

    @property
    def resolved(self) -> bool:
        return self.note is not None and self.arn is not None


def _candidates(world: World, kind: str, region: str, name: str) -> list[str]:
    out: list[str] = []
    for account_id, account in world.accounts.items():
        place = account.regions.get(region)
        holds: object = {
            "role": account.roles,
            "assumed-role": account.roles,
            "user": account.users,
            "backup-vault": place.vaults if place else {},
            "key": place.keys if place else {},
        }.get(kind, {})
        if isinstance(holds, dict) and name in holds:
            out.append(account_id)
    return out


def _identity(arn: str) -> tuple[str, str, str] | None:
    """(kind, region, name) of the thing an ARN names, for the kinds the world indexes."""
    parts = arn.split(":", 5)
    if len(parts) < 6:
        return None
    service, region, resource = parts[2], parts[3], parts[5]
    if service == "sts" and resource.startswith("assumed-role/"):
        return "assumed-role", "", resource.split("/")[1]
    if service == "iam" and resource.startswith(("role/", "user/")):
        return resource.split("/", 1)[0], "", resource.rsplit("/", 1)[-1]
    if service == "backup" and resource.startswith("backup-vault:"):
        return "backup-vault", region, resource.split(":", 1)[1]
    if service == "kms" and resource.startswith("key/"):
        return "key", region, resource.split("/", 1)[1]
    return None


def unmask(world: World, arn: str | None, field: str) -> Unmasked:
    """``arn`` with a masked account replaced by the one account of the world that holds
    what the ARN names; unchanged when its account is not masked or no single match."""
    if not arn:
        return Unmasked(arn)
    account = arn_account(arn)
    if account is None or not account_mask(account) or account in world.accounts:
        return Unmasked(arn)
    identity = _identity(arn)
    if identity is None:
        return Unmasked(arn)
    kind, region, name = identity
    matches = _candidates(world, kind, region, name)
    if len(matches) != 1:
        return Unmasked(arn)
    (found,) = matches
    parts = arn.split(":", 5)
    parts[4] = found
    return Unmasked(
        ":".join(parts),
        f"the {field}'s masked account '{account}' was taken as {found}, the only account in "
        f"the world with {kind} {name}",
    )
