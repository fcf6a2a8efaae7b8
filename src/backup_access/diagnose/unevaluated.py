"""What a world answer keeps of the offline answer when the message names no request the world
can evaluate: the ranked causes with the command that confirms each, and `explain OPERATION`
only when the catalogue has that operation. And the one such message a tool's resource name
lets the world check: Terraform's ``deleting Backup Vault (NAME)`` with "cannot be deleted
because it contains recovery points" is the vault-empty gate of that vault
(https://docs.aws.amazon.com/aws-backup/latest/devguide/API_DeleteBackupVault.html: a vault
must be empty to be deleted).
"""

from __future__ import annotations

from backup_access.catalogue import Gate
from backup_access.diagnose import message_checks
from backup_access.diagnose.families import MessageFamily
from backup_access.diagnose.gate_answer import GateAnswer, checked, meaning
from backup_access.diagnose.job_vaults import find_vault
from backup_access.diagnose.messages import ParsedMessage
from backup_access.diagnose.offline import OfflineAnswer, vault_named_by_tool
from backup_access.world import World

DELETE_VAULT = "https://docs.aws.amazon.com/aws-backup/latest/devguide/API_DeleteBackupVault.html"
_SHOWN = 3  # the first causes kept in a world answer's notes


def offline_notes(offline: OfflineAnswer) -> list[str]:
    """The offline answer's first causes, each with its first command and account, and what
    to run next: `explain OPERATION` when the catalogue describes the operation."""
    notes: list[str] = []
    for cause in offline.causes[:_SHOWN]:
        command = cause.confirm[0] if cause.confirm else None
        run = f"; confirm with `{command.command}` in {command.account}" if command else ""
        notes.append(f"likely cause {cause.rank} ({cause.layer}): {cause.title}{run}")
    if offline.operation is not None:
        notes.append(
            f"run `explain {offline.operation}` with the call's parameters to check every "
            "cause in the world"
        )
    elif offline.api:
        notes.append(
            f"no `explain` operation covers {offline.api}: the causes above, and `explain "
            "--error` without --world, say what to check"
        )
    return notes


def vault_not_empty(world: World, parsed: ParsedMessage) -> GateAnswer | None:
    """ "Vault cannot be deleted because it contains recovery points" about a vault the tool
    names: the world's vault-empty gate of it; None when the paste names no vault."""
    if parsed.family is not MessageFamily.VAULT_NOT_EMPTY:
        return None
    name = vault_named_by_tool(parsed)
    if name is None:
        return None
    found = find_vault(world, name)
    if found.vault is None:
        why = f"the vault the tool names ({name}): {found.why}"
        return GateAnswer(notes=(meaning(parsed), why), unevaluated=why)
    result = message_checks.setting(
        world,
        Gate.VAULT_EMPTY,
        "The vault holds no recovery points (a vault must be empty to be deleted)",
        DELETE_VAULT,
        {"vault": found.vault.arn},
    )
    notes = [meaning(parsed), f"the vault is {found.vault.arn}, named by the tool ({name})"]
    if found.note:
        notes.append(found.note)
    return checked(parsed, result, notes=tuple(notes))


__all__ = ["offline_notes", "vault_not_empty"]
