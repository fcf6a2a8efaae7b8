"""FX-ALT-VAULT: the vault itself is the problem (the default vault as a copy target, a vault
that does not exist, a vault still holding recovery points, a standard vault where a
logically air-gapped one is needed); no policy can fix it.

Sources: https://docs.aws.amazon.com/aws-backup/latest/devguide/create-cross-account-backup.html
(default vault), https://docs.aws.amazon.com/aws-backup/latest/devguide/delete-a-vault.html
(empty before delete), https://docs.aws.amazon.com/aws-backup/latest/devguide/logicallyairgappedvault.html.
"""

from __future__ import annotations

import difflib

from backup_access.catalogue import Gate
from backup_access.fix.context import FixContext
from backup_access.fix.model import Alternative, Failure, Proposal
from backup_access.fix.registry import Generator
from backup_access.policy.arn import Arn

ID = "FX-ALT-VAULT"


def _missing(context: FixContext, value: str) -> Alternative:
    arn = Arn.parse(value)
    name = value.rsplit(":", 1)[-1]
    region = arn.region if arn is not None else "REGION"
    account = arn.account if arn is not None else ""
    holder = context.world.accounts.get(account)
    names = sorted(holder.regions[region].vaults) if holder and region in holder.regions else []
    close = difflib.get_close_matches(name, names, n=3)
    hint = f" Did you mean {', '.join(close)}?" if close else ""
    return Alternative(
        value,
        f"vault {name} does not exist in account {account} ({region}).{hint} Name an existing "
        "vault, or create it (with a customer managed key if it receives cross-account copies).",
        (
            f"aws backup create-backup-vault --backup-vault-name {name} "
            f"--encryption-key-arn KEY_ARN --region {region}",
        ),
    )


def propose(context: FixContext, failure: Failure) -> Proposal | None:
    if failure.layer != "setting":
        return None
    gate = context.gate(failure.check)
    value = context.argument(failure.check, 0) or "the vault"
    name = value.rsplit(":", 1)[-1]
    if gate is Gate.VAULT_EXISTS:
        return Proposal(ID, failure, alternative=_missing(context, value))
    if gate is Gate.VAULT_NOT_DEFAULT:
        text = (
            f"{value} is the default vault or is encrypted with aws/backup: it cannot receive "
            "cross-account copies, and no policy changes that. Copy into another vault of the "
            "destination account, encrypted with a customer managed key, whose access policy "
            "allows the source account."
        )
        return Proposal(ID, failure, alternative=Alternative(value, text))
    if gate is Gate.VAULT_EMPTY:
        text = (
            f"vault {name} still holds recovery points: a vault is deleted only when empty. "
            "Delete its recovery points first (irreversible; check retention and Vault Lock)."
        )
        commands = (
            f"aws backup list-recovery-points-by-backup-vault --backup-vault-name {name}",
            f"aws backup delete-recovery-point --backup-vault-name {name} "
            "--recovery-point-arn RECOVERY_POINT_ARN",
        )
        return Proposal(ID, failure, alternative=Alternative(value, text, commands))
    if gate is Gate.VAULT_IS_LAG:
        text = (
            f"{value} is a standard vault: AWS RAM shares only logically air-gapped vaults. "
            "Share a standard vault's contents through its access policy (or copies), or create "
            "a logically air-gapped vault and share that."
        )
        return Proposal(ID, failure, alternative=Alternative(value, text))
    return None


GENERATOR = Generator(
    id=ID,
    title="Use or create a suitable vault (no policy fixes the vault itself)",
    source="https://docs.aws.amazon.com/aws-backup/latest/devguide/create-cross-account-backup.html",
    propose=propose,
)
