"""FX-SETTING-OPT-IN: the resource type is not opted in to AWS Backup in the Region.

AWS Backup protects a service's resources in a Region only when the Region's settings opt
that resource type in (``UpdateRegionSettings`` with ``ResourceTypeOptInPreference``,
https://docs.aws.amazon.com/aws-backup/latest/devguide/API_UpdateRegionSettings.html),
set in the account and Region of the vault. The patched world records the type as opted in.
"""

from __future__ import annotations

import re

from backup_access.fix.context import FixContext
from backup_access.fix.model import Failure, Proposal, SettingChange
from backup_access.fix.raw import join
from backup_access.fix.registry import Generator
from backup_access.fix.targets import vault_at

ID = "FX-SETTING-OPT-IN"
_REASON = re.compile(r"^(?P<type>\S+) is not opted in to AWS Backup in (?P<region>\S+)")


def propose(context: FixContext, failure: Failure) -> Proposal | None:
    if failure.layer != "setting" or context.gate_name(failure.check) != "type_opted_in":
        return None
    vault = vault_at(context.world, context.argument(failure.check, 0) or "")
    match = _REASON.match(failure.check.reason)
    kind = context.parameters.get("resource_type") or (match.group("type") if match else None)
    if vault is None or kind is None:
        return None
    region = vault.region
    holder = context.world.accounts[vault.account]
    pointer = join(holder.location.pointer, "regions", region, "backup", "opt_in", kind)
    return Proposal(
        ID,
        failure,
        setting=SettingChange(
            target=f"AWS Backup Region settings of {vault.account} in {region}",
            label=f"opt {kind} in to AWS Backup in {region}",
            pointer=pointer,
            value=True,
            account=vault.account,
            region=region,
            commands=(
                "aws backup update-region-settings --resource-type-opt-in-preference "
                f"{kind}=true --region {region}",
                f"aws backup describe-region-settings --region {region}",
            ),
        ),
        notes=(
            f"AWS Backup then protects {kind} resources in {region} of account {vault.account} "
            "that backup plans select",
        ),
    )


GENERATOR = Generator(
    id=ID,
    title="Opt the resource type in to AWS Backup in the Region",
    source="https://docs.aws.amazon.com/aws-backup/latest/devguide/API_UpdateRegionSettings.html",
    propose=propose,
)
