"""FX-SETTING-CROSS-ACCOUNT: the organization's cross-account backup setting is off.

Only the management account can turn it on (``UpdateGlobalSettings`` with
``isCrossAccountBackupEnabled``,
https://docs.aws.amazon.com/aws-backup/latest/devguide/API_UpdateGlobalSettings.html); the
patched world records it as enabled.
"""

from __future__ import annotations

from backup_access.catalogue import Gate
from backup_access.fix.context import FixContext
from backup_access.fix.model import Failure, Proposal, SettingChange
from backup_access.fix.raw import join
from backup_access.fix.registry import Generator

ID = "FX-SETTING-CROSS-ACCOUNT"


def propose(context: FixContext, failure: Failure) -> Proposal | None:
    if (
        failure.layer != "setting"
        or context.gate(failure.check) is not Gate.CROSS_ACCOUNT_BACKUP_ENABLED
    ):
        return None
    organization = context.world.organization
    if organization is None:
        return None
    management = organization.management_account or "the management account"
    return Proposal(
        ID,
        failure,
        setting=SettingChange(
            target=f"organization {organization.id}",
            label="AWS Backup cross-account backup (isCrossAccountBackupEnabled)",
            pointer=join(organization.location.pointer, "cross_account_backup"),
            value=True,
            account=management,
            commands=(
                "aws backup update-global-settings "
                "--global-settings isCrossAccountBackupEnabled=true",
                "aws backup describe-global-settings",
            ),
        ),
        notes=(
            "every member account may then copy recovery points to other accounts of the "
            "organization, subject to each destination vault's access policy",
        ),
    )


GENERATOR = Generator(
    id=ID,
    title="Enable cross-account backup in the organization (management account)",
    source="https://docs.aws.amazon.com/aws-backup/latest/devguide/API_UpdateGlobalSettings.html",
    propose=propose,
)
