"""Find the vault a job message (or the job around it) names, in the world.

A paste names a vault by ARN (``DestinationBackupVaultArn``) or by name
(``BackupVaultName``), sometimes with its account masked. The world answers with the vault,
or says why it cannot: not held, several of that name, a masked account it cannot tell.
"""

from __future__ import annotations

from dataclasses import dataclass

from backup_access.diagnose.kind import vault_at
from backup_access.diagnose.masking import account_mask, arn_account
from backup_access.diagnose.unmask import unmask
from backup_access.world import Vault, World


@dataclass(frozen=True, slots=True)
class FoundVault:
    """The vault as the paste wrote it, the world's vault (None: not found, ``why``), and
    what was assumed to find it (a masked account put back, a name taken as one ARN)."""

    written: str
    vault: Vault | None
    why: str = ""
    note: str | None = None


def _by_name(world: World, name: str) -> FoundVault:
    matches = [
        vault
        for account in world.accounts.values()
        for region in account.regions.values()
        for vault in region.vaults.values()
        if vault.name == name
    ]
    if len(matches) == 1:
        (vault,) = matches
        return FoundVault(
            name,
            vault,
            note=f"vault {name} was taken as {vault.arn}, the only vault of that name in the world",
        )
    if not matches:
        return FoundVault(name, None, f"no vault named {name} is in the world")
    arns = ", ".join(sorted(v.arn for v in matches))
    return FoundVault(name, None, f"several vaults named {name} are in the world ({arns})")


def find_vault(world: World, written: str) -> FoundVault:
    """The world's vault for an ARN or a name from a paste."""
    if not written.startswith("arn:"):
        return _by_name(world, written)
    restored = unmask(world, written, "vault")
    arn = restored.arn or written
    vault = vault_at(world, arn)
    if vault is not None:
        return FoundVault(written, vault, note=restored.note)
    account = arn_account(arn) or ""
    if account_mask(account) and account not in world.accounts:
        return FoundVault(
            written, None, f"vault {written}: its account is masked and the world cannot tell which"
        )
    return FoundVault(written, None, f"vault {written} is not in the world")


def vault_written(value: str | None) -> str | None:
    """``value`` when it names a backup vault (ARN or name), else None."""
    if value is None:
        return None
    if value.startswith("arn:"):
        return value if ":backup-vault:" in value else None
    return value


__all__ = ["FoundVault", "find_vault", "vault_written"]
