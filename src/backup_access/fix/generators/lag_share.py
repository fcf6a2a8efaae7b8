"""FX-SETTING-LAG-SHARE: a logically air-gapped vault is not shared with the account.

A logically air-gapped vault reaches other accounts through an AWS RAM resource share
created in the vault's account; a recipient outside the organization's RAM sharing accepts
the invitation (https://docs.aws.amazon.com/aws-backup/latest/devguide/logicallyairgappedvault.html).
The share names exactly the one account; the patched world lists it under ``shared_with``.
"""

from __future__ import annotations

from backup_access.catalogue import Gate
from backup_access.fix.context import FixContext
from backup_access.fix.model import Failure, Proposal, SettingChange
from backup_access.fix.raw import join
from backup_access.fix.registry import Generator
from backup_access.fix.targets import account_of, vault_at

ID = "FX-SETTING-LAG-SHARE"


def propose(context: FixContext, failure: Failure) -> Proposal | None:
    if failure.layer != "setting" or context.gate(failure.check) is not Gate.VAULT_SHARED_WITH:
        return None
    vault_arn, principal = context.argument(failure.check, 0), context.argument(failure.check, 1)
    vault = vault_at(context.world, vault_arn or "")
    account = account_of(context.world, principal or "") if principal else None
    if principal and principal.isdigit():
        account = principal
    if vault is None or account is None:
        return None
    region = vault.region
    return Proposal(
        ID,
        failure,
        setting=SettingChange(
            target=vault.arn,
            label=f"AWS RAM share of vault {vault.name} with account {account}",
            pointer=join(vault.location.pointer, "shared_with"),
            value=account,
            append=True,
            account=vault.account,
            region=region,
            commands=(
                f"aws ram create-resource-share --name backup-access-fix-{vault.name} "
                f"--resource-arns {vault.arn} --principals {account} --region {region}",
                f"# then in account {account}, unless RAM sharing within the organization is "
                "enabled:",
                f"aws ram get-resource-share-invitations --region {region}",
                "aws ram accept-resource-share-invitation --resource-share-invitation-arn "
                f"INVITATION_ARN --region {region}",
            ),
        ),
        notes=(
            f"account {account} can then read the vault's recovery points and restore or copy "
            "from them with its own roles",
        ),
    )


GENERATOR = Generator(
    id=ID,
    title="Share the logically air-gapped vault with the account through AWS RAM",
    source="https://docs.aws.amazon.com/aws-backup/latest/devguide/logicallyairgappedvault.html",
    propose=propose,
)
