"""FX-ALT-ACCOUNT: the accounts are in the wrong place (not in one organization; a restore
from another account's standard vault); no policy can fix it.

Sources: https://docs.aws.amazon.com/aws-backup/latest/devguide/create-cross-account-backup.html
(both accounts in one organization);
https://docs.aws.amazon.com/aws-backup/latest/devguide/restoring-a-backup.html (restore in
the vault's account; copy the recovery point to another account first).
"""

from __future__ import annotations

from backup_access.catalogue import Gate
from backup_access.fix.context import FixContext
from backup_access.fix.model import Alternative, Failure, Proposal
from backup_access.fix.registry import Generator

ID = "FX-ALT-ACCOUNT"


def propose(context: FixContext, failure: Failure) -> Proposal | None:
    if failure.layer != "setting":
        return None
    gate = context.gate(failure.check)
    if gate is Gate.SAME_ORGANIZATION:
        organization = context.world.organization
        org = organization.id if organization is not None else "the organization"
        text = (
            f"cross-account copies work only between accounts of one organization: "
            f"{failure.check.reason}. Invite the account into {org} from the management "
            "account, or copy to an account that is a member."
        )
        commands = (
            "aws organizations invite-account-to-organization --target Id=ACCOUNT_ID,Type=ACCOUNT",
        )
        return Proposal(ID, failure, alternative=Alternative(org, text, commands))
    if gate is Gate.SAME_ACCOUNT:
        text = (
            f"{failure.check.reason}: restore in the account that owns the vault, or copy the "
            "recovery point to a vault of the restoring account first (start-copy-job) and "
            "restore from that copy."
        )
        return Proposal(ID, failure, alternative=Alternative(failure.check.id, text))
    return None


GENERATOR = Generator(
    id=ID,
    title="Work across accounts the way AWS Backup allows (no policy fixes the account layout)",
    source="https://docs.aws.amazon.com/aws-backup/latest/devguide/create-cross-account-backup.html",
    propose=propose,
)
